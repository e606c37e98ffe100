using Registry.Testing;

namespace Registry.Client.Tests.Support;

/// <summary>One real svc-registry (dev mode, --amnesia) shared by a test class; tests work relative to HEAD.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    internal RegistryProcess Service { get; private set; } = null!;

    internal RegistryClient Client(string? token = Dev.TokenPlaceholder, HttpClient? http = null) => new(
        http ?? Service.Api,
        new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{Service.ApiPort}"), Token = token == Dev.TokenPlaceholder ? Dev.Token : token });

    public async Task InitializeAsync() => Service = await RegistryProcess.StartAsync(args: ["--amnesia"]);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
