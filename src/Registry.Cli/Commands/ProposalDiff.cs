using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Models;
using Registry.Core;
using Registry.Core.Json;
using Registry.Core.Model;
using Spectre.Console;

namespace Registry.Cli.Commands;

/// <summary>
/// What a proposal would change, read against its base version: each put is "added", "changed" (with the
/// attributes that differ) or "unchanged"; each delete "removed" (with what goes) or "absent"; a set_signers
/// change lists signers added, removed and re-keyed and the threshold.
/// </summary>
internal static class ProposalDiff
{
    public static async Task<IReadOnlyList<DiffEntry>> BuildAsync(RegistryClient client, Proposal proposal, CancellationToken cancel)
    {
        var entries = new List<DiffEntry>();
        foreach (var change in proposal.Changes)
        {
            switch (change)
            {
                case PutChange put:
                    var before = await FindAsync(client, proposal.BaseVersion, put.Descriptor.Id, cancel);
                    entries.Add(Put(before, put.Descriptor));
                    break;
                case DeleteChange delete:
                    var gone = await FindAsync(client, proposal.BaseVersion, delete.Id, cancel);
                    entries.Add(gone is null
                        ? new DiffEntry("delete", delete.Id, "absent", [])
                        : new DiffEntry("delete", delete.Id, "removed", [.. Flatten(gone).Select(a => new AttrChange(a.Key, a.Value, null))]));
                    break;
                case SetSignersChange set:
                    entries.Add(Signers(await SignerSetAtAsync(client, proposal.BaseVersion, cancel), set.SignerSet));
                    break;
                case SetLogKeyChange logKey:
                    entries.Add(new DiffEntry("set_log_key", "log_key", "rotated", [new AttrChange("log_key", null, logKey.LogKey.ToString())]));
                    break;
            }
        }

        return entries;
    }

    public static void Render(CommandContext context, ProposalView view, IReadOnlyList<DiffEntry> diff, ProposalReview? review)
    {
        var p = view.Proposal;
        context.KeyValues(
        [
            ("proposal_id", view.ProposalId + " (recomputed from the document: matches)"),
            ("registry", p.Registry),
            ("base", $"v{p.BaseVersion} {p.BaseHash}"),
            ("head", review?.HeadLine),
            ("since base", review?.ScopeLine(p)),
            ("note", p.Note.Length > 0 ? p.Note : null),
            ("expires_at", p.ExpiresAt.ToString()),
            ("state_root", view.StateRoot + " (after commit)"),
            ("status", view.Status.ToString().ToLowerInvariant()),
            ("quorum", view.Quorum + (view.Approvals.Length > 0 ? " — " + string.Join(", ", view.Approvals.Select(a => a.SignerId)) : string.Empty)),
        ]);
        context.Line($"changes against version {p.BaseVersion}:");
        foreach (var entry in diff)
        {
            var (sign, color) = entry.Status switch
            {
                "added" => ("+", "green"),
                "removed" => ("-", "red"),
                "unchanged" => ("=", "grey"),
                "absent" => ("!", "red"),
                _ => ("~", "yellow"),
            };
            context.Env.Console.MarkupLine($"[{color}]{sign} {Markup.Escape(entry.Op)} {Markup.Escape(entry.Subject)} ({Markup.Escape(entry.Status)})[/]");
            foreach (var attr in entry.Attrs)
            {
                if (attr.Old is not null && attr.New is not null)
                {
                    context.Env.Console.MarkupLine($"    [red]- {Markup.Escape(attr.Path)}: {Markup.Escape(attr.Old)}[/]");
                    context.Env.Console.MarkupLine($"    [green]+ {Markup.Escape(attr.Path)}: {Markup.Escape(attr.New)}[/]");
                }
                else if (attr.New is not null)
                {
                    context.Env.Console.MarkupLine($"    [green]+ {Markup.Escape(attr.Path)}: {Markup.Escape(attr.New)}[/]");
                }
                else
                {
                    context.Env.Console.MarkupLine($"    [red]- {Markup.Escape(attr.Path)}: {Markup.Escape(attr.Old ?? string.Empty)}[/]");
                }
            }
        }
    }

