using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace Registry.Api.Metrics;

/// <summary>
/// The service's metrics (SPEC §3), as prometheus-net collectors in one <see cref="CollectorRegistry"/>. The
/// names are the exported Prometheus names: units are in the names, counters end in <c>_total</c>.
/// <list type="bullet">
/// <item><c>http_requests_total{route,method,code}</c>: API requests; <c>route</c> is the route template
/// (<c>/registry/head</c>, <c>/registry/commit/{id}</c>, or <c>unmatched</c>).</item>
/// <item><c>request_latency_seconds{route,method}</c> (histogram): API latency.</item>
/// <item><c>rejected_total{reason}</c>: requests refused before doing work.</item>
/// <item><c>bus_lagged_total{consumer}</c>: events a bus or stream consumer missed.</item>
/// <item><c>commit_latency_seconds</c> (histogram): commit queued to record durable.</item>
/// <item><c>registry_commits_total{outcome}</c>, <c>registry_recoveries_total{kind}</c>.</item>
/// <item><c>approval_verify_seconds</c> (histogram): one approval signature verification.</item>
/// <item><c>inflight_requests</c>, <c>registry_pending_proposals</c>, <c>registry_head_version</c>,
/// <c>registry_checkpoint_age_seconds</c>, <c>registry_sse_clients</c>, <c>registry_ready</c>,
/// <c>registry_write_ready</c>, <c>registry_storage_append_latency_injected_seconds</c> (gauges) and
/// <c>registry_checkpoint_failures_total</c>; the observed ones are read just before each scrape.</item>
/// <item><c>registry_witness_requests_total{outcome}</c> and <c>registry_witness_seconds</c> (histogram): on a witness
/// node, the <c>add-checkpoint</c> requests it answered, by outcome, and the time each took (checks, persist, cosign).</item>
/// </list>
/// The process and runtime metrics are prometheus-net's own (<see cref="DotNetStats"/>), in the same registry:
/// <c>process_cpu_seconds_total</c>, <c>process_working_set_bytes</c>, <c>process_private_memory_bytes</c>,
/// <c>process_virtual_memory_bytes</c>, <c>process_open_handles</c>, <c>process_num_threads</c>,
/// <c>process_start_time_seconds</c>, <c>dotnet_collection_count_total{generation}</c> and <c>dotnet_total_memory_bytes</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Label values that are known up front (reasons, outcomes, consumers, kinds) are children created
/// here, so they are exported at zero before their first event and counting one is a dictionary lookup and an
/// interlocked add. The HTTP series of each mapped route and method are made at start (<see cref="PrepareRoutes"/>),
/// their per-status-code children on first use, and cached the same way.
/// </remarks>
public sealed class RegistryMetrics
{
    /// <summary>The buckets of every histogram, in seconds (0.5 ms to 10 s).</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

    /// <summary>The <c>rejected_total</c> reasons.</summary>
    public static IReadOnlyList<string> RejectReasons { get; } = ["busy", "read_only", "not_ready", "storage", "timeout", "auth", "malformed", "too_large", "pending_limit", "write_plane_halted"];

    /// <summary>The <c>registry_commits_total</c> outcomes.</summary>
    public static IReadOnlyList<string> CommitOutcomes { get; } = ["committed", "idempotent", "rejected", "failed"];

    /// <summary>The <c>bus_lagged_total</c> consumers.</summary>
    public static IReadOnlyList<string> LagConsumers { get; } = ["sse", "uds"];

    /// <summary>
    /// The <c>registry_recoveries_total</c> kinds: <c>fresh</c> (in memory, or a new data directory), and the
    /// store's <see cref="Registry.Store.StoreRecoveryReport.Kind"/>.
    /// </summary>
    public static IReadOnlyList<string> RecoveryKinds { get; } = ["fresh", "clean", "full_replay", "torn_tail", "checkpoint_fallback"];

    /// <summary>
    /// The <c>registry_witness_requests_total</c> outcomes: <c>cosigned</c> (200), and the refusals <c>malformed</c>
    /// (400, the body), <c>bad_request</c> (400, the checkpoint or old size), <c>not_signed</c> (403),
    /// <c>unknown_origin</c> (404), <c>conflict</c> (409) and <c>inconsistent_proof</c> (422).
    /// </summary>
    public static IReadOnlyList<string> WitnessOutcomes { get; } = ["cosigned", "malformed", "bad_request", "not_signed", "unknown_origin", "conflict", "inconsistent_proof"];

