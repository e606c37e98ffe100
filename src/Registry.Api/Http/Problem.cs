// RFC 9457 problem details. Every error the service returns, including the framework's own
// 400/404/405/413/415, is application/problem+json with a stable "code" (SPEC §2) and the request's
// "corr_id":  {"code","corr_id","detail","instance","status","title","type"}; a 429 Busy past a configured bound also
// carries "limit": {"key","value"} (which bound, its configured value).
using Microsoft.AspNetCore.Http;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Http;

/// <summary>An error response. Also an <see cref="IResult"/>, so handlers can return it in a <c>Results&lt;…&gt;</c> union.</summary>
public sealed class Problem : IResult
{
    /// <summary>Creates a problem.</summary>
    public Problem(RegistryErrorCode code, string detail, TimeSpan? retryAfter = null)
    {
        Code = code;
        Detail = detail;
        RetryAfter = retryAfter ?? DefaultRetryAfter(code);
    }

    /// <summary>The stable code.</summary>
    public RegistryErrorCode Code { get; }

    /// <summary>What went wrong, for people.</summary>
    public string Detail { get; }

    /// <summary>The configured bound a 429 <c>Busy</c> ran into, written as the <c>limit</c> member; null for none.</summary>
    public Core.Machine.RejectedLimit? Limit { get; init; }

    /// <summary>Sent as <c>Retry-After</c> (429 and 503).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Extension members (RFC 9457 section 3.2) written beside the standard ones, e.g. <c>primary</c> on 421
    /// NotPrimary. Names must not be those of the standard members.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }

    /// <summary>The HTTP status of <paramref name="code"/>.</summary>
    public static int StatusOf(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.Malformed => 400,
        RegistryErrorCode.Unauthorized => 401,
        RegistryErrorCode.Forbidden => 403,
        RegistryErrorCode.NotFound => 404,
        RegistryErrorCode.MethodNotAllowed => 405,
        RegistryErrorCode.ChainMismatch or RegistryErrorCode.ScopeConflict or RegistryErrorCode.SignerSetChanged or RegistryErrorCode.DuplicateApproval or RegistryErrorCode.BackupDirectoryUnusable or RegistryErrorCode.NotInHistory or RegistryErrorCode.RoleChangeRefused => 409,
        RegistryErrorCode.ProposalExpired => 410,
        RegistryErrorCode.PayloadTooLarge => 413,
        RegistryErrorCode.UnsupportedMediaType => 415,
        RegistryErrorCode.NotPrimary => 421,
        RegistryErrorCode.Busy => 429,
        RegistryErrorCode.NotReady or RegistryErrorCode.ReadOnly => 503,
        _ => 422,
    };

    /// <summary>The code for a bare framework status (404 from routing, 405, 413, 415 …).</summary>
    public static RegistryErrorCode CodeOfStatus(int status) => status switch
    {
        401 => RegistryErrorCode.Unauthorized,
        403 => RegistryErrorCode.Forbidden,
        404 => RegistryErrorCode.NotFound,
        405 => RegistryErrorCode.MethodNotAllowed,
        413 => RegistryErrorCode.PayloadTooLarge,
        415 => RegistryErrorCode.UnsupportedMediaType,
        429 => RegistryErrorCode.Busy,
        503 => RegistryErrorCode.NotReady,
        _ => RegistryErrorCode.Malformed,
    };

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var status = StatusOf(Code);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        if (RetryAfter is { } retry && status is 429 or 503)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Canonical JSON: members in ordinal order, the extensions merged in among the standard ones.
        var members = new SortedList<string, Action<CanonicalJsonWriter>>(StringComparer.Ordinal)
        {
            ["code"] = w => w.WriteString(Code.ToString()),
            ["corr_id"] = w => w.WriteString(CorrelationId.Of(httpContext)),
            ["detail"] = w => w.WriteString(Detail),
            ["instance"] = w => w.WriteString(httpContext.Request.Path.Value ?? "/"),
            ["status"] = w => w.WriteInteger(status),
            ["title"] = w => w.WriteString(Title(Code)),
            ["type"] = w => w.WriteString("urn:svc-registry:problem:" + Code),
        };
        foreach (var (name, value) in Extensions ?? new Dictionary<string, string>())
        {
            members.Add(name, w => w.WriteString(value));
        }

        if (Limit is { } limit)
        {
            members.Add("limit", w =>
            {
                w.WriteStartObject();
                w.WriteString("key", limit.Key);
                w.WriteInteger("value", limit.Value);
                w.WriteEndObject();
            });
        }

        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        foreach (var (name, write) in members)
        {
            writer.WritePropertyName(name);
            write(writer);
        }

        writer.WriteEndObject();
        return response.Body.WriteAsync(writer.ToArray()).AsTask();
    }

    private static TimeSpan? DefaultRetryAfter(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.Busy => TimeSpan.FromSeconds(1),
        RegistryErrorCode.NotReady or RegistryErrorCode.ReadOnly => TimeSpan.FromSeconds(5),
        _ => null,
    };

    private static string Title(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.Malformed => "Malformed request",
        RegistryErrorCode.Unauthorized => "Missing or invalid capability token",
        RegistryErrorCode.Forbidden => "Token lacks the required scope",
        RegistryErrorCode.NotFound => "Not found",
        RegistryErrorCode.MethodNotAllowed => "Method not allowed",
        RegistryErrorCode.ChainMismatch => "The proposal's base is not in this chain",
        RegistryErrorCode.ScopeConflict => "A later commit wrote an id in the proposal's scope",
        RegistryErrorCode.SignerSetChanged => "The signer set changed since the proposal",
        RegistryErrorCode.NotPrimary => "Not the primary",
        RegistryErrorCode.DuplicateApproval => "Signer already approved",
        RegistryErrorCode.BackupDirectoryUnusable => "Backup directory unusable",
        RegistryErrorCode.NotInHistory => "The stream position is not in this node's history",
        RegistryErrorCode.RoleChangeRefused => "The node's role was not changed",
        RegistryErrorCode.ProposalExpired => "Proposal expired",
        RegistryErrorCode.PayloadTooLarge => "Request body too large",
        RegistryErrorCode.UnsupportedMediaType => "Content-Type must be application/json",
        RegistryErrorCode.InvalidSig => "Invalid signature",
        RegistryErrorCode.UnknownSigner => "Unknown signer",
        RegistryErrorCode.QuorumFailed => "Quorum not reached",
        RegistryErrorCode.InvalidDescriptor => "Invalid descriptor",
        RegistryErrorCode.DanglingReference => "Dangling reference",
        RegistryErrorCode.Busy => "Busy",
        RegistryErrorCode.NotReady => "Not ready",
        RegistryErrorCode.InconsistentProof => "The consistency proof does not verify",
        _ => "Read-only",
    };
}
