using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Registry.Api.Hosting;

/// <summary>
/// sd_notify for <c>Type=notify</c> units through Microsoft.Extensions.Hosting.Systemd: its lifetime sends
/// <c>READY=1</c> when the host has started (after recovery, <see cref="RegistryLifecycle"/>) and <c>STOPPING=1</c>
/// when it begins to stop, and stops the host on SIGTERM.
/// </summary>
internal static class SystemdIntegration
{
    /// <summary><c>UseSystemd()</c>, and the same lifetime wherever <c>NOTIFY_SOCKET</c> names a socket.</summary>
    /// <remarks>
    /// <c>UseSystemd()</c> applies only when systemd is the direct parent. A process started through a supervisor that
    /// speaks the same protocol (or a test standing in for systemd) has <c>NOTIFY_SOCKET</c> but another parent; it gets
    /// the same <see cref="SystemdLifetime"/> and <see cref="SystemdNotifier"/>, so readiness means the same everywhere.
    /// </remarks>
    public static WebApplicationBuilder AddRegistrySystemd(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Host.UseSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        return builder;
    }
}
