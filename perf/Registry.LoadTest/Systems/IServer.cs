namespace Registry.LoadTest.Systems;

/// <summary>A running system under test.</summary>
public interface IServer : IAsyncDisposable
{
    /// <summary>"svc-registry" or "etcd".</summary>
    public string Name { get; }

    /// <summary>The server process id (what /proc is read for).</summary>
    public int Pid { get; }

    /// <summary>Base URL of the client API on loopback.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Milliseconds from process start to the first ready answer.</summary>
    public double StartToReadyMs { get; }

    /// <summary>SIGTERM and wait.</summary>
    public Task StopAsync();
}
