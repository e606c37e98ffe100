using Registry.Client.Models;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Verifies the server's whole chain against <paramref name="trustedGenesis"/> (built from trust roots you
    /// hold): the server's version 0 must be that genesis; then every record's link, proposal digest, CAS base,
    /// approvals (signers, signatures, quorum), data-model rules and state root; and HEAD's hash, read when the
    /// run starts, must be the last record's. Reads the log in pages, so memory stays bounded by the state.
    /// </summary>
    /// <returns>The outcome; <see cref="ChainReport.FirstBadVersion"/> names the first version that failed.</returns>
    public async Task<ChainReport> VerifyChainAsync(GenesisRecord trustedGenesis, IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trustedGenesis);
        var start = RegistryState.FromGenesis(trustedGenesis);
        var genesis = await GetGenesisAsync(cancellationToken);
        if (genesis.Hash != trustedGenesis.Hash)
        {
            return new ChainReport(false, 0, start, 0, $"version 0: the server's genesis {genesis.Hash} is not the trusted genesis {trustedGenesis.Hash} (other trust roots or another registry).");
        }

        var head = await GetHeadAsync(cancellationToken);
        var state = start;
        long verified = 0;
        progress?.Report(new VerifyProgress(0, head.Version));
        await foreach (var record in ReadLogAsync(1, head.Version, 1000, cancellationToken))
        {
            if (RegistryMachine.Verify(state, record, out var next) is { } error)
            {
                return new ChainReport(false, verified, state, record.Version, error);
            }

            state = next!;
            verified++;
            if (verified % 64 == 0 || verified == head.Version)
            {
                progress?.Report(new VerifyProgress(verified, head.Version));
            }
        }

        return state.HeadHash == head.Hash
            ? new ChainReport(true, verified, state, null, null)
            : new ChainReport(false, verified, state, head.Version, $"version {head.Version}: HEAD says hash {head.Hash}, but the record hashes to {state.HeadHash}.");
    }
}
