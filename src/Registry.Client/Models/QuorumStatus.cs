using System.Text.Json;
using Registry.Client.Internal;

namespace Registry.Client.Models;

/// <summary>
/// Approvals counted toward a proposal's quorum: <see cref="Have"/> of the <see cref="M"/> needed from the
/// current set of <see cref="N"/>, and for a <c>set_signers</c> proposal also the new set's count. Immutable.
/// </summary>
/// <param name="Have">Distinct approvals from the current set.</param>
/// <param name="M">The current set's threshold.</param>
/// <param name="N">The current set's size.</param>
/// <param name="NewHave">Approvals from the proposed set (set_signers only).</param>
/// <param name="NewM">The proposed set's threshold (set_signers only).</param>
/// <param name="NewN">The proposed set's size (set_signers only).</param>
public sealed record QuorumStatus(int Have, int M, int N, int? NewHave = null, int? NewM = null, int? NewN = null)
{
    /// <summary>True when every threshold that applies is reached.</summary>
    public bool IsMet => Have >= M && (NewM is null || NewHave >= NewM);

    /// <inheritdoc />
    public override string ToString() => NewM is null ? $"{Have}/{M} of {N}" : $"{Have}/{M} of {N}, new set {NewHave}/{NewM} of {NewN}";

    internal static QuorumStatus FromJson(JsonElement e) => new(
        Wire.Int(e, "have"),
        Wire.Int(e, "m"),
        Wire.Int(e, "n"),
        Wire.OptionalInt(e, "new_have"),
        Wire.OptionalInt(e, "new_m"),
        Wire.OptionalInt(e, "new_n"));
}
