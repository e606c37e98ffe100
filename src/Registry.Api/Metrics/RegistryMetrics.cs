using System.Diagnostics.Metrics;

namespace Registry.Api.Metrics;

/// <summary>
/// The service's one <see cref="Meter"/> ("svc-registry") and its instruments. Names are the exported
/// Prometheus names (SPEC §3): units are in the names, counters end in <c>_total</c>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RegistryMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "svc-registry";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _busLagged;
    private readonly Histogram<double> _commitLatency;
    private readonly Counter<long> _commits;
    private readonly Counter<long> _recoveries;
    private readonly Histogram<double> _verify;
    private readonly UpDownCounter<long> _inflight;
    private long _pending;

    /// <summary>Creates the instruments; observable ones read the providers set with <see cref="Observe"/>.</summary>
    public RegistryMetrics()
    {
        _requests = _meter.CreateCounter<long>("http_requests_total", description: "HTTP requests by route template, method and status code.");
        _latency = _meter.CreateHistogram<double>("request_latency_seconds", "s", "HTTP request latency by route template and method.");
        _rejected = _meter.CreateCounter<long>("rejected_total", description: "Requests refused before doing work, by reason (busy, read_only, not_ready, storage, timeout, auth, malformed, too_large).");
        _busLagged = _meter.CreateCounter<long>("bus_lagged_total", description: "Events a bus or stream consumer missed because its buffer was full.");
        _commitLatency = _meter.CreateHistogram<double>("commit_latency_seconds", "s", "Time from a commit request being queued to its record being durable.");
        _commits = _meter.CreateCounter<long>("registry_commits_total", description: "Commit attempts by outcome (committed, idempotent, rejected, failed).");
        _recoveries = _meter.CreateCounter<long>("registry_recoveries_total", description: "Start-up recoveries by kind (fresh, checkpoint, replay, torn_tail, checkpoint_fallback).");
        _verify = _meter.CreateHistogram<double>("approval_verify_seconds", "s", "Time to verify one approval signature.");
        _inflight = _meter.CreateUpDownCounter<long>("inflight_requests", description: "HTTP requests being served now.");
        _meter.CreateObservableGauge("registry_pending_proposals", () => Interlocked.Read(ref _pending), description: "Open (uncommitted) proposals.");
        _meter.CreateObservableGauge("registry_head_version", () => HeadVersion(), description: "The HEAD version.");
        _meter.CreateObservableGauge("registry_checkpoint_age_seconds", () => CheckpointAge(), "s", "Seconds since the newest checkpoint was written.");
        _meter.CreateObservableGauge("registry_sse_clients", () => SseClients(), description: "Connected Server-Sent Events subscribers.");
        _meter.CreateObservableCounter("registry_checkpoint_failures_total", () => CheckpointFailures(), description: "Checkpoint writes that failed (the previous checkpoints stay; the next one retries).");
        _meter.CreateObservableGauge("registry_ready", () => Ready() ? 1 : 0, description: "1 while /readyz reports ready (reads can be served).");
        _meter.CreateObservableGauge("registry_write_ready", () => WriteReady() ? 1 : 0, description: "1 while writes are accepted (not read-only, storage writable).");
        _meter.CreateObservableGauge("registry_storage_append_latency_injected_seconds", () => InjectedLatency(), "s", "Chaos: latency injected into every storage append (0 when none).");
    }

    private Func<long> HeadVersion { get; set; } = static () => 0;

    private Func<double> CheckpointAge { get; set; } = static () => 0;

    private Func<int> SseClients { get; set; } = static () => 0;

    private Func<bool> Ready { get; set; } = static () => false;

    private Func<bool> WriteReady { get; set; } = static () => false;

    private Func<double> InjectedLatency { get; set; } = static () => 0;

    /// <summary>Connects the observable gauges to the running parts.</summary>
    public void Observe(Func<long> headVersion, Func<double> checkpointAge, Func<int> sseClients)
    {
        HeadVersion = headVersion;
        CheckpointAge = checkpointAge;
        SseClients = sseClients;
    }

    private Func<long> CheckpointFailures { get; set; } = static () => 0;

    /// <summary>Connects the checkpoint failure counter.</summary>
    public void ObserveCheckpointFailures(Func<long> failures) => CheckpointFailures = failures;

    /// <summary>Connects the readiness and chaos gauges.</summary>
    public void ObserveReadiness(Func<bool> ready, Func<bool> writeReady, Func<double> injectedLatencySeconds)
    {
        Ready = ready;
        WriteReady = writeReady;
        InjectedLatency = injectedLatencySeconds;
    }

    /// <summary>
    /// Exports zero-valued series for the label values alerts and dashboards rely on, so a counter is
    /// visible before its first event. Call after the exporter starts listening.
    /// </summary>
    public void Prime()
    {
        foreach (var consumer in new[] { "sse", "uds" })
        {
            _busLagged.Add(0, new KeyValuePair<string, object?>("consumer", consumer));
        }

        foreach (var reason in new[] { "busy", "read_only", "not_ready", "storage", "timeout", "auth" })
        {
            _rejected.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var outcome in new[] { "committed", "idempotent", "rejected", "failed" })
        {
            _commits.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>One finished HTTP request.</summary>
    public void RequestCompleted(string route, string method, int status, TimeSpan elapsed)
    {
        var code = StatusCodes(status);
        _requests.Add(1, new("route", route), new("method", method), new("code", code));
        _latency.Record(elapsed.TotalSeconds, new("route", route), new("method", method));
    }

    /// <summary>A request refused before doing work.</summary>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A consumer missed events.</summary>
    public void BusLagged(string consumer) => _busLagged.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    /// <summary>A commit became durable.</summary>
    public void CommitDurable(TimeSpan elapsed)
    {
        _commitLatency.Record(elapsed.TotalSeconds);
        CommitOutcome("committed");
    }

    /// <summary>A commit attempt ended another way.</summary>
    public void CommitOutcome(string outcome) => _commits.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A recovery happened.</summary>
    public void Recovery(string kind) => _recoveries.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>One approval signature was verified.</summary>
    public void ApprovalVerified(TimeSpan elapsed) => _verify.Record(elapsed.TotalSeconds);

    /// <summary>Requests in flight changed.</summary>
    public void Inflight(int delta) => _inflight.Add(delta);

    /// <summary>The number of open proposals.</summary>
    public void SetPending(int count) => Interlocked.Exchange(ref _pending, count);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static string StatusCodes(int status) => status switch
    {
        200 => "200",
        201 => "201",
        202 => "202",
        304 => "304",
        400 => "400",
        404 => "404",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
