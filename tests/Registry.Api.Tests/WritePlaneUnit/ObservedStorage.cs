using Registry.Api.Storage;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Api.Tests.WritePlaneUnit;

/// <summary>
/// The real storage (<see cref="RegistryStoreStorage"/>), counted: how many appends the writer made and with how
/// many events. <see cref="FailOnPublished"/> injects one failing component after the durable append.
/// </summary>
internal sealed class ObservedStorage(RegistryStoreStorage inner) : IRegistryStorage
{
    private int _appends;
    private int _events;

    public RegistryStoreStorage Inner { get; } = inner;

    public int Appends => Volatile.Read(ref _appends);

    public int Events => Volatile.Read(ref _events);

    /// <summary>When set, <see cref="OnPublished"/> (the writer's last step after a durable append) throws.</summary>
    public bool FailOnPublished { get; set; }

    public string Description => Inner.Description;

    public bool Writable => Inner.Writable;

    public double CheckpointAgeSeconds => Inner.CheckpointAgeSeconds;

    public long CheckpointFailures => Inner.CheckpointFailures;

    public string RecoveryKind => Inner.RecoveryKind;

    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged
    {
        add => Inner.WritabilityChanged += value;
        remove => Inner.WritabilityChanged -= value;
    }

    public void Halt(string reason) => Inner.Halt(reason);

    public Task<RegistryState> OpenAsync(GenesisRecord genesis, CancellationToken cancellationToken) => Inner.OpenAsync(genesis, cancellationToken);

    public ValueTask AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _appends);
        Interlocked.Add(ref _events, events.Count);
        return Inner.AppendAsync(events, cancellationToken);
    }

    public ValueTask AppendFollowedAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken) => AppendAsync(events, cancellationToken);

    public long EventCount => Inner.EventCount;

    public int MaxEventBytes => Inner.MaxEventBytes;

    public void OnPublished(RegistryState state)
    {
        if (FailOnPublished)
        {
            throw new InvalidOperationException("injected: publishing failed after the durable append");
        }

        Inner.OnPublished(state);
    }

    public IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        Inner.ReadCommitsAsync(fromVersion, toVersion, cancellationToken);

    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        Inner.ReadCommitPayloadsAsync(fromVersion, toVersion, cancellationToken);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
