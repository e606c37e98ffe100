// Capability tokens: self-contained, macaroon-style HMAC-SHA256 bearer tokens (SPEC §2 "Auth").
//   token      = "rcap1." + b64url(identifier) *("." + b64url(caveat)) + "." + b64url(tag)
//   identifier = canonical JSON {"exp":<unix s>,"id":"<token id>","kid":"<root key id>","scopes":[...]}
//                (RFC 8785 bytes exactly as minted: these four members only, scopes sorted and unique; any
//                other identifier is refused even when its MAC verifies)
//   tag_0      = HMAC-SHA256(root_key[kid], identifier)
//   tag_i      = HMAC-SHA256(tag_{i-1}, caveat_i)          (UTF-8 caveat text)
// Anyone holding a token can append a caveat (attenuate) without the root key; nobody can remove one.
// Caveats only narrow: "scope=<s>[,<s>…]" intersects the scopes, "exp<=<unix s>" lowers the expiry.
// An unknown caveat makes the token invalid (fail closed). Comparison is constant-time.
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Auth;

/// <summary>A parsed capability token. Immutable; thread-safe. Never log <see cref="ToString"/>'s secret parts: it returns only the id.</summary>
public sealed class CapabilityToken
{
    /// <summary>The prefix of every token.</summary>
    public const string Prefix = "rcap1.";

    private readonly byte[] _identifier;
    private readonly byte[] _tag;

    private CapabilityToken(byte[] identifier, string id, string keyId, ImmutableArray<string> scopes, long expiresAt, ImmutableArray<string> caveats, byte[] tag)
    {
        _identifier = identifier;
        Id = id;
        KeyId = keyId;
        Scopes = scopes;
        ExpiresAt = expiresAt;
        Caveats = caveats;
        _tag = tag;
    }

    /// <summary>The token id (what <c>ronctl cap revoke</c> names).</summary>
    public string Id { get; }

    /// <summary>The root key id that minted it.</summary>
    public string KeyId { get; }

    /// <summary>The scopes in the identifier (before caveats).</summary>
    public ImmutableArray<string> Scopes { get; }

    /// <summary>Expiry in the identifier, Unix seconds (before caveats).</summary>
    public long ExpiresAt { get; }

    /// <summary>The caveats, in order.</summary>
    public ImmutableArray<string> Caveats { get; }

    /// <summary>Mints a token with a root key.</summary>
    public static string Mint(string keyId, ReadOnlySpan<byte> rootKey, string tokenId, IEnumerable<string> scopes, long expiresAtUnixSeconds)
    {
        var identifier = Identifier(keyId, tokenId, scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), expiresAtUnixSeconds);
        return Prefix + Base64Url.EncodeToString(identifier) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(rootKey, identifier));
    }

    /// <summary>Appends a caveat: the result can do at most what <paramref name="token"/> can.</summary>
    public static string Attenuate(string token, string caveat)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(caveat);
        if (!TryParse(token, out var parsed))
        {
            throw new FormatException("Not a capability token.");
        }

        var tag = HMACSHA256.HashData(parsed._tag, Encoding.UTF8.GetBytes(caveat));
        var withoutTag = token[..token.LastIndexOf('.')];
        return withoutTag + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(caveat)) + "." + Base64Url.EncodeToString(tag);
    }

    /// <summary>Parses the structure (no signature check). False for anything malformed.</summary>
    public static bool TryParse(string? text, out CapabilityToken token)
    {
        token = null!;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length > 8192)
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('.');
        if (parts.Length < 2 || !TryDecode(parts[0], out var identifier) || !TryDecode(parts[^1], out var tag) || tag.Length != 32)
        {
            return false;
        }

        var caveats = ImmutableArray.CreateBuilder<string>();
        for (var i = 1; i < parts.Length - 1; i++)
        {
            if (!TryDecode(parts[i], out var caveat))
            {
                return false;
            }

            caveats.Add(Encoding.UTF8.GetString(caveat));
        }

        try
        {
            using var document = CanonicalJson.Parse(identifier);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count() != 4)
            {
                return false;
            }

            var scopes = root.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
            var id = root.GetProperty("id").GetString()!;
            var keyId = root.GetProperty("kid").GetString()!;
            var expiresAt = root.GetProperty("exp").GetInt64();

            // Only the exact bytes Mint writes for these values: canonical JSON, the four known members and
            // nothing else, scopes sorted and unique. A MAC over any other spelling is still refused, so no
            // member a verifier does not understand (e.g. "admin": true) can ride along.
            if (!identifier.AsSpan().SequenceEqual(Identifier(keyId, id, scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), expiresAt)))
            {
                return false;
            }

            token = new CapabilityToken(identifier, id, keyId, scopes, expiresAt, caveats.ToImmutable(), tag);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidOperationException or JsonException)
        {
            return false;
        }
    }

    // The identifier: canonical {"exp","id","kid","scopes"}, scopes written in the order given.
    private static byte[] Identifier(string keyId, string tokenId, IEnumerable<string> scopes, long expiresAtUnixSeconds)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteInteger("exp", expiresAtUnixSeconds);
        writer.WriteString("id", tokenId);
        writer.WriteString("kid", keyId);
        writer.WritePropertyName("scopes");
        writer.WriteStartArray();
        foreach (var scope in scopes)
        {
            writer.WriteString(scope);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>True when the HMAC chain verifies under <paramref name="rootKey"/> (constant-time compare).</summary>
    public bool VerifyTag(ReadOnlySpan<byte> rootKey)
    {
        Span<byte> tag = stackalloc byte[32];
        HMACSHA256.HashData(rootKey, _identifier, tag);
        foreach (var caveat in Caveats)
        {
            HMACSHA256.HashData(tag, Encoding.UTF8.GetBytes(caveat), tag);
        }

        return CryptographicOperations.FixedTimeEquals(tag, _tag);
    }

    /// <summary>
    /// The scopes and expiry after applying every caveat, or null when a caveat is not understood.
    /// </summary>
    public (ImmutableHashSet<string> Scopes, long ExpiresAt)? Effective()
    {
        var scopes = Scopes.ToImmutableHashSet(StringComparer.Ordinal);
        var expires = ExpiresAt;
        foreach (var caveat in Caveats)
        {
            if (caveat.StartsWith("scope=", StringComparison.Ordinal))
            {
                scopes = scopes.Intersect(caveat["scope=".Length..].Split(','));
            }
            else if (caveat.StartsWith("exp<=", StringComparison.Ordinal) && long.TryParse(caveat["exp<=".Length..], out var limit))
            {
                expires = Math.Min(expires, limit);
            }
            else
            {
                return null;
            }
        }

        return (scopes, expires);
    }

    /// <inheritdoc />
    public override string ToString() => $"capability {Id}";

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }
}
