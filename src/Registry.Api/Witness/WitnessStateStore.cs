// The witness's state on disk: per log origin, the latest checkpoint it cosigned, one file each under
// witness.state_dir (default <data dir>/witness), named <sha256 hex of the origin>.checkpoint:
//   "ron-witness-state 1 1 " <sha256 hex of the note bytes> "\n"    magic, format version, minimum compatible version, checksum
//   <the signed checkpoint note, exactly as it was cosigned (UTF-8)>
// Replaced atomically (temp file, fsync, rename, directory fsync) before any cosignature is returned. A file that
// does not parse, fails its checksum or holds another origin stops start-up (fail closed): a witness that forgot
// what it cosigned could be made to cosign a fork.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Registry.Core.Model;
using Registry.Core.Transparency;
using Registry.Store.IO;

namespace Registry.Api.Witness;

/// <summary>The latest cosigned checkpoint of each witnessed log, on disk or (amnesia) in memory. Thread-safe per origin; the caller serialises writes of one origin.</summary>
public sealed class WitnessStateStore
{
    /// <summary>The first bytes of a state file.</summary>
    public const string Magic = "ron-witness-state";

    private const int FormatVersion = 1;

    private readonly string? _directory;
    private readonly ConcurrentDictionary<string, Checkpoint> _latest = new(StringComparer.Ordinal);

    private WitnessStateStore(string? directory) => _directory = directory;

    /// <summary>A store that keeps nothing on disk (<c>--amnesia</c>).</summary>
    public static WitnessStateStore InMemory() => new(null);

    /// <summary>Opens (creating) <paramref name="directory"/> and reads the state of each of <paramref name="origins"/>.</summary>
    /// <exception cref="InvalidDataException">A state file is corrupt or belongs to another origin.</exception>
    public static WitnessStateStore Open(string directory, IEnumerable<string> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        Directory.CreateDirectory(directory);
        var store = new WitnessStateStore(directory);
        foreach (var origin in origins)
        {
            var path = store.PathOf(origin);
            if (File.Exists(path))
            {
                store._latest[origin] = Decode(File.ReadAllBytes(path), origin, path);
            }
        }

        return store;
    }

    /// <summary>The latest checkpoint cosigned for <paramref name="origin"/>, or null.</summary>
    public Checkpoint? Latest(string origin) => _latest.TryGetValue(origin, out var checkpoint) ? checkpoint : null;

    /// <summary>Makes <paramref name="note"/> (a checkpoint of <paramref name="checkpoint"/>'s origin) the latest, durably, before returning.</summary>
    /// <exception cref="IOException">The state could not be written: the caller must not cosign.</exception>
    public void Save(Checkpoint checkpoint, SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(note);
        if (_directory is not null)
        {
            DurableFiles.WriteAtomically(PathOf(checkpoint.Origin), Encode(note));
        }

        _latest[checkpoint.Origin] = checkpoint;
    }

    /// <summary>The bytes of a state file holding <paramref name="note"/>.</summary>
    public static byte[] Encode(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var body = note.ToBytes();
        var head = Encoding.ASCII.GetBytes($"{Magic} {FormatVersion} {FormatVersion} {Digest.Compute(body).ToHex()}\n");
        return [.. head, .. body];
    }

    /// <summary>The checkpoint in a state file of <paramref name="origin"/>.</summary>
    /// <exception cref="InvalidDataException">Not a state file of a version this build reads, a bad checksum, or another origin.</exception>
    public static Checkpoint Decode(ReadOnlySpan<byte> bytes, string origin, string where)
    {
        var newline = bytes.IndexOf((byte)'\n');
        var head = newline > 0 ? Encoding.ASCII.GetString(bytes[..newline]).Split(' ') : [];
        if (head.Length != 4 || head[0] != Magic || !int.TryParse(head[2], NumberStyles.None, CultureInfo.InvariantCulture, out var minimum))
        {
            throw new InvalidDataException($"{where}: not a witness state file");
        }

        if (minimum > FormatVersion)
        {
            throw new InvalidDataException($"{where}: witness state format {head[1]} needs a newer svc-registry (it reads format {FormatVersion})");
        }

        var body = bytes[(newline + 1)..];
        if (Digest.Compute(body).ToHex() != head[3])
        {
            throw new InvalidDataException($"{where}: the witness state's checksum does not match its contents");
        }

        if (!SignedNote.TryParse(body, out var note) || !Checkpoint.TryParse(note.Text, out var checkpoint) || checkpoint.Origin != origin)
        {
            throw new InvalidDataException($"{where}: the witness state does not hold a checkpoint of '{origin}'");
        }

        return checkpoint;
    }

    private string PathOf(string origin) =>
        Path.Combine(_directory!, Digest.Compute(Encoding.UTF8.GetBytes(origin)).ToHex() + ".checkpoint");
}
