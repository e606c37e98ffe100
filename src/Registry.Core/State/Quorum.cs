using System.Collections.Immutable;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// Quorum counting (SPEC §1): at least M distinct approvals from the current set, and for a
/// <c>set_signers</c> proposal also the new set's threshold from the new set's signers. Only signers
/// are counted; signature validity is checked before an approval is accepted.
/// </summary>
/// <remarks>
/// An approval by a member of the current set is verified under the current set's key for that id
/// (<see cref="Machine.RegistryMachine.TryGetApproverKey"/>), so it counts toward the new set only when the
/// new set gives that id the same key: a signature by the old key proves nothing about a new one, and
/// counting it would let a set be installed that its own keys never approved (a lock-out).
/// </remarks>
public readonly record struct Quorum(int Have, int Need, int NewHave, int NewNeed)
{
    /// <summary>True when both thresholds hold.</summary>
    public bool IsMet => Have >= Need && NewHave >= NewNeed;

    /// <summary>Counts distinct approvers of <paramref name="current"/> and of <paramref name="next"/>.</summary>
    public static Quorum Count(SignerSet current, SignerSet? next, ImmutableArray<Approval> approvals)
    {
        ArgumentNullException.ThrowIfNull(current);
        var distinct = approvals.Select(a => a.SignerId).Distinct(StringComparer.Ordinal).ToList();
        var have = distinct.Count(id => current.TryGetKey(id, out _));
        var newHave = next is null ? 0 : distinct.Count(id => next.TryGetKey(id, out var newKey) && (!current.TryGetKey(id, out var key) || key == newKey));
        return new Quorum(have, current.Threshold, newHave, next?.Threshold ?? 0);
    }
}
