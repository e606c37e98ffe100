using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Http;

/// <summary>
/// The one place request bodies are read. As the registry's strict JSON: Content-Type must be
/// <c>application/json</c> (415), the body must fit the cap (413), and it must parse under the canonical
/// profile (400). Any failure to read the bytes at all (a malformed or overflowing chunk size, a body cut short,
/// a Content-Length the bytes do not match) is the client's: 400 <c>Malformed</c>, never a 5xx.
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

        var (bytes, problem) = await ReadBytesAsync(context, maxBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            return (CanonicalJson.Parse(bytes), null);
        }
        catch (CanonicalJsonException ex)
        {
            return (null, new Problem(RegistryErrorCode.Malformed, ex.Message));
        }
    }

    /// <summary>
    /// Reads and drops a body the endpoint takes no content from (e.g. <c>POST /registry/commit/{id}</c>), so
    /// that its size and framing are held to the same rules as every other body: null, or the 400/413 problem.
    /// </summary>
    public static async Task<Problem?> DiscardAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HasBody(context.Request) ? (await ReadBytesAsync(context, maxBytes)).Problem : null;
    }

    /// <summary>The raw bytes of a body that is not JSON (a C2SP add-checkpoint request), held to the same cap and framing rules.</summary>
    public static Task<(byte[] Bytes, Problem? Problem)> ReadRawAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReadBytesAsync(context, maxBytes);
    }

    /// <summary>True when the request carries a body (a non-zero Content-Length, or chunked framing).</summary>
    public static bool HasBody(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
    }

    private static async Task<(byte[] Bytes, Problem? Problem)> ReadBytesAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return ([], TooLarge(maxBytes));
        }

        var reader = request.BodyReader;
        try
        {
            ReadResult read;
            while (true)
            {
                read = await reader.ReadAsync(context.RequestAborted);
                if (read.Buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    return ([], TooLarge(maxBytes));
                }

                if (read.IsCompleted)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }

            var bytes = read.Buffer.ToArray();
            reader.AdvanceTo(read.Buffer.End);
            return (bytes, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], TooLarge(maxBytes));
        }
        catch (IOException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel's body readers report bad framing as IOException (BadHttpRequestException is one; an
            // overflowing chunk size arrives as a plain IOException wrapping OverflowException). Nothing was
            // read that could be acted on, and the bytes on the wire are the client's.
            return ([], new Problem(RegistryErrorCode.Malformed, $"The request body could not be read: {ex.Message}"));
        }
    }

    private static Problem TooLarge(int maxBytes) => new(RegistryErrorCode.PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
}