    private readonly Counter _requests;
    private readonly Histogram _latency;
    private readonly ConcurrentDictionary<(string Route, string Method), HttpSeries> _http = new();
    private readonly KnownLabels _rejected;
    private readonly KnownLabels _busLagged;
    private readonly KnownLabels _commits;
    private readonly KnownLabels _recoveries;
    private readonly Histogram _commitLatency;
    private readonly Histogram _verify;
    private readonly Gauge _inflight;
    private readonly Gauge _pending;
    private readonly Gauge _headVersion;
    private readonly Gauge _checkpointAge;
    private readonly Gauge _sseClients;
    private readonly Counter _checkpointFailures;
    private readonly Gauge _ready;
    private readonly Gauge _writeReady;
    private readonly Gauge _injectedLatency;
    private readonly KnownLabels _witnessRequests;
    private readonly Histogram _witnessLatency;

    /// <summary>
    /// Creates the collectors in a registry of their own, with prometheus-net's process and GC metrics
    /// (<see cref="DotNetStats"/>). Observed gauges read the providers set with <see cref="Observe"/>.
    /// </summary>
    /// <remarks>
    /// Not prometheus-net's default registry: that one also adapts every .NET <c>Meter</c> (ASP.NET Core's
    /// per-request instruments, whose listeners would cost on every request, and the runtime's, whose exported
    /// names such as <c>system_runtime_dotnet_timer_count</c> fail <c>promtool check metrics</c>) and event counters.
    /// </remarks>
    public RegistryMetrics()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        var buckets = new HistogramConfiguration { Buckets = [.. LatencyBuckets] };
        _requests = factory.CreateCounter("http_requests_total", "HTTP requests by route template, method and status code.", "route", "method", "code");
        _latency = factory.CreateHistogram("request_latency_seconds", "HTTP request latency by route template and method.", ["route", "method"], buckets);
        _rejected = new KnownLabels(factory.CreateCounter("rejected_total", "Requests refused before doing work, by reason (" + string.Join(", ", RejectReasons) + ").", "reason"), RejectReasons);
        _busLagged = new KnownLabels(factory.CreateCounter("bus_lagged_total", "Events a bus or stream consumer missed because its buffer was full.", "consumer"), LagConsumers);
        _commits = new KnownLabels(factory.CreateCounter("registry_commits_total", "Commit attempts by outcome (" + string.Join(", ", CommitOutcomes) + ").", "outcome"), CommitOutcomes);
        _recoveries = new KnownLabels(factory.CreateCounter("registry_recoveries_total", "Start-up recoveries by kind (" + string.Join(", ", RecoveryKinds) + ").", "kind"), RecoveryKinds);
        _commitLatency = factory.CreateHistogram("commit_latency_seconds", "Time from a commit request being queued to its record being durable.", buckets);
        _verify = factory.CreateHistogram("approval_verify_seconds", "Time to verify one approval signature.", buckets);
        _inflight = factory.CreateGauge("inflight_requests", "HTTP requests being served now.");
        _pending = factory.CreateGauge("registry_pending_proposals", "Open (uncommitted) proposals.");
        _headVersion = factory.CreateGauge("registry_head_version", "The HEAD version.");
        _checkpointAge = factory.CreateGauge("registry_checkpoint_age_seconds", "Seconds since the newest checkpoint was written.");
        _sseClients = factory.CreateGauge("registry_sse_clients", "Connected Server-Sent Events subscribers.");
        _checkpointFailures = factory.CreateCounter("registry_checkpoint_failures_total", "Checkpoint writes that failed (the previous checkpoints stay; the next one retries).");
        _ready = factory.CreateGauge("registry_ready", "1 while /readyz reports ready (reads can be served).");
        _writeReady = factory.CreateGauge("registry_write_ready", "1 while writes are accepted (not read-only, storage writable).");
        _injectedLatency = factory.CreateGauge("registry_storage_append_latency_injected_seconds", "Chaos: latency injected into every storage append (0 when none).");
        _witnessRequests = new KnownLabels(factory.CreateCounter("registry_witness_requests_total", "Witness add-checkpoint requests answered, by outcome (" + string.Join(", ", WitnessOutcomes) + ").", "outcome"), WitnessOutcomes);
        _witnessLatency = factory.CreateHistogram("registry_witness_seconds", "Time to answer one witness add-checkpoint request (checks, persist, cosign).", buckets);
        registry.AddBeforeCollectCallback(ReadObserved);
    }

    /// <summary>The registry the collectors are in; <c>/metrics</c> serves it.</summary>
    public CollectorRegistry Registry { get; }

    private Func<long> HeadVersion { get; set; } = static () => 0;

    private Func<double> CheckpointAge { get; set; } = static () => 0;

    private Func<int> SseClients { get; set; } = static () => 0;

    private Func<long> CheckpointFailures { get; set; } = static () => 0;

    private Func<bool> Ready { get; set; } = static () => false;

    private Func<bool> WriteReady { get; set; } = static () => false;

    private Func<double> InjectedLatency { get; set; } = static () => 0;

    /// <summary>Connects the observed gauges to the running parts.</summary>
    public void Observe(Func<long> headVersion, Func<double> checkpointAge, Func<int> sseClients)
    {
        HeadVersion = headVersion;
        CheckpointAge = checkpointAge;
        SseClients = sseClients;
    }

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
    /// Creates the series of every mapped route template and method up front: the latency histograms are exported
    /// at zero from the start, and a route's first request finds its series made.
    /// </summary>
    public void PrepareRoutes(IEnumerable<(string Route, string Method)> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var key in routes)
        {
            _http.GetOrAdd(key, static (key, metrics) => new HttpSeries(metrics, key.Route, key.Method), this);
        }
    }

    /// <summary>One finished HTTP request; <paramref name="route"/> is the route template.</summary>
    public void RequestCompleted(string route, string method, int status, TimeSpan elapsed)
    {
        var series = _http.GetOrAdd((route, method), static (key, metrics) => new HttpSeries(metrics, key.Route, key.Method), this);
        series.Latency.Observe(elapsed.TotalSeconds);
        series.Requests(status).Inc();
    }

    /// <summary>A request refused before doing work; <paramref name="reason"/> is one of <see cref="RejectReasons"/>.</summary>
    public void Rejected(string reason) => _rejected.Inc(reason);

    /// <summary>A consumer (one of <see cref="LagConsumers"/>) missed events.</summary>
    public void BusLagged(string consumer) => _busLagged.Inc(consumer);

    /// <summary>A commit became durable.</summary>
    public void CommitDurable(TimeSpan elapsed)
    {
        _commitLatency.Observe(elapsed.TotalSeconds);
        CommitOutcome("committed");
    }

    /// <summary>A commit attempt ended another way; <paramref name="outcome"/> is one of <see cref="CommitOutcomes"/>.</summary>
    public void CommitOutcome(string outcome) => _commits.Inc(outcome);

    /// <summary>A recovery of <paramref name="kind"/> (one of <see cref="RecoveryKinds"/>) happened.</summary>
    public void Recovery(string kind) => _recoveries.Inc(kind);

    /// <summary>One approval signature was verified.</summary>
    public void ApprovalVerified(TimeSpan elapsed) => _verify.Observe(elapsed.TotalSeconds);

    /// <summary>A witness add-checkpoint request was answered; <paramref name="outcome"/> is one of <see cref="WitnessOutcomes"/>.</summary>
    public void WitnessAnswered(string outcome, TimeSpan elapsed)
    {
        _witnessLatency.Observe(elapsed.TotalSeconds);
        _witnessRequests.Inc(outcome);
    }

    /// <summary>Requests in flight changed.</summary>
    public void Inflight(int delta)
    {
        if (delta >= 0)
        {
            _inflight.Inc(delta);
        }
        else
        {
            _inflight.Dec(-delta);
        }
    }

    /// <summary>The number of open proposals.</summary>
    public void SetPending(int count) => _pending.Set(count);

    private void ReadObserved()
    {
        _headVersion.Set(HeadVersion());
        _checkpointAge.Set(CheckpointAge());
        _sseClients.Set(SseClients());
        _checkpointFailures.IncTo(CheckpointFailures());
        _ready.Set(Ready() ? 1 : 0);
        _writeReady.Set(WriteReady() ? 1 : 0);
        _injectedLatency.Set(InjectedLatency());
    }

    /// <summary>A counter with one label whose documented values have children created up front.</summary>
    private sealed class KnownLabels(Counter counter, IReadOnlyList<string> values)
    {
        private readonly Dictionary<string, Counter.Child> _children = values.ToDictionary(v => v, v => counter.WithLabels(v), StringComparer.Ordinal);

        // A value outside the documented set is still counted, under its own label (a lookup in the collector).
        public void Inc(string value) => (_children.TryGetValue(value, out var child) ? child : counter.WithLabels(value)).Inc();
    }

    /// <summary>The series of one route and method: its latency child and one request counter child per status code.</summary>
    private sealed class HttpSeries(RegistryMetrics metrics, string route, string method)
    {
        private readonly ConcurrentDictionary<int, Counter.Child> _codes = new();

        public Histogram.Child Latency { get; } = metrics._latency.WithLabels(route, method);

        public Counter.Child Requests(int status) => _codes.TryGetValue(status, out var child) ? child : _codes.GetOrAdd(status, NewChild);

        private Counter.Child NewChild(int status) => metrics._requests.WithLabels(route, method, status.ToString(CultureInfo.InvariantCulture));
    }
}
