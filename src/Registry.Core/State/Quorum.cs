using System.Collections.Immutable;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// Quorum counting (SPEC §1): at least M distinct approvals from the current set, and for a
/// <c>set_signers</c> proposal also the new set's threshold from the new set's signers. Only signers
/// are counted; signature validity is checked before an approval is accepted.
/// </summary>
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
        var newHave = next is null ? 0 : distinct.Count(id => next.TryGetKey(id, out _));
        return new Quorum(have, current.Threshold, newHave, next?.Threshold ?? 0);
    }
}
