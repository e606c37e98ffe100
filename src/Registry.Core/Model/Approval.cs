using System.Text;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// A signer's approval of a proposal: <c>{"algo":"ed25519","sig":"base64","signer_id":"..."}</c> where
/// <c>sig = Ed25519(sk, UTF8("ron:svc-registry:v2\n") || UTF8(proposal_id))</c> (SPEC §1; v2 marks the scoped commit rule, so a v1 approval never counts).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class Approval
{
    /// <summary>The domain-separation prefix of every signed message.</summary>
    public const string Domain = "ron:svc-registry:v2\n";

    private readonly byte[] _signature;

    /// <summary>Creates an approval (the signature is not checked here; see <see cref="Verify"/>).</summary>
    public Approval(string signerId, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signerId);
        SignerId = signerId;
        _signature = signature.ToArray();
    }

    /// <summary>The approving signer.</summary>
    public string SignerId { get; }

    /// <summary>The raw signature bytes (64 for a well-formed one).</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The exact bytes a signer signs for <paramref name="proposalId"/>.</summary>
    public static byte[] SigningMessage(Digest proposalId) => Encoding.UTF8.GetBytes(Domain + proposalId.ToString());

    /// <summary>Signs <paramref name="proposalId"/> with <paramref name="key"/>.</summary>
    public static Approval Sign(string signerId, Ed25519SecretKey key, Digest proposalId)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Approval(signerId, key.Sign(SigningMessage(proposalId)));
    }

    /// <summary>True when the signature is a valid Ed25519 signature by <paramref name="key"/> over the proposal id.</summary>
    public bool Verify(Ed25519PublicKey key, Digest proposalId) => key.Verify(SigningMessage(proposalId), _signature);

    /// <summary>Reads an approval object.</summary>
    public static Approval FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "approval", "signer_id", "algo", "sig");
        fields.RequireAlgo();
        return new Approval(fields.Id("signer_id"), fields.Base64("sig"));
    }

    /// <summary>Writes the canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("algo", "ed25519");
        writer.WriteString("sig", Convert.ToBase64String(_signature));
        writer.WriteString("signer_id", SignerId);
        writer.WriteEndObject();
    }
}
