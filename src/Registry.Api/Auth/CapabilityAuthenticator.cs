using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Core;
using Registry.Core.Auth;

namespace Registry.Api.Auth;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;capability&gt;</c> on write endpoints against the current keyring.
/// The keyring (root keys with their overlap windows, revoked token ids) is replaced whole on SIGHUP.
/// Tokens are never logged; only their ids appear in errors.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class CapabilityAuthenticator(CapabilityKeyring keyring, TimeProvider time, RegistryMetrics metrics)
{
    private CapabilityKeyring _keyring = keyring;

    private const string TokenIdItem = "svc-registry.capability-id";

    /// <summary>The id of the capability token <see cref="Check"/> accepted for this request, or null.</summary>
    public static string? TokenIdOf(HttpContext context) => context?.Items[TokenIdItem] as string;

    /// <summary>The keyring in force.</summary>
    public CapabilityKeyring Keyring => Volatile.Read(ref _keyring);

    /// <summary>Swaps in a reloaded keyring.</summary>
    public void Replace(CapabilityKeyring keyring) => Volatile.Write(ref _keyring, keyring);

    /// <summary>Null when the request may use <paramref name="scope"/>; else the 401/403 problem.</summary>
    public Problem? Check(HttpContext context, string scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        if (bearer is null)
        {
            metrics.Rejected("auth");
            return new Problem(RegistryErrorCode.Unauthorized, "This endpoint needs Authorization: Bearer <capability token>.");
        }

        var result = Keyring.Check(bearer, scope, time.GetUtcNow().ToUnixTimeSeconds(), out var token);
        switch (result)
        {
            case CapabilityFailure.None:
                context.Items[TokenIdItem] = token!.Id;
                return null;
            case CapabilityFailure.MissingScope:
                metrics.Rejected("auth");
                return new Problem(RegistryErrorCode.Forbidden, $"Token {token!.Id} does not carry the scope '{scope}'.");
            default:
                metrics.Rejected("auth");
                return new Problem(RegistryErrorCode.Unauthorized, "The capability token is invalid, expired, revoked, or from a retired root key.");
        }
    }
}

/// <summary>Endpoint-filter wiring for scopes.</summary>
public static class CapabilityEndpointExtensions
{
    /// <summary>Requires a capability with <paramref name="scope"/> before the handler runs.</summary>
    public static TBuilder RequireCapability<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var authenticator = context.HttpContext.RequestServices.GetRequiredService<CapabilityAuthenticator>();
            return authenticator.Check(context.HttpContext, scope) is { } problem ? problem : await next(context);
        });
}
