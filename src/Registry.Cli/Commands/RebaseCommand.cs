using System.Text;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Models;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry propose --rebase P</c>: the changes of a proposal that a conflicting commit made stale, proposed
/// again on the current HEAD — base = HEAD, the scope recomputed from the changes (plus any extra ids the original
/// pinned), the signer set in force, the same registry and note, a fresh expiry. The new proposal needs new
/// approvals: its approvers review its diff against the new base.
/// </summary>
/// <remarks>
/// Refused (exit 4, nothing proposed) when the proposal is not stale (<c>NotStale</c>), or when its changes no longer
/// mean the same on HEAD (<c>ChangesNoLongerApply</c>: a put that updated a descriptor deleted since, a delete of one
/// already gone, a <c>set_signers</c> for a signer set no longer in force), or when the service refuses them on HEAD
/// (its own code, e.g. <c>DanglingReference</c>). An unknown proposal is exit 3.
/// </remarks>
internal static class RebaseCommand
{
    public const string NotStale = "NotStale";

    public const string ChangesNoLongerApply = "ChangesNoLongerApply";

    public static async Task<int> RunAsync(CommandContext context, string proposalText, string? note, Timestamp? expiresAt, CancellationToken cancel)
    {
        var client = context.Client();
        var oldId = await ProposalIds.ResolveAsync(client, proposalText, cancel);
        var view = await client.GetProposalAsync(oldId, cancel);
        if (!view.IdMatches || view.ProposalId != oldId)
        {
            throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"Refusing to rebase: the server calls the proposal {view.ProposalId}, but its document hashes to {view.Proposal.Id}.");
        }

        if (view.Status != ProposalStatus.Stale)
        {
            throw new CliException(ExitCodes.Conflict, NotStaleMessage(view)) { Code = NotStale };
        }

        var old = view.Proposal;
        var head = await client.GetHeadAsync(cancel);
        await RequireSameMeaningAsync(client, old, head, cancel);

        var document = new JsonObject
        {
            ["base_hash"] = head.Hash.ToString(),
            ["base_version"] = head.Version,
            ["changes"] = new JsonArray([.. old.Changes.Select(c => JsonViews.Of(c))]),
            ["note"] = note ?? old.Note,
            ["registry"] = old.Registry,
            ["scope"] = new JsonArray([.. Scope(old).Select(id => (JsonNode)id)]),
            ["signer_set_version"] = head.SignerSetVersion,
        };
        if (expiresAt is { } at)
        {
            document["expires_at"] = at.ToString();
        }

        ProposalReceipt receipt;
        try
        {
            receipt = await client.ProposeAsync(Encoding.UTF8.GetBytes(document.ToJsonString()), cancel);
        }
        catch (RegistryClientException ex) when (ex.StatusCode is 409 or 422)
        {
            throw new CliException(ExitCodes.Conflict, $"not rebased: the changes of {oldId} no longer apply on HEAD v{head.Version}: {ex.Message}", ex) { Code = ex.Code };
        }

        if (receipt.Proposal.BaseVersion != head.Version || receipt.Proposal.BaseHash != head.Hash || !ChangesBytes(receipt.Proposal).SequenceEqual(ChangesBytes(old)))
        {
            throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"The service accepted {receipt.ProposalId}, but not with the changes of {oldId} on HEAD v{head.Version}.");
        }

        if (context.Json)
        {
            var json = ProposeCommand.ToJson(receipt);
            json["rebased_from"] = oldId.ToString();
            json["old_base_version"] = old.BaseVersion;
            json["stale"] = view.Stale is { } why ? new JsonObject { ["code"] = why.Code.ToString(), ["id"] = why.Id, ["version"] = why.Version, ["detail"] = why.Detail } : null;
            context.WriteJson(json);
            return ExitCodes.Ok;
        }

        context.KeyValues(
        [
            .. ProposeCommand.Rows(receipt),
            ("rebased from", $"{oldId} (base v{old.BaseVersion}{(view.Stale is { } stale ? "; stale: " + stale.Detail : string.Empty)})"),
        ]);
        context.Line($"next: ronctl registry approve --id {receipt.ProposalId} --signer <signer>   (the old approvals do not carry over)");
        return ExitCodes.Ok;
    }

    private static string NotStaleMessage(ProposalView view) => view.Status switch
    {
        ProposalStatus.Committed => $"not rebased: proposal {view.ProposalId} is committed (version {view.Version}); there is nothing to rebase",
        ProposalStatus.Expired => $"not rebased: proposal {view.ProposalId} is expired, not stale; propose its changes again with --file",
        _ => $"not rebased: proposal {view.ProposalId} is {view.Status.ToString().ToLowerInvariant()}, not stale: nothing since its base v{view.Proposal.BaseVersion} stops it, so approve and commit it as it is",
    };

    // A put that updated a descriptor now deleted would create it again; a delete of a descriptor now gone has nothing
    // to delete; a set_signers names the version after the set it replaces. In each case the approvers' intent does not
    // carry over to HEAD, so the command stops rather than propose something else under the same changes.
    private static async Task RequireSameMeaningAsync(RegistryClient client, Proposal old, RegistryHead head, CancellationToken cancel)
    {
        foreach (var change in old.Changes)
        {
            if (change is PutChange put
                && await ProposalDiff.FindAsync(client, old.BaseVersion, put.Descriptor.Id, cancel) is not null
                && await ProposalDiff.FindAsync(client, head.Version, put.Descriptor.Id, cancel) is null)
            {
                throw NoLongerApplies($"'{put.Descriptor.Id}', which it updates, existed at its base v{old.BaseVersion} and has been deleted since (HEAD v{head.Version}); its put would create it again");
            }

            if (change is DeleteChange delete && await ProposalDiff.FindAsync(client, head.Version, delete.Id, cancel) is null)
            {
                throw NoLongerApplies($"'{delete.Id}', which it deletes, has been deleted since its base v{old.BaseVersion} (HEAD v{head.Version})");
            }

            if (change is SetSignersChange set && set.SignerSet.Version != head.SignerSetVersion + 1)
            {
                throw NoLongerApplies($"its set_signers installs signer set v{set.SignerSet.Version} in place of v{set.SignerSet.Version - 1}, but v{head.SignerSetVersion} is in force at HEAD v{head.Version}; write a new set_signers proposal");
            }
        }

        CliException NoLongerApplies(string why) =>
            new(ExitCodes.Conflict, $"not rebased: the changes no longer apply on HEAD: {why}") { Code = ChangesNoLongerApply };
    }

    // The scope the changes need, plus whatever more the author pinned; ["*"] stays ["*"].
    private static IEnumerable<string> Scope(Proposal old) => old.ScopesEverything
        ? [Proposal.Everything]
        : Proposal.ScopeOf(old.Changes).Union(old.Scope, StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static byte[] ChangesBytes(Proposal proposal)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartArray();
        foreach (var change in proposal.Changes)
        {
            change.WriteTo(writer);
        }

        writer.WriteEndArray();
        return writer.ToArray();
    }
}
