using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>
/// [etcd]: the cluster that holds the event log when <c>storage.backend = "etcd"</c> (SPEC §5, §9; docs/HA.md), flag
/// <c>--etcd URL,URL,...</c> for the endpoints.
/// </summary>
public sealed class EtcdOptions
{
    /// <summary>The largest request etcd takes by default (its <c>--max-request-bytes</c>, 1.5 MiB).</summary>
    public const int DefaultMaxRequestBytes = 1_572_864;

    /// <summary>
    /// The client URLs of the etcd members, comma-separated (<c>http://127.0.0.1:2379,http://127.0.0.1:22379</c>).
    /// Required with the etcd backend; ignored otherwise.
    /// </summary>
    [ConfigurationKeyName("endpoints")]
    public string Endpoints { get; init; } = string.Empty;

    /// <summary>The writer's lease: a writer that cannot renew it for this long stops writing, and another is elected.</summary>
    [ConfigurationKeyName("lease_ttl_seconds")]
    [Range(2, 60)]
    public int LeaseTtlSeconds { get; init; } = 5;

    /// <summary>
    /// This node's API URL as other nodes and clients reach it: what the writer publishes in its election key and what
    /// 421 NotPrimary names. Empty: <c>http://</c> plus <c>listen.api_addr</c>.
    /// </summary>
    [ConfigurationKeyName("advertise_url")]
    public string AdvertiseUrl { get; init; } = string.Empty;

    /// <summary>The key prefix every registry's keys live under; the registry id follows it.</summary>
    [ConfigurationKeyName("prefix")]
    public string Prefix { get; init; } = "/svc-registry/";

    /// <summary>
    /// etcd's <c>--max-request-bytes</c> on the cluster: an event whose append would exceed it is refused when it is
    /// proposed (413 with a typed code), not when the writer appends it.
    /// </summary>
    [ConfigurationKeyName("max_request_bytes")]
    [Range(65_536, 67_108_864)]
    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    /// <summary>How long one etcd call may take before the node counts etcd as unreachable (milliseconds).</summary>
    [ConfigurationKeyName("request_timeout_ms")]
    [Range(100, 60_000)]
    public int RequestTimeoutMs { get; init; } = 2_000;

    /// <summary>The endpoints as a list (empty entries dropped).</summary>
    public IReadOnlyList<string> EndpointList =>
        Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A problem naming the key when the etcd settings cannot work for <paramref name="backend"/>, else null.</summary>
    /// <param name="backend">The configured <c>storage.backend</c>.</param>
    /// <returns>Null when valid, else the problem.</returns>
    public string? Problem(string backend)
    {
        if (backend != StorageOptions.EtcdBackend)
        {
            return null;
        }

        if (EndpointList.Count == 0)
        {
            return "'storage.backend' = \"etcd\" needs 'etcd.endpoints' (or --etcd URL,URL,...): the client URLs of the etcd members";
        }

        foreach (var endpoint in EndpointList)
        {
            if (!IsHttpUrl(endpoint))
            {
                return $"'etcd.endpoints' must be absolute http:// or https:// URLs, comma-separated; got '{endpoint}'";
            }
        }

        if (AdvertiseUrl.Length > 0 && !IsHttpUrl(AdvertiseUrl))
        {
            return $"'etcd.advertise_url' must be an absolute http:// or https:// URL, got '{AdvertiseUrl}'";
        }

        return Prefix.StartsWith('/') && Prefix.EndsWith('/')
            ? null
            : $"'etcd.prefix' must start and end with '/', got '{Prefix}'";
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0;
}
