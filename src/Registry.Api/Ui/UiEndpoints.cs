using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.Ui;

/// <summary>
/// <c>GET /ui/</c>: the read-only web explorer (SPEC §11). Its files are embedded resources of this assembly
/// (nothing is read from disk or fetched from elsewhere), served with their content type, a strong ETag
/// (<c>If-None-Match</c> → 304) and a Content-Security-Policy that allows only this origin's own scripts, styles
/// and API.
/// </summary>
/// <remarks>
/// Caching: <c>index.html</c> is <c>no-cache</c> (revalidated on every load, so an upgraded service is seen at
/// once). Every reference to another file, in the page and in the modules' imports, carries
/// <c>?v=</c><see cref="AssetVersion"/>, a digest of all the files; an answer to exactly that URL is
/// <c>immutable</c> for a year, so a fresh load costs one revalidation instead of one per module. Any other URL of a
/// file (no or another <c>v</c>) is answered as <c>no-cache</c>.
/// </remarks>
public static partial class UiEndpoints
{
    /// <summary>The Content-Security-Policy of every <c>/ui/</c> response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private const string ResourcePrefix = "ui/";

    /// <summary>The query parameter that names the version of the files a URL was made for.</summary>
    public const string VersionParameter = "v";

    /// <summary>The <c>Cache-Control</c> of an answer to a URL with the current <see cref="AssetVersion"/>.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private static readonly Lazy<(FrozenDictionary<string, UiAsset> Assets, string Version)> LazyAssets = new(Load);

    /// <summary>Every file, by its path under <c>/ui/</c>, with its references versioned.</summary>
    public static FrozenDictionary<string, UiAsset> Assets => LazyAssets.Value.Assets;

    /// <summary>The first 16 hex digits of SHA-256 over every file as embedded (path and bytes, in path order).</summary>
    public static string AssetVersion => LazyAssets.Value.Version;

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
        headers.CacheControl = context.Request.Query[VersionParameter] == AssetVersion && name != "index.html" ? ImmutableCacheControl : "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == asset.ETag || t.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static (FrozenDictionary<string, UiAsset>, string) Load()
    {
        var assembly = typeof(UiEndpoints).Assembly;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[ResourcePrefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        if (files.Count == 0)
        {
            throw new InvalidOperationException("The web explorer's files are missing from the assembly (Ui/assets).");
        }

        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, bytes) in files)
        {
            all.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            all.AppendData(bytes);
        }

        var version = Convert.ToHexStringLower(all.GetHashAndReset())[..16];
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var (path, original) in files)
        {
            var bytes = Versioned(path, original, files, version);
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\"";
            assets[path] = new UiAsset(path, bytes, type, etag);
        }

        return (assets.ToFrozenDictionary(StringComparer.Ordinal), version);
    }

    /// <summary>
    /// The file with <c>?v=version</c> added to each relative reference to another file: <c>href</c>/<c>src</c>
    /// attributes in HTML, static and dynamic <c>import</c> specifiers in modules. A reference to no known file is
    /// left as it is (and then fails as a 404, as it would have).
    /// </summary>
    private static byte[] Versioned(string path, byte[] bytes, SortedDictionary<string, byte[]> files, string version)
    {
        var pattern = path.EndsWith(".html", StringComparison.Ordinal) ? HtmlReference()
            : path.EndsWith(".js", StringComparison.Ordinal) ? ModuleReference()
            : null;
        if (pattern is null)
        {
            return bytes;
        }

        var directory = path.Contains('/', StringComparison.Ordinal) ? path[..(path.LastIndexOf('/') + 1)] : string.Empty;
        var text = Encoding.UTF8.GetString(bytes);
        var rewritten = pattern.Replace(text, match =>
        {
            var reference = match.Groups["ref"];
            var target = Resolve(directory, reference.Value);
            return target is not null && files.ContainsKey(target)
                ? match.Value[..(reference.Index - match.Index)] + reference.Value + "?" + VersionParameter + "=" + version + match.Value[(reference.Index - match.Index + reference.Length)..]
                : match.Value;
        });
        return Encoding.UTF8.GetBytes(rewritten);
    }

    /// <summary>A relative reference (<c>x.js</c>, <c>./x.js</c>, <c>../x.js</c>) from a file in <paramref name="directory"/>, as a path under <c>/ui/</c>; null if it leaves <c>/ui/</c>.</summary>
    private static string? Resolve(string directory, string reference)
    {
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in reference.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part is not "." and not "")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    // href="app.css", src="js/app.js": relative (no scheme, no leading slash, no query or fragment yet).
    [GeneratedRegex(@"\b(?:href|src)=""(?<ref>(?![a-z][a-z0-9+.-]*:)[^""/?#][^""?#]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlReference();

    // import x from './a.js'; export * from '../b.js'; import './c.js'; import('./d.js')
    [GeneratedRegex("""(?:\bfrom\s*|\bimport\s*\(?\s*)(?<q>['"])(?<ref>\.{1,2}/[^'"?#]+)\k<q>""")]
    private static partial Regex ModuleReference();
}
