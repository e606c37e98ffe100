using System.Net;
using Registry.Configuration;

namespace Registry.Api.Hosting;

/// <summary>Parses <c>host:port</c> (IPv4, <c>[IPv6]</c>, or <c>localhost</c>) for Kestrel.</summary>
public static class ListenAddress
{
    /// <summary>The endpoint; throws <see cref="ConfigurationException"/> naming the key for a bad value.</summary>
    public static IPEndPoint Parse(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon].Trim('[', ']') : string.Empty;
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new ConfigurationException($"'{key}' must be host:port, got '{text}'");
        }

        if (host == "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new ConfigurationException($"'{key}' must name an IP address or localhost, got '{host}'");
    }
}
