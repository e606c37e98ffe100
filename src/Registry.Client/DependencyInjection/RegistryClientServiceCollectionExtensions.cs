using Microsoft.Extensions.Options;
using Registry.Client;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace, as the framework's do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the svc-registry SDK with dependency injection and <c>IHttpClientFactory</c>.</summary>
public static class RegistryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RegistryClient"/> and <see cref="RegistryAdminClient"/> as typed HTTP clients configured by
    /// <paramref name="configure"/>. Returns the <see cref="RegistryClient"/>'s builder, to add handlers or policies.
    /// The options are validated when first resolved (a base address is required).
    /// </summary>
    public static IHttpClientBuilder AddRegistryClient(this IServiceCollection services, Action<RegistryClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RegistryClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "RegistryClientOptions.BaseAddress must be an absolute URI (the API listener, e.g. http://127.0.0.1:9444).")
            .Validate(o => o.AdminAddress is null || o.AdminAddress.IsAbsoluteUri, "RegistryClientOptions.AdminAddress must be absolute.")
            .Validate(o => o.MaxRetries >= 0, "RegistryClientOptions.MaxRetries must not be negative.");
        services.AddHttpClient<RegistryAdminClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<RegistryClientOptions>>().Value;
            http.BaseAddress = options.AdminAddress;
        });
        return services.AddHttpClient<RegistryClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<RegistryClientOptions>>().Value;
            http.BaseAddress = options.BaseAddress;
        });
    }
}
