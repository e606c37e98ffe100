using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// What remains of a proposal dropped after its retention: enough for <c>GET /registry/proposals/{id}</c> to say it
/// existed, why it could not commit, and when it was dropped (about 60 bytes; kept for good, in checkpoints too).
/// </summary>
/// <param name="Id">The proposal id.</param>
/// <param name="Because">Why it could never commit: <see cref="ProposalStatus.Expired"/> or <see cref="ProposalStatus.Stale"/>.</param>
/// <param name="DroppedAt">When the writer dropped it.</param>
/// <param name="Version">HEAD version when it was dropped.</param>
public sealed record DroppedProposal(Digest Id, ProposalStatus Because, Timestamp DroppedAt, long Version);
