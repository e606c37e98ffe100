using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary>
/// A filter for <see cref="RegistryClient.QueryDescriptorsAsync(long, DescriptorQuery, CancellationToken)"/>:
/// every member is optional; the service answers descriptors sorted by id.
/// </summary>
/// <param name="Prefix">Only ids that start with this (id characters <c>[a-z0-9:._/-]</c>).</param>
/// <param name="Kind">Only this kind.</param>
/// <param name="Region">Only descriptors whose <c>region</c> attribute is this region id.</param>
/// <param name="After">The cursor: only ids after this one (a previous page's <see cref="DescriptorPage.Next"/>).</param>
/// <param name="Limit">Page size, 1-1000 (default 100).</param>
public sealed record DescriptorQuery(string? Prefix = null, DescriptorKind? Kind = null, string? Region = null, string? After = null, int Limit = 100);
