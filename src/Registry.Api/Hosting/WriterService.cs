using Microsoft.Extensions.Hosting;

namespace Registry.Api.Hosting;

/// <summary>
/// The serialized writer (<see cref="WritePlane.WritePlane"/>) as a hosted service: its loop starts with the host and
/// stops after the listeners drained (hosted services stop in reverse order, the web server first), answering every
/// queued command before the storage closes. Requests reach it only once recovery made the write plane ready.
/// </summary>
internal sealed class WriterService(WritePlane.WritePlane writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync();
}
