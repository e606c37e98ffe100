using System.Text.Json.Nodes;
using Registry.Client.Models;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>The JSON that <c>--json</c> prints: the service's own member names (snake_case), documents in their canonical form.</summary>
internal static class JsonViews
{
    public static JsonNode Canonical(ReadOnlySpan<byte> canonical) => JsonNode.Parse(canonical)!;

    public static JsonNode Of(Descriptor descriptor) => Canonical(descriptor.CanonicalBytes);

    public static JsonNode Of(Proposal proposal) => Canonical(proposal.CanonicalBytes);

    public static JsonNode Of(CommitRecord record) => Canonical(record.CanonicalBytes);

    public static JsonNode Of(Change change)
    {
        var writer = new CanonicalJsonWriter();
        change.WriteTo(writer);
        return Canonical(writer.WrittenSpan);
    }

    public static JsonObject Of(RegistryHead head) => new()
    {
        ["version"] = head.Version,
        ["hash"] = head.Hash.ToString(),
        ["prev_hash"] = head.PrevHash.ToString(),
        ["state_root"] = head.StateRoot.ToString(),
        ["committed_at"] = head.CommittedAt?.ToString(),
        ["descriptor_count"] = head.DescriptorCount,
        ["signer_set_version"] = head.SignerSetVersion,
        ["registry"] = head.Registry,
    };

    public static JsonObject Of(QuorumStatus quorum)
    {
        var node = new JsonObject { ["have"] = quorum.Have, ["m"] = quorum.M, ["n"] = quorum.N, ["met"] = quorum.IsMet };
        if (quorum.NewM is not null)
        {
            node["new_have"] = quorum.NewHave;
            node["new_m"] = quorum.NewM;
            node["new_n"] = quorum.NewN;
        }

        return node;
    }

    public static JsonObject Of(ProposalView view) => new()
    {
        ["proposal_id"] = view.ProposalId.ToString(),
        ["status"] = view.Status.ToString().ToLowerInvariant(),
        ["quorum"] = Of(view.Quorum),
        ["approvals"] = new JsonArray([.. view.Approvals.Select(a => (JsonNode)new JsonObject { ["signer_id"] = a.SignerId })]),
        ["state_root"] = view.StateRoot.ToString(),
        ["expires_at"] = view.ExpiresAt.ToString(),
        ["version"] = view.Version,
        ["proposal"] = Of(view.Proposal),
    };

    public static JsonObject Of(CommitEvent commit) => new()
    {
        ["version"] = commit.Version,
        ["hash"] = commit.Hash.ToString(),
        ["prev_hash"] = commit.PrevHash.ToString(),
        ["proposal_id"] = commit.ProposalId.ToString(),
        ["committed_at"] = commit.CommittedAt.ToString(),
        ["changes"] = new JsonArray([.. commit.Changes.Select(Of)]),
    };

    /// <summary>One line of the changes summary: <c>put node:a</c>, <c>delete svc:b</c>, <c>set_signers v2</c>.</summary>
    public static string Summary(Change change) => change switch
    {
        PutChange put => $"put {put.Descriptor.Id}",
        DeleteChange delete => $"delete {delete.Id}",
        SetSignersChange set => $"set_signers v{set.SignerSet.Version} ({set.SignerSet.Threshold}-of-{set.SignerSet.Signers.Length})",
        SetLogKeyChange logKey => $"set_log_key {logKey.LogKey.Name}+{logKey.LogKey.KeyId:x8}",
        _ => change.Op,
    };
}
