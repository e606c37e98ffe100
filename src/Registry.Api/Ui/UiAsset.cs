namespace Registry.Api.Ui;

/// <summary>One file of the web explorer, read once from the service's embedded resources.</summary>
/// <param name="Path">Its path under <c>/ui/</c> (<c>index.html</c>, <c>js/app.js</c>, ...).</param>
/// <param name="Bytes">Its bytes.</param>
/// <param name="ContentType">Its media type (with <c>charset=utf-8</c> for text).</param>
/// <param name="ETag">A strong ETag: the quoted SHA-256 of the bytes.</param>
public sealed record UiAsset(string Path, byte[] Bytes, string ContentType, string ETag);
