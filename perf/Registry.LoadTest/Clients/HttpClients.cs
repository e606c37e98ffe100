namespace Registry.LoadTest.Clients;

/// <summary>HttpClient settings shared by both systems' clients: plain HTTP/1.1 keep-alive, enough connections.</summary>
public static class HttpClients
{
    /// <summary>A client for <paramref name="baseAddress"/> with up to <paramref name="connections"/> pooled connections.</summary>
    public static HttpClient Create(Uri baseAddress, int connections, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
}
