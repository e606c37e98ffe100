using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.Ui;

/// <summary>
/// <c>GET /ui/</c>: the read-only web explorer (SPEC §11). Its files are embedded resources of this assembly
/// (nothing is read from disk or fetched from elsewhere), served with their content type, a strong ETag
/// (<c>If-None-Match</c> → 304), <c>Cache-Control: no-cache</c> (revalidate, so an upgraded service is seen at
/// once) and a Content-Security-Policy that allows only this origin's own scripts, styles and API.
/// </summary>
public static class UiEndpoints
{
    /// <summary>The Content-Security-Policy of every <c>/ui/</c> response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private const string ResourcePrefix = "ui/";

    private static readonly Lazy<FrozenDictionary<string, UiAsset>> LazyAssets = new(Load);

    /// <summary>Every file, by its path under <c>/ui/</c>.</summary>
    public static FrozenDictionary<string, UiAsset> Assets => LazyAssets.Value;

    /// <summary>Maps <c>/ui</c> (redirects to <c>/ui/</c>) and <c>/ui/{path}</c>.</summary>
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = Assets;
        // Routing ignores a trailing slash, so "/ui" and "/ui/" both land here: only the first is redirected.
        var ui = app.MapGroup("/ui").WithTags("ui").ProducesProblems(429, 500);
        ui.MapGet(string.Empty, (HttpContext context) => context.Request.Path.Value!.EndsWith('/') ? Serve(null, context) : Results.Redirect("/ui/", permanent: true, preserveMethod: true))
            .WithName("UiRoot").Produces<string>(200, "text/html").ProducesEmpty(308);
        ui.MapGet("/{**path}", Serve).WithName("UiFile")
            .Produces<string>(200, "text/html", "text/javascript", "text/css", "image/svg+xml").ProducesEmpty(304).ProducesProblems(404);
        return app;
    }

    /// <summary>Answers one file (<c>index.html</c> for <c>/ui/</c>), or 404 NotFound.</summary>
    public static IResult Serve(string? path, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Assets.TryGetValue(name, out var asset))
        {
            return new Problem(RegistryErrorCode.NotFound, $"The web explorer has no file '{name}'.");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == asset.ETag || t.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static FrozenDictionary<string, UiAsset> Load()
    {
        var assembly = typeof(UiEndpoints).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = resource[ResourcePrefix.Length..].Replace('\\', '/');
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\"";
            assets[path] = new UiAsset(path, bytes, type, etag);
        }

        return assets.Count > 0 ? assets.ToFrozenDictionary(StringComparer.Ordinal) : throw new InvalidOperationException("The web explorer's files are missing from the assembly (Ui/assets).");
    }
}
