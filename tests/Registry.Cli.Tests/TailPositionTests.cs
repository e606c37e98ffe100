using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// <c>ronctl registry tail --from V</c> with V past the server's HEAD: the server answers 409 NotInHistory (never a
/// silent skip), and tail ends with exit 7 (verification failed) saying the position is not in the server's history.
/// </summary>
public sealed class TailPositionTests
{
    [Fact]
    public async Task RegistryTail_FromPastThePrimarysHead_ExitsVerificationFailed_NamingThePosition()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var dir = Directory.CreateTempSubdirectory("ronctl-tail-").FullName;
        var ronctl = new RonctlRunner(dir, new Dictionary<string, string> { ["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}" });

        // Bounded: a server that skipped ahead would leave tail waiting for a commit that never comes.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await ronctl.RunAsync(["registry", "tail", "--from", "42", "--count", "1"], null, deadline.Token);
        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("not in its history", result.Error, StringComparison.Ordinal);
        Assert.Contains("version 42", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }
}
