using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Http;

/// <summary>
/// Reads a request body as the registry's strict JSON: Content-Type must be <c>application/json</c>
/// (415), the body must fit the cap (413), and it must parse under the canonical profile (400).
/// </summary>
public static class JsonBody
{
    /// <summary>The parsed body, or the problem to answer with. The caller disposes the document.</summary>
    public static async Task<(JsonDocument? Document, Problem? Problem)> ReadAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new Problem(RegistryErrorCode.UnsupportedMediaType, $"Content-Type must be application/json, not '{request.ContentType}'."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(context.RequestAborted);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return (null, TooLarge(maxBytes));
            }

            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var bytes = read.Buffer.ToArray();
        reader.AdvanceTo(read.Buffer.End);
        try
        {
            return (CanonicalJson.Parse(bytes), null);
        }
        catch (CanonicalJsonException ex)
        {
            return (null, new Problem(RegistryErrorCode.Malformed, ex.Message));
        }
    }

    private static Problem TooLarge(int maxBytes) => new(RegistryErrorCode.PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
}
