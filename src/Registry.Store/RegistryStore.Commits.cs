using System.Runtime.CompilerServices;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Store.Log;

namespace Registry.Store;

public sealed partial class RegistryStore
{
    private readonly Lock _indexLock = new();
    private readonly SemaphoreSlim _indexBuild = new(1, 1);
    private readonly List<LogPosition> _commitPositions = [];
    private long _firstIndexedVersion;

    /// <summary>
    /// Commit records <paramref name="fromVersion"/>..<paramref name="toVersion"/> (inclusive, from 1), in order, read
    /// back from the log and verified on the way (checksums, sequence). Stops at the durable HEAD.
    /// </summary>
    /// <remarks>
    /// Versions replayed at open and appended since are indexed by log position; the first read of an older version
    /// indexes the log prefix once.
    /// </remarks>
    public async IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = Math.Max(1, fromVersion);
        await foreach (var (payload, position) in ReadCommitEntriesAsync(fromVersion, toVersion, cancellationToken).ConfigureAwait(false))
        {
            var record = ((Committed)EventCodec.Decode(payload)).Record;
            if (record.Version != next)
            {
                var (file, offset) = _log.Locate(position);
                throw new CorruptStoreException(file, offset, $"expected commit {next} at log entry #{position.Sequence}, found {record.Version}");
            }

            yield return record;
            next++;
        }
    }

    /// <summary>
    /// The raw log payloads (canonical <c>committed</c> events, see <see cref="EventCodec"/>) of commits
    /// <paramref name="fromVersion"/>..<paramref name="toVersion"/>, in order, checksums verified but not decoded:
    /// for readers that only re-frame commits (the service's stream replay). The caller checks the versions.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (payload, _) in ReadCommitEntriesAsync(fromVersion, toVersion, cancellationToken).ConfigureAwait(false))
        {
            yield return payload;
        }
    }

    private async IAsyncEnumerable<(ReadOnlyMemory<byte> Payload, LogPosition Position)> ReadCommitEntriesAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        fromVersion = Math.Max(1, fromVersion);
        if (fromVersion > toVersion)
        {
            yield break;
        }

        if (!TryFindCommit(fromVersion, out var start))
        {
            await IndexLogPrefixAsync(cancellationToken).ConfigureAwait(false);
            if (!TryFindCommit(fromVersion, out start))
            {
                yield break;
            }
        }

        var count = toVersion - fromVersion + 1;
        foreach (var entry in _log.Read(start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsCommit(entry.Payload.Span))
            {
                continue;
            }

            yield return (entry.Payload, entry.Position);
            if (--count == 0)
            {
                yield break;
            }
        }
    }

    private void IndexCommit(long version, LogPosition position)
    {
        lock (_indexLock)
        {
            if (_commitPositions.Count == 0)
            {
                _firstIndexedVersion = version;
            }

            var expected = _firstIndexedVersion + _commitPositions.Count;
            if (version == expected)
            {
                _commitPositions.Add(position);
            }
            else
            {
                // Lower (a commit indexed twice) is as wrong as higher (one skipped): either means the log and the
                // caller's state disagree, and the caller halts the store.
                throw new InvalidOperationException($"Commit {version} appended after commit {expected - 1}: versions must rise by exactly one.");
            }
        }
    }

    private bool TryFindCommit(long version, out LogPosition position)
    {
        lock (_indexLock)
        {
            var index = version - _firstIndexedVersion;
            if (_commitPositions.Count > 0 && index >= 0 && index < _commitPositions.Count)
            {
                position = _commitPositions[(int)index];
                return true;
            }

            position = default;
            return false;
        }
    }

    /// <summary>Indexes the commits before the first indexed version (those covered by the checkpoint at open).</summary>
    private async Task IndexLogPrefixAsync(CancellationToken cancellationToken)
    {
        await _indexBuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long firstIndexed;
            lock (_indexLock)
            {
                firstIndexed = _commitPositions.Count == 0 ? long.MaxValue : _firstIndexedVersion;
            }

            if (firstIndexed == 1)
            {
                return;
            }

            var prefix = new List<LogPosition>();
            foreach (var entry in _log.Read(LogPosition.Origin))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (IsCommit(entry.Payload.Span))
                {
                    if (prefix.Count + 1 >= firstIndexed)
                    {
                        break;
                    }

                    prefix.Add(entry.Position);
                }
            }

            lock (_indexLock)
            {
                _commitPositions.InsertRange(0, prefix);
                _firstIndexedVersion = 1;
            }
        }
        finally
        {
            _indexBuild.Release();
        }
    }

    /// <summary>Canonical JSON sorts keys, so a committed event ends with its "type" member.</summary>
    private static bool IsCommit(ReadOnlySpan<byte> payload) => payload.EndsWith("\"type\":\"committed\"}"u8);
}
