using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>The outcome of verifying a chain of commit records.</summary>
/// <param name="Ok">True when every record verified (and the head matched, when one was expected).</param>
/// <param name="Verified">How many records verified.</param>
/// <param name="Head">The state after the last valid record.</param>
/// <param name="FirstBadVersion">The version of the first record that failed, or null.</param>
/// <param name="Error">What failed, or null.</param>
public sealed record ChainReport(bool Ok, long Verified, RegistryState Head, long? FirstBadVersion, string? Error);

/// <summary>
/// Verifies a whole chain from genesis: every link, digest, signature, quorum and state root
/// (see <see cref="RegistryMachine.Verify(RegistryState, CommitRecord)"/>). Thread-safe; stateless.
/// </summary>
public static class ChainVerifier
{
    /// <summary>
    /// Verifies <paramref name="records"/> (versions 1, 2, … in order) from <paramref name="genesis"/>.
    /// With <paramref name="expectedHead"/>, the last record's hash must also equal it: that anchors the
    /// newest record, whose own bytes no later link covers.
    /// </summary>
    public static ChainReport Verify(GenesisRecord genesis, IEnumerable<CommitRecord> records, Digest? expectedHead = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Verify(RegistryState.FromGenesis(genesis), records, expectedHead);
    }

    /// <summary>Verifies records continuing from a trusted <paramref name="start"/> state.</summary>
    public static ChainReport Verify(RegistryState start, IEnumerable<CommitRecord> records, Digest? expectedHead = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(records);
        return VerifyCore(start, records.Select(r => (r, PreverifiedApprovals.None)), expectedHead);
    }

    /// <summary>
    /// As <see cref="Verify(RegistryState, IEnumerable{CommitRecord}, Digest?)"/>, with the approval signatures checked
    /// in parallel a window ahead of the sequential checks (<see cref="ApprovalPreverifier"/>): the same report, the
    /// same first failing version and error, on every core.
    /// </summary>
    /// <param name="start">The trusted state the records continue.</param>
    /// <param name="records">Versions start + 1, start + 2, … in order.</param>
    /// <param name="expectedHead">The hash the last record must have, when known.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the signature checks; -1 for one per processor.</param>
    /// <param name="window">Records checked ahead per window.</param>
    public static ChainReport VerifyParallel(
        RegistryState start, IEnumerable<CommitRecord> records, Digest? expectedHead = null, int maxDegreeOfParallelism = -1, int window = ApprovalPreverifier.DefaultWindow)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(records);
        var pipeline = ApprovalPreverifier.Run(records, r => new Committed(r), start.SignerSet, window: window, maxDegreeOfParallelism: maxDegreeOfParallelism);
        return VerifyCore(start, pipeline.Select(p => (p.Item, p.Approvals)), expectedHead);
    }

    private static ChainReport VerifyCore(RegistryState start, IEnumerable<(CommitRecord Record, PreverifiedApprovals Approvals)> records, Digest? expectedHead)
    {
        var state = start;
        long count = 0;
        foreach (var (record, preverified) in records)
        {
            if (RegistryMachine.Verify(state, record, preverified, out var next) is { } error)
            {
                return new ChainReport(false, count, state, record.Version, error);
            }

            state = next!;
            count++;
        }

        if (expectedHead is { } head && head != state.HeadHash)
        {
            return new ChainReport(false, count, state, state.Version, $"version {state.Version}: hash {state.HeadHash} is not the expected head {head}.");
        }

        return new ChainReport(true, count, state, null, null);
    }
}
