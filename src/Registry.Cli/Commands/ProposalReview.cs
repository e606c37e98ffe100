using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Models;
using Registry.Core;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Cli.Commands;

/// <summary>
/// What happened since a proposal's base, read by ronctl itself from the log (not taken from the service's status):
/// whether HEAD moved, and every commit since the base that breaks rules 1-3 of the commit rule (docs/PROTOCOL.md §8)
/// for this proposal — its base not in the chain, an id of its scope written (with <c>["*"]</c>: any commit), the
/// signer set changed. An approver sees it before signing; approve refuses to sign when it is not empty.
/// </summary>
/// <param name="Base">The proposal's base version.</param>
/// <param name="Head">HEAD when the review was made.</param>
/// <param name="Conflicts">The conflicts, oldest first (empty: the proposal can still commit on HEAD as it is).</param>
internal sealed record ProposalReview(long Base, RegistryHead Head, ImmutableArray<ProposalConflict> Conflicts)
{
    /// <summary>The review stops reading the log after this many conflicts (one is enough to refuse).</summary>
    public const int MaxConflicts = 50;

    /// <summary>How many commits HEAD is past the base.</summary>
    public long CommitsSinceBase => Math.Max(0, Head.Version - Base);

    /// <summary>True when nothing since the base stops the proposal.</summary>
    public bool InScopeUnchanged => Conflicts.IsEmpty;

    /// <summary>Reads the log from the base to HEAD (one ranged read per 1000 commits).</summary>
    public static async Task<ProposalReview> BuildAsync(RegistryClient client, Proposal proposal, Digest proposalId, CancellationToken cancel)
    {
        var head = await client.GetHeadAsync(cancel);
        var conflicts = ImmutableArray.CreateBuilder<ProposalConflict>();
        if (proposal.BaseVersion > head.Version)
        {
            conflicts.Add(new ProposalConflict(RegistryErrorCode.ChainMismatch, $"its base v{proposal.BaseVersion} is past HEAD v{head.Version}", null, proposal.BaseVersion));
            return new ProposalReview(proposal.BaseVersion, head, conflicts.ToImmutable());
        }

        if (proposal.BaseVersion == head.Version)
        {
            if (head.Hash != proposal.BaseHash)
            {
                conflicts.Add(new ProposalConflict(RegistryErrorCode.ChainMismatch, $"hash(v{head.Version}) is {head.Hash}, not its base_hash {proposal.BaseHash}", null, head.Version));
            }

            return new ProposalReview(proposal.BaseVersion, head, conflicts.ToImmutable());
        }

        var scope = proposal.ScopesEverything ? null : proposal.Scope.ToHashSet(StringComparer.Ordinal);
        await foreach (var record in client.ReadLogAsync(proposal.BaseVersion + 1, head.Version, 1000, cancel))
        {
            if (record.Version == proposal.BaseVersion + 1 && record.PrevHash != proposal.BaseHash)
            {
                conflicts.Add(new ProposalConflict(RegistryErrorCode.ChainMismatch, $"hash(v{proposal.BaseVersion}) is {record.PrevHash}, not its base_hash {proposal.BaseHash}", null, proposal.BaseVersion));
                break;
            }

            if (record.ProposalId == proposalId)
            {
                continue;
            }

            if (scope is null)
            {
                // The whole registry is in scope: the first commit after the base is the conflict (the service names the same).
                conflicts.Add(new ProposalConflict(RegistryErrorCode.ScopeConflict, $"its scope is [\"*\"] and v{record.Version} committed after its base", Proposal.Everything, record.Version));
                break;
            }

            foreach (var id in Written(record.Proposal).Where(scope.Contains).Distinct(StringComparer.Ordinal))
            {
                conflicts.Add(new ProposalConflict(RegistryErrorCode.ScopeConflict, $"'{id}' is in its scope and was written by v{record.Version}", id, record.Version));
            }

            if (record.Proposal.Changes.OfType<SetSignersChange>().FirstOrDefault() is { } set)
            {
                conflicts.Add(new ProposalConflict(RegistryErrorCode.SignerSetChanged, $"v{record.Version} installed signer set v{set.SignerSet.Version}", null, record.Version));
            }

            if (conflicts.Count >= MaxConflicts)
            {
                break;
            }
        }

        return new ProposalReview(proposal.BaseVersion, head, conflicts.ToImmutable());
    }

    /// <summary>The head line: whether HEAD moved since the base.</summary>
    public string HeadLine => CommitsSinceBase == 0
        ? $"v{Head.Version} {Head.Hash} (the proposal's base: HEAD has not moved)"
        : $"v{Head.Version} {Head.Hash} (moved: {CommitsSinceBase} commit{(CommitsSinceBase == 1 ? string.Empty : "s")} since the base v{Base})";

    /// <summary>The scope line: nothing in scope changed, or what did.</summary>
    public string ScopeLine(Proposal proposal) => Conflicts.IsEmpty
        ? (CommitsSinceBase == 0 ? "nothing committed since the base" : $"nothing in its scope ({ScopeText(proposal)}) was written since v{Base}, and the signer set is unchanged")
        : string.Join("; ", Conflicts.Select(c => $"{c.Code}: {c.Detail}"));

    public JsonObject ToJson() => new()
    {
        ["base_version"] = Base,
        ["head"] = new JsonObject { ["version"] = Head.Version, ["hash"] = Head.Hash.ToString() },
        ["head_moved"] = CommitsSinceBase > 0,
        ["commits_since_base"] = CommitsSinceBase,
        ["scope_unchanged"] = Conflicts.IsEmpty,
        ["conflicts"] = new JsonArray([.. Conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["code"] = c.Code.ToString(),
            ["id"] = c.Id,
            ["version"] = c.Version,
            ["detail"] = c.Detail,
        })]),
    };

    private static string ScopeText(Proposal proposal) =>
        proposal.Scope.Length <= 4 ? string.Join(", ", proposal.Scope) : $"{proposal.Scope.Length} ids";

    // The ids a commit writes: what its put and delete changes name (a reference is not a write).
    private static IEnumerable<string> Written(Proposal proposal) => proposal.Changes.Select(c => c switch
    {
        PutChange put => put.Descriptor.Id,
        DeleteChange delete => delete.Id,
        _ => null,
    }).OfType<string>();
}
