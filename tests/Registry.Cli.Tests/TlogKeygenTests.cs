using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary><c>ronctl tlog keygen</c>: an owner-only log key file and its vkey, which svc-registry then signs checkpoints with.</summary>
public sealed class TlogKeygenTests
{
    [Fact]
    public async Task TlogKeygen_KeyConfiguredInTheService_SignsCheckpointsThatVerifyWithThePrintedVkey()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-tlog-").FullName;
        var ronctl = new RonctlRunner(dir);
        var result = await ronctl.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog.key", "--json");
        using var json = JsonDocument.Parse(result.Out);
        var vkey = NoteVerifierKey.Parse(json.RootElement.GetProperty("log_key").GetString()!);
        var file = Path.Combine(dir, "tlog.key");
        Assert.Equal(file, json.RootElement.GetProperty("log_key_file").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.StartsWith("PRIVATE+KEY+ron-dev+", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.Usage, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog.key");
        await ronctl.ExpectAsync(ExitCodes.Usage, "tlog", "keygen", "--registry", "Not Valid", "--out", "other.key");

        var env = new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = vkey.ToString(), ["SVCR_TRUST__LOG_KEY_FILE"] = file };
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var note = await service.Api.GetByteArrayAsync("/registry/tlog/checkpoint");
        Assert.True(SignedNote.TryParse(note, out var parsed));
        Assert.True(parsed.VerifiedBy(vkey));
        Directory.Delete(dir, recursive: true);
    }
}
