using System.Text;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Tests.Support;

/// <summary>Proposals and pre-signed submission bodies built by the test itself, approved with the dev signers' keys.</summary>
internal static class DevSubmissions
{
    /// <summary>A proposal of one change (JSON) on the HEAD document <paramref name="head"/> (<c>GET /registry/head</c>), expiring in an hour.</summary>
    public static Proposal On(JsonElement head, string change, string note)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(change));
        return new Proposal(
            head.GetProperty("registry").GetString()!,
            head.GetProperty("version").GetInt64(),
            Digest.Parse(head.GetProperty("hash").GetString()!),
            head.GetProperty("signer_set_version").GetInt64(),
            null,
            [Change.FromJson(document.RootElement)],
            Timestamp.From(DateTimeOffset.UtcNow.AddHours(1)),
            note);
    }

    /// <summary>An approval of <paramref name="proposal"/> signed as <paramref name="signerId"/> with dev key <paramref name="devKey"/>.</summary>
    public static Approval SignAs(string signerId, int devKey, Proposal proposal)
    {
        using var key = SignerKeyDocument.DevKey(devKey);
        return Approval.Sign(signerId, key, proposal.Id);
    }

    /// <summary>The <c>POST /registry/commits</c> body: the proposal with approvals by dev signers <paramref name="signers"/>.</summary>
    public static string Body(Proposal proposal, params int[] signers) =>
        Body(proposal, signers.Select(n => SignAs($"dev-signer-{n}", n, proposal)));

    /// <summary>The <c>POST /registry/commits</c> body of a proposal and these approvals.</summary>
    public static string Body(Proposal proposal, IEnumerable<Approval> approvals) =>
        Encoding.UTF8.GetString(new PreSignedSubmission(proposal, approvals).CanonicalBytes);
}
