namespace Registry.LoadTest.Systems;

/// <summary>
/// svc-registry started from its built svc-registry.dll with the harness's TOML configuration (3-of-5 signer
/// set, capabilities file; not dev mode), on loopback, durable unless <c>--amnesia</c> is asked for. Ready when
/// the admin listener's <c>GET /readyz</c> answers 200.
/// </summary>
public sealed class RegistryServer : IServer
{
    private readonly ManagedProcess _process;

    private RegistryServer(ManagedProcess process, Uri baseAddress, Uri adminAddress, double readyMs)
    {
        _process = process;
        BaseAddress = baseAddress;
        AdminAddress = adminAddress;
        StartToReadyMs = readyMs;
    }

    /// <inheritdoc />
    public string Name => "svc-registry";

    /// <inheritdoc />
    public int Pid => _process.Pid;

    /// <inheritdoc />
    public Uri BaseAddress { get; }

    /// <summary>The admin listener (readyz, metrics).</summary>
    public Uri AdminAddress { get; }

    /// <inheritdoc />
    public double StartToReadyMs { get; }

    /// <summary>
    /// Starts the service with <paramref name="configFile"/> on <paramref name="dataDir"/> and waits until ready;
    /// <paramref name="settings"/> are <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c> overrides of the configuration.
    /// </summary>
    public static async Task<RegistryServer> StartAsync(string serviceDll, string configFile, string dataDir, bool amnesia, string? cpus, string logFile, IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = FreePort.Next();
        var admin = FreePort.Next();
        List<string> args = [serviceDll, "--config", configFile, "--data-dir", dataDir];
        if (amnesia)
        {
            args.Add("--amnesia");
        }

        var env = new Dictionary<string, string>
        {
            ["REGISTRY_ADDR"] = $"127.0.0.1:{api}",
            ["METRICS_ADDR"] = $"127.0.0.1:{admin}",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        var process = ManagedProcess.Start("dotnet", args, cpus, logFile, env, dataDir);
        try
        {
            var ready = await ReadinessProbe.WaitAsync(
                new Uri($"http://127.0.0.1:{admin}/readyz"),
                process.StartedAt,
                TimeSpan.FromSeconds(120),
                null,
                () => process.HasExited,
                $"svc-registry (log: {logFile})");
            return new RegistryServer(process, new Uri($"http://127.0.0.1:{api}"), new Uri($"http://127.0.0.1:{admin}"), ready);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <inheritdoc />
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(30));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
