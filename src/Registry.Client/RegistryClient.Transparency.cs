using System.Globalization;
using System.Net;
using Registry.Client.Verification;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary><c>GET /registry/tlog/checkpoint</c>: the signed checkpoint note, as served (verify it with <see cref="SignedNote.VerifiedBy"/>).</summary>
    public async Task<SignedNote> GetCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var bytes = await SendAsync(HttpMethod.Get, "/registry/tlog/checkpoint", null, false, HttpStatusCode.OK, cancellationToken);
        return SignedNote.TryParse(bytes, out var note)
            ? note
            : throw Internal.Wire.Invalid("GET /registry/tlog/checkpoint: the response is not a signed note.");
    }

    /// <summary>
    /// <c>GET /registry/descriptors/{id}?proof=full[&amp;since=N]</c>: the proof bundle of <paramref name="id"/> at the
    /// head of the newest checkpoint, with a consistency proof from tree size <paramref name="since"/> when given.
    /// </summary>
    public async Task<ProofBundle> GetProofBundleAsync(string id, long? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!RegistryIds.IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a descriptor id (1-128 characters of [a-z0-9:._/-]).", nameof(id));
        }

        var query = since is { } from ? "&since=" + from.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var path = $"/registry/descriptors/{id}?proof=full{query}";
        var bytes = await SendAsync(HttpMethod.Get, path, null, false, HttpStatusCode.OK, cancellationToken);
        return Internal.Wire.Read("proof bundle", () => ProofBundle.Parse(bytes));
    }

    /// <summary>
    /// Fetches the proof bundle of <paramref name="id"/> (asking for consistency from the newest checkpoint the verifier
    /// trusts) and verifies it in one call: log signature, inclusion, state proof, and no rollback or split view. When
    /// the checkpoint is signed by a key other than the verifier's and the verifier has a <see cref="TransparencyVerifier.Follower"/>,
    /// the chain is first read from <c>/registry/log</c> and verified through the checkpoint's last version, so a log key
    /// rotated by a <c>set_log_key</c> commit is followed (docs/PROTOCOL.md §12.14).
    /// </summary>
    public async Task<BundleVerification> VerifyDescriptorAsync(string id, TransparencyVerifier verifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var bundle = await GetProofBundleAsync(id, verifier.Checkpoints.Newest?.Size, cancellationToken);
        if (verifier.Follower is { } follower && SignedNote.TryParse(System.Text.Encoding.UTF8.GetBytes(bundle.Checkpoint), out var note)
            && verifier.SizeToFollow(note) is { } size && follower.Version < size - 1)
        {
            var through = size - 1;
            if (await follower.FollowAsync(ReadLogAsync(follower.Version + 1, through, 1000, cancellationToken), through, cancellationToken) is { } error)
            {
                return BundleVerification.Fail(BundleRefusal.LogKeyNotFollowed, $"following the chain to the checkpoint of size {size} failed: {error}");
            }
        }

        return verifier.Verify(bundle);
    }
}
