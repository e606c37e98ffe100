using Registry.Api.Http;
using Registry.Api.Hosting;
using Registry.Api.Metrics;
using Registry.Core;

namespace Registry.Api.WritePlane;

/// <summary>
/// The door to the writer for HTTP handlers: refuses early when the write plane is frozen (503
/// ReadOnly) or not ready (503 NotReady), queues (429 Busy when full), and waits for the durable
/// outcome up to the request timeout.
/// </summary>
public sealed class WriteGate(WritePlane writer, Readiness readiness, Limits limits, RegistryMetrics metrics)
{
    /// <summary>Queues <paramref name="request"/> and waits for its outcome, or returns the problem that stopped it.</summary>
    public async Task<(WriteOutcome? Outcome, Problem? Problem)> SubmitAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (readiness.Demoted)
        {
            metrics.Rejected("read_only");
            return (null, new Problem(RegistryErrorCode.ReadOnly, "This node was demoted ('ronctl replica demote'): it takes no writes; send them to the new primary. Reads continue."));
        }

        if (readiness.ReadOnly)
        {
            metrics.Rejected("read_only");
            return (null, new Problem(RegistryErrorCode.ReadOnly, "The write plane is frozen (--read-only); reads continue."));
        }

        if (writer.HaltReason is { } halted)
        {
            metrics.Rejected("not_ready");
            return (null, new Problem(RegistryErrorCode.NotReady, $"The write plane stopped after a fault and takes no writes until the service is restarted (RUNBOOK.md, \"Write plane halted\"): {halted}"));
        }

        if (!readiness.WriteReady)
        {
            metrics.Rejected("not_ready");
            return (null, new Problem(RegistryErrorCode.NotReady, "The write plane is not ready: " + string.Join(", ", readiness.Missing(forWrites: true))));
        }

        if (!writer.TryEnqueue(request))
        {
            metrics.Rejected("busy");
            return (null, new Problem(RegistryErrorCode.Busy, "The write queue is full."));
        }

        try
        {
            var outcome = await request.Completion.Task.WaitAsync(limits.RequestTimeout, cancellationToken);
            return outcome.Rejection is { } rejection ? (outcome, new Problem(rejection.Code, rejection.Detail) { Limit = rejection.Limit }) : (outcome, null);
        }
        catch (TimeoutException)
        {
            metrics.Rejected("timeout");
            return (null, new Problem(RegistryErrorCode.NotReady, $"The writer did not answer within {limits.RequestTimeout.TotalSeconds:0} s; the command may still complete (retries are idempotent)."));
        }
    }
}
