using System.Net;
using System.Net.Sockets;

namespace Registry.LoadTest.Systems;

/// <summary>Free loopback ports for the servers (nothing here listens beyond 127.0.0.1).</summary>
public static class FreePort
{
    /// <summary>A port the kernel just handed out on 127.0.0.1.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
