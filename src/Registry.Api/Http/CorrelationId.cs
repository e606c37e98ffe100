using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>
/// <c>X-Corr-ID</c>: taken from the request when it is 1-64 characters of <c>[A-Za-z0-9._:-]</c>,
/// otherwise generated; echoed on every response and carried in logs and bus events.
/// </summary>
public static class CorrelationId
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Corr-ID";

    private const string ItemKey = "corr_id";

    /// <summary>The request's correlation id (assigning one if the middleware has not run).</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var value) && value is string id)
        {
            return id;
        }

        var incoming = context.Request.Headers[Header].ToString();
        id = IsValid(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = id;
        return id;
    }

    /// <summary>True for an acceptable incoming id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