    public static JsonArray ToJson(IReadOnlyList<DiffEntry> diff) =>
        new([.. diff.Select(e => (JsonNode)new JsonObject
        {
            ["op"] = e.Op,
            ["subject"] = e.Subject,
            ["status"] = e.Status,
            ["attrs"] = new JsonArray([.. e.Attrs.Select(a => (JsonNode)new JsonObject { ["path"] = a.Path, ["old"] = a.Old, ["new"] = a.New })]),
        })]);

    private static DiffEntry Put(Descriptor? before, Descriptor after)
    {
        var newAttrs = Flatten(after);
        if (before is null)
        {
            return new DiffEntry("put", $"{after.Id} [{Descriptor.KindName(after.Kind)}]", "added", [.. newAttrs.Select(a => new AttrChange(a.Key, null, a.Value))]);
        }

        var oldAttrs = Flatten(before);
        var changes = new List<AttrChange>();
        if (before.Kind != after.Kind)
        {
            changes.Add(new AttrChange("(kind)", Descriptor.KindName(before.Kind), Descriptor.KindName(after.Kind)));
        }

        foreach (var path in oldAttrs.Keys.Union(newAttrs.Keys).Order(StringComparer.Ordinal))
        {
            var old = oldAttrs.GetValueOrDefault(path);
            var @new = newAttrs.GetValueOrDefault(path);
            if (old != @new)
            {
                changes.Add(new AttrChange(path, old, @new));
            }
        }

        return new DiffEntry("put", $"{after.Id} [{Descriptor.KindName(after.Kind)}]", changes.Count == 0 ? "unchanged" : "changed", changes);
    }

    private static DiffEntry Signers(SignerSet current, SignerSet next)
    {
        var changes = new List<AttrChange>();
        if (current.Threshold != next.Threshold || current.Signers.Length != next.Signers.Length)
        {
            changes.Add(new AttrChange("threshold", $"{current.Threshold}-of-{current.Signers.Length}", $"{next.Threshold}-of-{next.Signers.Length}"));
        }

        var before = current.Signers.ToDictionary(s => s.Id, s => s.PublicKey.ToBase64(), StringComparer.Ordinal);
        var after = next.Signers.ToDictionary(s => s.Id, s => s.PublicKey.ToBase64(), StringComparer.Ordinal);
        foreach (var id in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(id);
            var @new = after.GetValueOrDefault(id);
            if (old != @new)
            {
                changes.Add(new AttrChange("signer " + id, old, @new));
            }
        }

        return new DiffEntry("set_signers", $"signer set v{current.Version} -> v{next.Version}", changes.Count == 0 ? "unchanged" : "changed", changes);
    }

    /// <summary>Attributes as dotted paths to canonical JSON leaves (arrays are leaves).</summary>
    private static Dictionary<string, string> Flatten(Descriptor descriptor)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(descriptor.Attrs.ToArray());
        Walk(document.RootElement, string.Empty, result);
        return result;

        static void Walk(JsonElement element, string path, Dictionary<string, string> into)
        {
            if (element.ValueKind == JsonValueKind.Object && (path.Length == 0 || element.EnumerateObject().Any()))
            {
                foreach (var member in element.EnumerateObject())
                {
                    Walk(member.Value, path.Length == 0 ? member.Name : path + "." + member.Name, into);
                }

                return;
            }

            into[path] = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(element));
        }
    }

    /// <summary>The descriptor <paramref name="id"/> at <paramref name="version"/>, or null when it has none.</summary>
    public static async Task<Descriptor?> FindAsync(RegistryClient client, long version, string id, CancellationToken cancel)
    {
        try
        {
            return (await client.GetDescriptorAsync(version, id, cancel)).Descriptor;
        }
        catch (RegistryClientException ex) when (ex.ErrorCode == RegistryErrorCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The signer set in force at <paramref name="version"/>: the genesis set, then each committed set_signers.</summary>
    private static async Task<SignerSet> SignerSetAtAsync(RegistryClient client, long version, CancellationToken cancel)
    {
        var set = (await client.GetGenesisAsync(cancel)).SignerSet;
        if (version == 0 || (await client.GetHeadAsync(cancel)).SignerSetVersion == set.Version)
        {
            return set;
        }

        await foreach (var record in client.ReadLogAsync(1, version, 1000, cancel))
        {
            foreach (var change in record.Proposal.Changes.OfType<SetSignersChange>())
            {
                set = change.SignerSet;
            }
        }

        return set;
    }
}
