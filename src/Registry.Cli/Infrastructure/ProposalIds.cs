using Registry.Client;
using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>Proposal ids on the command line: the full <c>sha256:…</c> digest, or a unique prefix of an open proposal's id.</summary>
internal static class ProposalIds
{
    public static async Task<Digest> ResolveAsync(RegistryClient client, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Digest.TryParse(text, out var id))
        {
            return id;
        }

        var prefix = text.StartsWith(Digest.Prefix, StringComparison.Ordinal) ? text : Digest.Prefix + text;
        if (text.Length < 6 || prefix.Length > Digest.Prefix.Length + 64)
        {
            throw CliException.Usage($"'{text}' is not a proposal id (sha256:<64 hex>, or a prefix of at least 6 characters)");
        }

        var matches = (await client.ListProposalsAsync(null, cancellationToken)).Where(p => p.ProposalId.ToString().StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0].ProposalId,
            0 => throw new CliException(ExitCodes.NotFound, $"no open proposal id starts with '{text}'"),
            _ => throw CliException.Usage($"'{text}' matches {matches.Count} proposals; give more of the id"),
        };
    }
}
