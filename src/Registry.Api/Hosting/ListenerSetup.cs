using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Registry.Api.Config;
using Registry.Configuration;

namespace Registry.Api.Hosting;

/// <summary>
/// Kestrel for both listeners: the API on <c>listen.api_addr</c> and/or <c>listen.uds_path</c> (TLS when
/// configured), the admin listener on <c>listen.metrics_addr</c> (or <c>&lt;uds_path&gt;.admin</c> with
/// <c>--uds-only</c>). Each connection is tagged with its <see cref="Listener"/>.
/// </summary>
internal static class ListenerSetup
{
    /// <summary>Configures Kestrel's endpoints and limits.</summary>
    public static WebApplicationBuilder AddRegistryListeners(this WebApplicationBuilder builder, LoadedConfiguration config)
    {
        var listen = config.Options.Listen;
        var tls = config.Options.Tls;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = config.Options.Limits.MaxBodyBytes;
            if (listen.UdsPath.Length > 0)
            {
                DeleteStaleSocket(listen.UdsPath);
                kestrel.ListenUnixSocket(listen.UdsPath, o => Api(o, tls));
            }

            if (!listen.UdsOnly)
            {
                kestrel.Listen(ListenAddress.Parse(listen.ApiAddr, "listen.api_addr"), o => Api(o, tls));
            }

            if (listen.UdsOnly)
            {
                var path = listen.AdminUdsPath.Length > 0 ? listen.AdminUdsPath : listen.UdsPath + ".admin";
                DeleteStaleSocket(path);
                kestrel.ListenUnixSocket(path, o => Tag(o, Listener.Admin));
            }
            else
            {
                kestrel.Listen(ListenAddress.Parse(listen.MetricsAddr, "listen.metrics_addr"), o => Tag(o, Listener.Admin));
            }
        });
        return builder;
    }

    private static void Api(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions options, TlsOptions tls)
    {
        Tag(options, Listener.Api);
        if (tls.Enabled)
        {
            options.UseHttps(X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile));
        }
    }

    // Connection middleware: the feature is on the connection, and Kestrel's request features fall back to it.
    private static void Tag(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions options, Listener listener)
    {
        var feature = new ListenerFeature(listener);
        options.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
    }

    private static void DeleteStaleSocket(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
