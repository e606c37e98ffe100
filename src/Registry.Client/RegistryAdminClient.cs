using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Registry.Client.Internal;
using Registry.Client.Models;
using Registry.Core.Json;

namespace Registry.Client;

/// <summary>
/// The admin listener (<c>METRICS_ADDR</c>): health, readiness, version, metrics, hot backup
/// (<c>POST /admin/backup</c>) and the chaos endpoint (<c>POST</c>/<c>DELETE /admin/chaos</c>, present only when
/// the service's <c>[chaos] enabled = true</c>), and the role (<c>/admin/replica</c>: status, promote, demote). Backup, chaos, promote and demote need a token with the scope <c>registry:admin</c>
/// (given to the constructor, or <see cref="RegistryClientOptions.Token"/>).
/// </summary>
/// <remarks>Thread-safe; does not own the <see cref="HttpClient"/>.</remarks>
public sealed class RegistryAdminClient
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string? _token;

    /// <summary>Creates a client for the admin listener at <paramref name="adminAddress"/> (or the HttpClient's BaseAddress).</summary>
    public RegistryAdminClient(HttpClient httpClient, Uri? adminAddress = null, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _base = adminAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Give the admin listener's address (e.g. http://127.0.0.1:9909).", nameof(adminAddress));
        _token = token;
    }

    /// <summary>The constructor dependency injection uses (<see cref="RegistryClientOptions.AdminAddress"/>).</summary>
    [ActivatorUtilitiesConstructor]
    public RegistryAdminClient(HttpClient httpClient, IOptions<RegistryClientOptions> options)
        : this(httpClient, options?.Value.AdminAddress, options?.Value.Token)
    {
    }

    /// <summary>The admin listener this client talks to.</summary>
    public Uri BaseAddress => _base;

    /// <summary><c>GET /healthz</c>: true when the process answers 200.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/healthz", null, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary><c>GET /readyz</c>: readiness whether the answer is 200 or 503.</summary>
    public async Task<ServiceReadiness> GetReadinessAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/readyz", null, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
        {
            throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
        }

        using var document = Wire.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken), "readyz");
        return Wire.Read("readyz", () => ServiceReadiness.FromJson(document.RootElement));
    }

    /// <summary><c>GET /version</c>.</summary>
    public async Task<ServiceVersion> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Get, "/version", null, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("version", () => ServiceVersion.FromJson(document.RootElement));
    }

    /// <summary><c>GET /metrics</c>: the Prometheus text exposition.</summary>
    public async Task<string> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/metrics", null, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? await response.Content.ReadAsStringAsync(cancellationToken)
            : throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
    }

    /// <summary>
    /// <c>POST /admin/chaos</c> <c>{"fault","ms"}</c>: injects a fault for a drill (scope <c>registry:admin</c>).
    /// 404 NotFound when the service does not have chaos enabled.
    /// </summary>
    public async Task<ChaosFault> InjectChaosAsync(string fault, int ms, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(ms);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("fault", fault);
        writer.WriteInteger("ms", ms);
        writer.WriteEndObject();
        using var document = await SendJsonAsync(HttpMethod.Post, "/admin/chaos", writer.ToArray(), HttpStatusCode.OK, cancellationToken);
        return Wire.Read("chaos", () => ChaosFault.FromJson(document.RootElement));
    }

    /// <summary><c>DELETE /admin/chaos</c>: clears every injected fault. 404 NotFound when chaos is not enabled.</summary>
    public async Task ClearChaosAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, "/admin/chaos", null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// <c>POST /admin/backup</c>: a hot backup by the running service into a new directory it names under its
    /// <c>storage.backup_dir</c>, on the service's host (<see cref="BackupReceipt.Directory"/>); copy it from there.
    /// Needs a token with the scope <c>registry:admin</c>. 409 <c>BackupDirectoryUnusable</c> when the service's
    /// backup directory cannot take it (the detail names the path and the cause).
    /// </summary>
    public async Task<BackupReceipt> BackupAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Post, "/admin/backup", null, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("backup", () => BackupReceipt.FromJson(document.RootElement));
    }

    /// <summary>
    /// <c>POST /admin/replica/demote</c>: this primary takes no more writes (503 ReadOnly), also after a restart, and
    /// answers the last HEAD it committed. Idempotent. Needs the scope <c>registry:admin</c>; 409
    /// <c>RoleChangeRefused</c> on a replica.
    /// </summary>
    public async Task<RoleChangeReceipt> DemoteAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Post, "/admin/replica/demote", null, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("demote", () => RoleChangeReceipt.FromJson(document.RootElement));
    }

    /// <summary>
    /// <c>POST /admin/replica/promote</c>: this replica becomes the primary once the old primary answers that it is
    /// demoted or read-only (and this replica holds its HEAD, waiting up to <paramref name="waitSeconds"/> for it), or
    /// does not answer (and this replica holds the HEAD it last saw). 409 <c>RoleChangeRefused</c> otherwise, the
    /// detail naming what the old primary answered. With <paramref name="resumeDemoted"/>, a demoted primary takes writes again.
    /// Needs the scope <c>registry:admin</c>.
    /// </summary>
    public async Task<RoleChangeReceipt> PromoteAsync(int? waitSeconds = null, bool resumeDemoted = false, CancellationToken cancellationToken = default)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        if (resumeDemoted)
        {
            writer.WritePropertyName("resume_demoted");
            writer.WriteBoolean(true);
        }

        if (waitSeconds is { } wait)
        {
            writer.WriteInteger("wait_seconds", wait);
        }

        writer.WriteEndObject();
        using var document = await SendJsonAsync(HttpMethod.Post, "/admin/replica/promote", writer.ToArray(), HttpStatusCode.OK, cancellationToken);
        return Wire.Read("promote", () => RoleChangeReceipt.FromJson(document.RootElement));
    }

    /// <summary><c>GET /admin/replica</c>: the node's role and HEAD, and its replica status when it is one (the raw JSON object).</summary>
    public async Task<JsonDocument> GetRoleAsync(CancellationToken cancellationToken = default) =>
        await SendJsonAsync(HttpMethod.Get, "/admin/replica", null, HttpStatusCode.OK, cancellationToken);

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, byte[]? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, cancellationToken);
        if (response.StatusCode != expected)
        {
            throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
        }

        return Wire.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken), $"{method} {path}");
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        // The write and /admin/ endpoints need the token; health, readiness, version and metrics are open.
        if (!string.IsNullOrEmpty(_token) && (method != HttpMethod.Get || path.StartsWith("/admin/", StringComparison.Ordinal)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return SendDisposingAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendDisposingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await HttpErrors.SendAsync(_http, request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }
}
