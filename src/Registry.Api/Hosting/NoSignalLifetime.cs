using Microsoft.Extensions.Hosting;

namespace Registry.Api.Hosting;

/// <summary>
/// A host lifetime that ignores process signals: the service runs two web hosts (API and admin) and
/// handles SIGTERM, SIGINT and SIGHUP once, in <see cref="ServiceProcess"/>, to drain in order.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
