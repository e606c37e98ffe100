using Registry.Store.Checkpoints;

namespace Registry.Store.Tests.Checkpoints;

public sealed class InMemoryCheckpointStoreTests : CheckpointStoreContract
{
    protected override ICheckpointStore Create(int keep) => new InMemoryCheckpointStore(keep);

    protected override void Damage(ICheckpointStore store, CheckpointInfo info, int offset) =>
        ((InMemoryCheckpointStore)store).RawBytes(info.Next.Sequence)[offset] ^= 0xFF;
}
