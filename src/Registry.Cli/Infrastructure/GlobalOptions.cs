using System.CommandLine;

namespace Registry.Cli.Infrastructure;

/// <summary>The options every command accepts (recursive options of the root command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "API listener URL [env RON_REGISTRY_URL, else http://$REGISTRY_ADDR, else http://127.0.0.1:9444]",
        Recursive = true,
    };

    public Option<string?> Admin { get; } = new("--admin")
    {
        Description = "Admin listener URL [env RON_ADMIN_URL, else http://$METRICS_ADDR, else http://127.0.0.1:9909]",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Capability token for writes [env RON_TOKEN]",
        Recursive = true,
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "File holding the capability token [env RON_TOKEN_FILE]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable JSON on stdout instead of tables",
        Recursive = true,
    };

    public Option<string?> KeyDir { get; } = new("--key-dir")
    {
        Description = "Where signer key files live [env RON_KEY_DIR, else ~/.config/ron/keys]",
        Recursive = true,
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each HTTP response",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public Option<int> Retries { get; } = new("--retries")
    {
        Description = "Retries of a request answered 429 Busy or 503 NotReady (they write nothing)",
        DefaultValueFactory = _ => 3,
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Server);
        root.Options.Add(Admin);
        root.Options.Add(Token);
        root.Options.Add(TokenFile);
        root.Options.Add(Json);
        root.Options.Add(KeyDir);
        root.Options.Add(Timeout);
        root.Options.Add(Retries);
    }
}
