// The key layout of a registry in etcd (docs/HA.md, "Keys"):
//   <prefix><registry_id>/log/<sequence, 20 decimal digits>   one canonical event (EventCodec bytes), created once
//   <prefix><registry_id>/writer                               the elected writer: its API URL, under its lease
// Sequences are the local event log's (0 for the first event ever), zero-padded so that etcd's byte order of keys is
// the order of sequences, and a range read of the log prefix returns events in log order.
using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace Registry.Store.Etcd;

/// <summary>The etcd keys of one registry.</summary>
/// <param name="Prefix">The configured prefix (starts and ends with '/').</param>
/// <param name="RegistryId">The registry id.</param>
public sealed record EtcdLogKeys(string Prefix, string RegistryId)
{
    private const int Digits = 20;

    /// <summary>The first key of the log range.</summary>
    public string LogPrefix => $"{Prefix}{RegistryId}/log/";

    /// <summary>The writer's election key.</summary>
    public ByteString Writer => ByteString.CopyFromUtf8($"{Prefix}{RegistryId}/writer");

    /// <summary>Every key of the registry (the watch's range).</summary>
    public ByteString All => ByteString.CopyFromUtf8($"{Prefix}{RegistryId}/");

    /// <summary>The end of the range of <see cref="All"/> (etcd's range_end: the prefix with its last byte plus one).</summary>
    public ByteString AllEnd => RangeEnd(All);

    /// <summary>The end of the log range.</summary>
    public ByteString LogEnd => RangeEnd(ByteString.CopyFromUtf8(LogPrefix));

    /// <summary>The key of event <paramref name="sequence"/>.</summary>
    public ByteString Event(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return ByteString.CopyFromUtf8(LogPrefix + sequence.ToString("D" + Digits, CultureInfo.InvariantCulture));
    }

    /// <summary>The sequence of a log key, or null when <paramref name="key"/> is not one.</summary>
    public long? SequenceOf(ByteString key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = key.ToStringUtf8();
        return text.Length == LogPrefix.Length + Digits && text.StartsWith(LogPrefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(LogPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
    }

    /// <summary>Bytes a txn spends on one event besides its payload (key, compare, request framing), rounded up.</summary>
    public int OverheadPerEvent => Encoding.UTF8.GetByteCount(LogPrefix) + Digits + 64;

    private static ByteString RangeEnd(ByteString prefix)
    {
        var bytes = prefix.ToByteArray();
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }
}
