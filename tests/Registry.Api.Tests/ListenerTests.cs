using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Auth;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>TLS, Unix sockets, the bus socket, and SIGHUP reload, against the real process.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task TlsFromPemFiles_ServesHttps()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-tls-").FullName;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), rsa.ExportPkcs8PrivateKeyPem());
        await using var service = await RegistryProcess.StartAsync(dataDir: dir, args: ["--amnesia"], env: new Dictionary<string, string>
        {
            ["SVCR_TLS__CERT_FILE"] = Path.Combine(dir, "cert.pem"),
            ["SVCR_TLS__KEY_FILE"] = Path.Combine(dir, "key.pem"),
        });
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert!.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync($"https://127.0.0.1:{service.ApiPort}/registry/head");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await Driver.JsonAsync(await service.Admin.GetAsync("/version"))).GetProperty("features").GetProperty("tls").GetBoolean());
    }

    [Fact]
    public async Task UdsOnly_ServesApiOnTheSocketAndBindsNoTcpPort()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-uds-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        await using var service = await RegistryProcess.StartAsync(dataDir: dir, args: ["--amnesia", "--uds-only"], env: new Dictionary<string, string> { ["SVCR_LISTEN__UDS_PATH"] = socket });
        using var client = UnixClient(socket);
        using var response = await client.GetAsync("http://localhost/registry/head");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var admin = UnixClient(socket + ".admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("http://localhost/readyz")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => service.Api.GetAsync("/registry/head"));
    }

    [Fact]
    public async Task BusSocket_CommitPublishesRegistryUpdatedWithCorrId()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-bus-").FullName;
        var bus = Path.Combine(dir, "bus.sock");
        await using var service = await RegistryProcess.StartAsync(dataDir: dir, args: ["--amnesia"], env: new Dictionary<string, string> { ["RON_BUS_SOCK"] = bus });
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(bus));
        using var reader = new StreamReader(new NetworkStream(socket));

        var driver = new Driver(service);
        var id = await driver.ProposeAsync(Driver.Region("region:r"));
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);
        using var commit = new HttpRequestMessage(HttpMethod.Post, $"/registry/commit/{id}");
        commit.Headers.Add("Authorization", "Bearer " + Driver.Token);
        commit.Headers.Add("X-Corr-ID", "bus-test-1");
        using var response = await service.Api.SendAsync(commit);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var message = JsonDocument.Parse(line!).RootElement;
        Assert.Equal("registry.updated", message.GetProperty("type").GetString());
        Assert.Equal(1, message.GetProperty("version").GetInt64());
        Assert.Equal("bus-test-1", message.GetProperty("corr_id").GetString());
    }

    [Fact]
    public async Task Sighup_RevokedTokenInCapabilitiesFile_RefusedAfterReload()
    {
        var dev = await DevConfigFile.WriteAsync("svcr-hup-", registryId: "ron-test");
        var capabilities = dev.CapabilitiesFile;
        await using var service = await RegistryProcess.StartAsync(dataDir: dev.Directory, args: dev.Args);
        var driver = new Driver(service);
        var body = """{"base_version":0,"base_hash":"sha256:0000000000000000000000000000000000000000000000000000000000000000","changes":[{"op":"delete","id":"x"}]}""";
        using (var before = await driver.PostAsync("/registry/proposals", body))
        {
            Assert.Equal(HttpStatusCode.Conflict, before.StatusCode);
        }

        var keyring = new CapabilityKeyring(DevCredentials.Keyring().Keys, [DevCredentials.TokenId]);
        await File.WriteAllBytesAsync(capabilities, keyring.ToJson());
        service.Signal(1);
        await service.WaitForLineAsync(l => l.Contains("reload=1", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        using var after = await driver.PostAsync("/registry/proposals", body);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Sighup_BrokenConfiguration_RefusedAndOldKept()
    {
        var dev = await DevConfigFile.WriteAsync("svcr-hup2-");
        var (config, good) = (dev.Path, dev.Text);
        await using var service = await RegistryProcess.StartAsync(dataDir: dev.Directory, args: dev.Args);
        await File.WriteAllTextAsync(config, good + "[limits]\nmax_inflight = -3\n");
        service.Signal(1);
        await service.WaitForLineAsync(l => l.Contains("reload=0", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var driver = new Driver(service);
        Assert.Equal(0, (await driver.HeadAsync()).GetProperty("version").GetInt64());
    }

    private static HttpClient UnixClient(string path)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler);
    }
}
