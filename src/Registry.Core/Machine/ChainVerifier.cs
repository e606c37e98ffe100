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
        var state = start;
        long count = 0;
        foreach (var record in records)
        {
            if (RegistryMachine.Verify(state, record, out var next) is { } error)
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
