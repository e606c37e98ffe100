using Registry.Testing;

namespace Registry.Cli.Tests.Support;

/// <summary>A dev-mode svc-registry (--amnesia) and a ronctl pointed at it with the dev token and the dev signer keys.</summary>
internal sealed class DevService : IAsyncDisposable
{
    private DevService(RegistryProcess service, string directory, RonctlRunner ronctl)
    {
        Service = service;
        Directory = directory;
        Ronctl = ronctl;
    }

    public RegistryProcess Service { get; }

    public string Directory { get; }

    public RonctlRunner Ronctl { get; }

    /// <summary>The service's data directory (<c>data</c> under <see cref="Directory"/>) when started persistent.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Starts the service: in memory, or (<paramref name="persistent"/>) with its data in <see cref="DataDirectory"/>.</summary>
    public static async Task<DevService> StartAsync(IDictionary<string, string>? serviceEnvironment = null, IDictionary<string, string>? ronctlEnvironment = null, bool writeDevKeys = true, bool persistent = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ronctl-test-").FullName;
        var service = await RegistryProcess.StartAsync(directory, persistent ? ["--data-dir", Path.Combine(directory, "data")] : ["--amnesia"], serviceEnvironment);
        var env = new Dictionary<string, string>(ronctlEnvironment ?? new Dictionary<string, string>())
        {
            ["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}",
            ["RON_ADMIN_URL"] = $"http://127.0.0.1:{service.AdminPort}",
            ["RON_KEY_DIR"] = Path.Combine(directory, "keys"),
        };
        var ronctl = new RonctlRunner(directory, env);
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();
        foreach (var n in writeDevKeys ? new[] { "1", "2", "3" } : [])
        {
            await ronctl.ExpectAsync(0, "dev", "key", n);
        }

        return new DevService(service, directory, ronctl);
    }

    /// <summary>Writes a proposal file in the working directory and returns its name.</summary>
    public string ProposalFile(string name, params string[] changes)
    {
        File.WriteAllText(Path.Combine(Directory, name), "{\"changes\":[" + string.Join(",", changes) + "],\"note\":\"test\"}");
        return name;
    }

    public static string Region(string id, string name = "Region") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"" + id + "\",\"attrs\":{\"name\":\"" + name + "\"}}}";

    public static string Node(string id, string region, string addr = "10.0.0.1:7000") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"node\",\"id\":\"" + id + "\",\"attrs\":{\"addr\":\"" + addr + "\",\"region\":\"" + region + "\"}}}";

    /// <summary>The first proposal id in ronctl's output.</summary>
    public static string ProposalId(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, "sha256:[0-9a-f]{64}").Value is { Length: > 0 } id ? id : throw new InvalidOperationException("no proposal id in:\n" + output);

    /// <summary>propose, approve (dev signers 1 and 2), commit, through ronctl.</summary>
    public async Task<string> CommitAsync(params string[] changes)
    {
        var file = ProposalFile($"p-{Guid.NewGuid():N}.json", changes);
        var id = ProposalId((await Ronctl.ExpectAsync(0, "registry", "propose", "--file", file)).Out);
        await Ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");
        await Ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-2", "--yes");
        await Ronctl.ExpectAsync(0, "registry", "commit", "--id", id);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
