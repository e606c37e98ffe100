using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;

namespace Registry.Core.Auth;

/// <summary>One root key: tokens minted with it verify from <see cref="NotBefore"/> until <see cref="NotAfter"/> (null: no end).</summary>
public sealed record CapabilityRootKey(string Id, byte[] Secret, long NotBefore, long? NotAfter);

/// <summary>Why a token was refused.</summary>
public enum CapabilityFailure
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Missing, malformed, bad tag, unknown or retired key, expired, revoked: 401 Unauthorized.</summary>
    Invalid,

    /// <summary>Valid, but without the scope the endpoint needs: 403 Forbidden.</summary>
    MissingScope,
}

/// <summary>
/// The root keys and revoked token ids, as kept in the capabilities file
/// (<c>{"keys":[{"id","secret","not_before","not_after"}],"revoked":[...]}</c>, secrets in base64).
/// Rotation adds a key and gives the old one a <c>not_after</c> at the end of the overlap window.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. The service swaps a whole new keyring on reload. <see cref="Check"/> remembers the tokens
/// whose tag it verified (the HMAC and the parse are per token text and keyring, so they are done once); expiry, key
/// windows and revocation are checked on every call.
/// </remarks>
public sealed class CapabilityKeyring
{
    private const int MaxVerified = 4096;

    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);

    /// <summary>Creates a keyring.</summary>
    public CapabilityKeyring(IEnumerable<CapabilityRootKey> keys, IEnumerable<string> revoked)
    {
        Keys = [.. keys];
        Revoked = revoked.ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>The root keys, oldest first.</summary>
    public ImmutableArray<CapabilityRootKey> Keys { get; }

    /// <summary>Revoked token ids.</summary>
    public ImmutableHashSet<string> Revoked { get; }

    /// <summary>Checks a bearer token for <paramref name="scope"/> at <paramref name="nowUnixSeconds"/>.</summary>
    public CapabilityFailure Check(string? bearer, string scope, long nowUnixSeconds, out CapabilityToken? token)
    {
        token = null;
        if (bearer is null || !TryVerified(bearer, out var known))
        {
            return CapabilityFailure.Invalid;
        }

        var (parsed, key, effective) = known;
        var keyLive = nowUnixSeconds >= key.NotBefore && (key.NotAfter is null || nowUnixSeconds < key.NotAfter);
        if (!keyLive || Revoked.Contains(parsed.Id))
        {
            return CapabilityFailure.Invalid;
        }

        if (effective is not { } caveats || nowUnixSeconds >= caveats.ExpiresAt)
        {
            return CapabilityFailure.Invalid;
        }

        token = parsed;
        return caveats.Scopes.Contains(scope) ? CapabilityFailure.None : CapabilityFailure.MissingScope;
    }

    // The part of a check that depends only on the token's text and this keyring's secrets: the parse, the root key it
    // names and its tag (an HMAC), and its caveats. Remembered per token string for this keyring (a reload makes a new
    // keyring, and so a new memory); only tokens that verified are kept, at most MaxVerified of them, so a caller cannot
    // grow it without valid tokens. Time, the key's validity window and revocation are checked on every request.
    private bool TryVerified(string bearer, out VerifiedToken known)
    {
        if (_verified.TryGetValue(bearer, out known!))
        {
            return true;
        }

        if (!CapabilityToken.TryParse(bearer, out var parsed))
        {
            return false;
        }

        var key = Keys.FirstOrDefault(k => k.Id == parsed.KeyId);
        if (key is null || !parsed.VerifyTag(key.Secret))
        {
            return false;
        }

        known = new VerifiedToken(parsed, key, parsed.Effective());
        if (_verified.Count < MaxVerified)
        {
            _verified.TryAdd(bearer, known);
        }

        return true;
    }

    /// <summary>The key to mint with now: the newest live one.</summary>
    public CapabilityRootKey? MintingKey(long nowUnixSeconds) =>
        Keys.LastOrDefault(k => nowUnixSeconds >= k.NotBefore && (k.NotAfter is null || nowUnixSeconds < k.NotAfter));

    /// <summary>Reads the capabilities file.</summary>
    public static CapabilityKeyring Parse(ReadOnlyMemory<byte> json)
    {
        using var document = CanonicalJson.Parse(json);
        var root = document.RootElement;
        var keys = new List<CapabilityRootKey>();
        foreach (var k in root.GetProperty("keys").EnumerateArray())
        {
            if (!Base64Strict.TryDecode(k.GetProperty("secret").GetString() ?? string.Empty, out var secret) || secret.Length < 32)
            {
                throw new FormatException($"Root key '{k.GetProperty("id").GetString()}' needs a base64 secret of at least 32 bytes.");
            }

            var notAfter = k.TryGetProperty("not_after", out var na) && na.ValueKind == JsonValueKind.Number ? na.GetInt64() : (long?)null;
            keys.Add(new CapabilityRootKey(k.GetProperty("id").GetString()!, secret, k.GetProperty("not_before").GetInt64(), notAfter));
        }

        var revoked = root.TryGetProperty("revoked", out var r) ? r.EnumerateArray().Select(e => e.GetString()!) : [];
        return new CapabilityKeyring(keys, revoked);
    }

    /// <summary>Writes the capabilities file (canonical JSON).</summary>
    public byte[] ToJson()
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("keys");
        writer.WriteStartArray();
        foreach (var key in Keys)
        {
            writer.WriteStartObject();
            writer.WriteString("id", key.Id);
            if (key.NotAfter is { } notAfter)
            {
                writer.WriteInteger("not_after", notAfter);
            }

            writer.WriteInteger("not_before", key.NotBefore);

            writer.WriteString("secret", Convert.ToBase64String(key.Secret));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("revoked");
        writer.WriteStartArray();
        foreach (var id in Revoked.Order(StringComparer.Ordinal))
        {
            writer.WriteString(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return writer.ToArray();
    }

    private sealed record VerifiedToken(CapabilityToken Token, CapabilityRootKey Key, (ImmutableHashSet<string> Scopes, long ExpiresAt)? Effective);
}
