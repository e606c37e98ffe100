using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

public sealed partial class Descriptor
{
    // Required attrs per kind (SPEC §1). Other attrs are free-form JSON; only these are checked.
    private static string? ValidateAttrs(DescriptorKind kind, string id, JsonElement attrs)
    {
        switch (kind)
        {
            case DescriptorKind.Node:
                RequireHostPort(id, RequireString(id, attrs, "addr"));
                return RequireRegion(id, attrs);
            case DescriptorKind.Service:
                RequireEndpoints(id, attrs);
                return attrs.TryGetProperty("region", out _) ? RequireRegion(id, attrs) : null;
            default:
                if (RequireString(id, attrs, "name").Length == 0)
                {
                    throw RegistryFormatException.Invalid($"Region '{id}': attrs.name must not be empty.");
                }

                return null;
        }
    }

    // True when the element (depth 1) holds an object or array deeper than maxDepth.
    private static bool ExceedsDepth(JsonElement element, int maxDepth)
    {
        if (maxDepth < 1)
        {
            return true;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && ExceedsDepth(member.Value, maxDepth - 1))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array && ExceedsDepth(item, maxDepth - 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static string RequireString(string id, JsonElement attrs, string name)
    {
        if (!attrs.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw RegistryFormatException.Invalid($"Descriptor '{id}': attrs.{name} is required and must be a string.");
        }

        return CanonicalJson.GetString(value);
    }

    private static string RequireRegion(string id, JsonElement attrs)
    {
        var region = RequireString(id, attrs, "region");
        return RegistryIds.IsValid(region)
            ? region
            : throw RegistryFormatException.Invalid($"Descriptor '{id}': attrs.region '{region}' is not a valid region id.");
    }

    private static void RequireHostPort(string id, string addr)
    {
        var colon = addr.LastIndexOf(':');
        var host = colon > 0 ? addr[..colon] : string.Empty;

        // An IPv6 literal must be bracketed ("[::1]:80"): unbracketed, "::1:80" could be an address without a port.
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        var hostType = bracketed ? Uri.CheckHostName(host[1..^1]) : Uri.CheckHostName(host);
        var hostOk = bracketed ? hostType == UriHostNameType.IPv6 : hostType is UriHostNameType.Dns or UriHostNameType.IPv4;
        var portOk = colon > 0 && int.TryParse(addr.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out var port) && port is >= 1 and <= 65535;
        if (!portOk || !hostOk)
        {
            throw RegistryFormatException.Invalid($"Node '{id}': attrs.addr '{addr}' must be host:port with a port from 1 to 65535.");
        }
    }

    private static void RequireEndpoints(string id, JsonElement attrs)
    {
        if (!attrs.TryGetProperty("endpoints", out var endpoints) || endpoints.ValueKind != JsonValueKind.Array || endpoints.GetArrayLength() == 0)
        {
            throw RegistryFormatException.Invalid($"Service '{id}': attrs.endpoints must be a non-empty array of absolute http(s) URLs.");
        }

        foreach (var endpoint in endpoints.EnumerateArray())
        {
            var text = endpoint.ValueKind == JsonValueKind.String ? CanonicalJson.GetString(endpoint) : null;
            var ok = text is not null
                && Uri.TryCreate(text, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && uri.Host.Length > 0;
            if (!ok)
            {
                throw RegistryFormatException.Invalid($"Service '{id}': endpoint {endpoint.GetRawText()} is not an absolute http(s) URL.");
            }
        }
    }
}
