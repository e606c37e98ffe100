using System.Globalization;
using System.Text;
using System.Text.Json;
using Registry.Core.Model;

namespace Registry.LoadTest.Setup;

/// <summary>
/// The payloads both systems store. Every descriptor is exactly <see cref="DescriptorBytes"/> bytes of canonical
/// JSON (RFC 8785, built by Registry.Core, so it is byte for byte what svc-registry keeps); etcd stores those
/// same bytes as the value of key <c>desc/&lt;id&gt;</c>.
/// </summary>
public static class Payload
{
    /// <summary>Canonical size of every descriptor, bytes.</summary>
    public const int DescriptorBytes = 256;

    /// <summary>Regions in every data set (nodes spread over them).</summary>
    public const int Regions = 10;

    /// <summary>etcd key prefix for descriptors.</summary>
    public const string KeyPrefix = "desc/";

    /// <summary>Region <paramref name="n"/> (0-based).</summary>
    public static Descriptor Region(int n) => Build("region", RegionId(n), $"\"name\":\"Perf region {n:00}\"", 0);

    /// <summary>Region id <paramref name="n"/>.</summary>
    public static string RegionId(int n) => $"region:perf-{n:00}";

    /// <summary>A node in region n mod 10; <paramref name="generation"/> changes its attrs (an update).</summary>
    public static Descriptor Node(string id, int n, long generation) =>
        Build("node", id, $"\"addr\":\"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}:7000\",\"generation\":{generation.ToString(CultureInfo.InvariantCulture)},\"region\":\"{RegionId(n % Regions)}\"", 0);

    /// <summary>The etcd key of a descriptor id.</summary>
    public static byte[] Key(string id) => Encoding.UTF8.GetBytes(KeyPrefix + id);

    /// <summary>The put change of a proposal body.</summary>
    public static string PutChange(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return "{\"op\":\"put\",\"descriptor\":" + Encoding.UTF8.GetString(descriptor.CanonicalBytes) + "}";
    }

    // Pads attrs.labels so the canonical descriptor is exactly DescriptorBytes long.
    private static Descriptor Build(string kind, string id, string attrs, int padding)
    {
        var json = $"{{\"kind\":\"{kind}\",\"id\":\"{id}\",\"attrs\":{{{attrs},\"labels\":\"{new string('x', padding)}\"}}}}";
        using var document = JsonDocument.Parse(json);
        var descriptor = Descriptor.FromJson(document.RootElement);
        var missing = DescriptorBytes - descriptor.CanonicalBytes.Length;
        return missing == 0 ? descriptor
            : padding == 0 && missing > 0 ? Build(kind, id, attrs, missing)
            : throw new InvalidOperationException($"descriptor {id} is {descriptor.CanonicalBytes.Length} bytes; cannot pad to {DescriptorBytes}");
    }
}
