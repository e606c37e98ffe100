using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary><c>GET /registry/{version}/descriptors?…</c>: one page of matching descriptors, sorted by id. Immutable.</summary>
/// <param name="Version">The version the page was read at.</param>
/// <param name="Hash">hash(version).</param>
/// <param name="Matched">How many descriptors match the filter in all (every page).</param>
/// <param name="Next">The <see cref="DescriptorQuery.After"/> of the next page; null on the last page.</param>
/// <param name="Descriptors">This page's descriptors.</param>
public sealed record DescriptorPage(long Version, Digest Hash, long Matched, string? Next, ImmutableArray<Descriptor> Descriptors)
{
    internal static DescriptorPage FromJson(JsonElement e)
    {
        var next = Wire.Member(e, "next");
        return new DescriptorPage(
            Wire.Long(e, "version"),
            Wire.Digest(e, "hash"),
            Wire.Long(e, "matched"),
            next.ValueKind == JsonValueKind.Null ? null : next.GetString(),
            Wire.Member(e, "descriptors").EnumerateArray().Select(Descriptor.FromJson).ToImmutableArray());
    }
}
