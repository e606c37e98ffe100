using Registry.Cli.Infrastructure;

namespace Registry.Cli.Tests.Support;

/// <summary>The outcome of one ronctl run.</summary>
internal sealed record RonctlResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs ronctl in-process through its entry point with captured stdout/stderr, a given stdin, and an environment
/// of its own (nothing leaks in from the test process: HOME is a temporary directory).
/// </summary>
internal sealed class RonctlRunner
{
    public RonctlRunner(string workingDirectory, IDictionary<string, string>? environment = null)
    {
        WorkingDirectory = workingDirectory;
        Environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HOME"] = workingDirectory };
    }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; }

    public Task<RonctlResult> RunAsync(params string[] args) => RunAsync(args, null, CancellationToken.None);

    public async Task<RonctlResult> RunAsync(string[] args, string? stdin, CancellationToken cancellationToken, CapturingWriter? output = null)
    {
        output ??= new CapturingWriter();
        var error = new CapturingWriter();
        var env = CliEnvironment.Captured(output, error, stdin is null ? null : new StringReader(stdin), name => Environment.GetValueOrDefault(name), WorkingDirectory);
        var code = await Ronctl.RunAsync(args, env, cancellationToken);
        return new RonctlResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts the exit code, showing everything when it differs.</summary>
    public async Task<RonctlResult> ExpectAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"ronctl {string.Join(' ', args)}: expected exit {exitCode}\n{result}");
        return result;
    }
}
