using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Registry.Api.Transparency;

/// <summary>
/// Re-signs the checkpoint off the commit path: at once when a batch grew the tree, and every
/// <c>tlog.refresh_seconds</c> while it does not, renewing the timestamped line that shows the log's freshness.
/// </summary>
internal sealed partial class CheckpointRefresher(TransparencyLog log, TimeSpan interval, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!log.Signs)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await log.WaitForGrowthAsync(interval, stoppingToken).ConfigureAwait(false);
                log.Sign();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failed signing leaves the last checkpoint in place; the next wake tries again.
                LogSignFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "tlog: signing the checkpoint failed: {Reason}")]
    private static partial void LogSignFailed(ILogger logger, string reason);
}
