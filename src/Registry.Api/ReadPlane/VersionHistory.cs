using System.Collections.Concurrent;
using Registry.Api.Storage;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.ReadPlane;

/// <summary>
/// Every committed version, readable: the newest <c>history_window</c> states stay in memory, and one
/// anchor state every <c>history_anchor_interval</c> versions; any other version is rebuilt by
/// replaying at most one anchor interval of commit records from storage. States share structure, so
/// the window and anchors cost O(changes × log n).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class VersionHistory
{
    private readonly ConcurrentDictionary<long, RegistryState> _recent = new();
    private readonly ConcurrentDictionary<long, RegistryState> _anchors = new();
    private readonly IRegistryStorage _storage;
    private readonly int _window;
    private readonly int _anchorInterval;
    private long _newest = -1;

    /// <summary>
    /// How many versions behind the window the start-up rebuild keeps anchors for. Older anchors are made by the first
    /// read that needs them: keeping every anchor of a long history at start grew the heap by hundreds of MiB at once,
    /// and the garbage collections that followed halved the speed of everything else the service did meanwhile.
    /// </summary>
    public const int WarmAnchorVersions = 16_384;

    /// <summary>Creates the history.</summary>
    public VersionHistory(IRegistryStorage storage, int window, int anchorInterval)
    {
        _storage = storage;
        _window = window;
        _anchorInterval = anchorInterval;
    }

    /// <summary>
    /// Records a newly published state: the recovered HEAD first, then each version the writer commits, each exactly
    /// one past the last.
    /// </summary>
    /// <exception cref="InvalidOperationException">The version is not exactly the next one (nothing is recorded): the writer halts on it.</exception>
    public void Add(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var newest = Volatile.Read(ref _newest);
        if (newest >= 0 && state.Version != newest + 1)
        {
            throw new InvalidOperationException($"Version {state.Version} was published after version {newest}: versions must rise by exactly one.");
        }

        _recent[state.Version] = state;

        // Raised before trimming, so a concurrent WarmUpAsync that adds an old version either sees the new mark or
        // adds before this trim removes it.
        InterlockedMax(ref _newest, state.Version);
        _recent.TryRemove(state.Version - _window, out _);
        if (state.Version % _anchorInterval == 0)
        {
            _anchors[state.Version] = state;
        }
    }

    /// <summary>
    /// After a restart only HEAD is in memory: replays the log from the newest anchor below HEAD (genesis after a
    /// restart) up to HEAD, keeping the window's states and the anchors of the <see cref="WarmAnchorVersions"/> versions
    /// behind it, as if the service had run through them. Meant for a low-priority background thread after ready
    /// (<see cref="IndexStorageAsync"/> first, at normal priority, so storage reads then complete synchronously and it
    /// stays on that thread); a read meanwhile replays what it needs itself. Returns the number of commits replayed.
    /// </summary>
    public async Task<long> WarmUpAsync(long head, CancellationToken cancellationToken)
    {
        if (head < 1)
        {
            return 0;
        }

        var state = NearestAnchor(head - 1);
        if (state.Version >= head - 1)
        {
            return 0;
        }

        long replayed = 0;
        var keepAnchorsFrom = head - _window - WarmAnchorVersions;
        await foreach (var record in _storage.ReadCommitsAsync(state.Version + 1, head - 1, cancellationToken).ConfigureAwait(false))
        {
            state = state.Apply(new Committed(record));
            replayed++;
            if (state.Version % _anchorInterval == 0 && state.Version >= keepAnchorsFrom)
            {
                _anchors.TryAdd(state.Version, state);
            }

            if (state.Version > Volatile.Read(ref _newest) - _window && _recent.TryAdd(state.Version, state)
                && state.Version <= Volatile.Read(ref _newest) - _window)
            {
                // HEAD moved past it meanwhile and Add already trimmed that far: do not leave it behind.
                _recent.TryRemove(state.Version, out _);
            }
        }

        return replayed;
    }

    /// <summary>
    /// Makes the storage ready to read old commits (it indexes the log's commit positions on first use), at the
    /// caller's priority; <see cref="WarmUpAsync"/> then runs without holding anything a request waits for.
    /// </summary>
    public async Task IndexStorageAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _storage.ReadCommitsAsync(1, 1, cancellationToken).ConfigureAwait(false))
        {
            break;
        }
    }

    /// <summary>The genesis state, the one anchor that always exists.</summary>
    public void SetGenesis(RegistryState genesis) => _anchors[0] = genesis;

    /// <summary>True when <paramref name="version"/> is served from memory without replay.</summary>
    public bool InMemory(long version) => _recent.ContainsKey(version) || _anchors.ContainsKey(version);

    /// <summary>The state at <paramref name="version"/> (which must be at most HEAD).</summary>
    public async ValueTask<RegistryState> GetAsync(long version, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(version, out var state) || _anchors.TryGetValue(version, out state))
        {
            return state;
        }

        state = NearestAnchor(version);

        // Replay forward; keep the anchors passed on the way so the next read is cheap.
        await foreach (var record in _storage.ReadCommitsAsync(state.Version + 1, version, cancellationToken))
        {
            state = state.Apply(new Committed(record));
            if (state.Version % _anchorInterval == 0)
            {
                _anchors.TryAdd(state.Version, state);
            }
        }

        return state.Version == version
            ? state
            : throw new InvalidOperationException($"Storage returned commits only up to {state.Version}, not {version}.");
    }

    /// <summary>The newest anchor at or below <paramref name="version"/> (genesis, version 0, always is one).</summary>
    private RegistryState NearestAnchor(long version)
    {
        var anchorVersion = version - (version % _anchorInterval);
        RegistryState? state;
        while (!_anchors.TryGetValue(anchorVersion, out state))
        {
            anchorVersion -= _anchorInterval;
        }

        return state;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Commit records <paramref name="from"/>..<paramref name="to"/> in order: from memory while they are there, then storage.</summary>
    public async IAsyncEnumerable<CommitRecord> ReadRecordsAsync(long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(1, from);
        while (next <= to && _recent.TryGetValue(next, out var state) && state.Head is { } head)
        {
            yield return head;
            next++;
        }

        if (next > to)
        {
            yield break;
        }

        await foreach (var record in _storage.ReadCommitsAsync(next, to, cancellationToken))
        {
            yield return record;
        }
    }

    /// <summary>Commits <paramref name="from"/>..<paramref name="to"/> as raw canonical <c>committed</c> events, from storage.</summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long from, long to, CancellationToken cancellationToken) =>
        _storage.ReadCommitPayloadsAsync(from, to, cancellationToken);

    /// <summary>The commit record of <paramref name="version"/> (1-based), from memory or storage.</summary>
    public async ValueTask<CommitRecord?> GetRecordAsync(long version, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(version, out var state) || _anchors.TryGetValue(version, out state))
        {
            return state.Head;
        }

        await foreach (var record in _storage.ReadCommitsAsync(version, version, cancellationToken))
        {
            return record;
        }

        return null;
    }
}
