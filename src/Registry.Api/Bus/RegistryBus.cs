using System.Threading.Channels;
using Registry.Api.Metrics;
using Registry.Core.Model;

namespace Registry.Api.Bus;

/// <summary>
/// The internal bus: bounded per-subscriber queues, publishing never blocks (a full queue drops the
/// event for that subscriber, marks it lagged and counts <c>bus_lagged_total{consumer}</c>; consumers
/// reconcile through <c>/registry/head</c>, as the runbook says).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RegistryBus
{
    private readonly Lock _lock = new();
    private readonly RegistryMetrics _metrics;
    private readonly TimeProvider _time;
    private BusSubscription[] _subscribers = [];

    /// <summary>Creates the bus.</summary>
    public RegistryBus(RegistryMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
    }

    /// <summary>Adds a subscriber named <paramref name="consumer"/> (the metric label).</summary>
    public BusSubscription Subscribe(string consumer, int capacity)
    {
        var subscription = new BusSubscription(this, consumer, capacity);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>Publishes <c>registry.updated</c>.</summary>
    public void PublishCommit(CommitRecord record, string corrId)
    {
        ArgumentNullException.ThrowIfNull(record);
        Publish(new BusEvent("registry", "registry.updated", Now(), record.Version, record.Hash.ToString(), corrId));
    }

    /// <summary>Publishes a health change.</summary>
    public void PublishHealth(string type, string? detail = null) => Publish(new BusEvent("health", type, Now(), Detail: detail));

    /// <summary>Publishes the shutdown event.</summary>
    public void PublishShutdown() => Publish(new BusEvent("kernel", "kernel.shutdown", Now()));

    /// <summary>Publishes an event to every subscriber without blocking.</summary>
    public void Publish(BusEvent @event)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (!subscriber.Offer(@event))
            {
                _metrics.BusLagged(subscriber.Consumer);
            }
        }
    }

    internal void Remove(BusSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }

    private string Now() => Timestamp.From(_time.GetUtcNow()).ToString();
}

/// <summary>One bus subscriber.</summary>
public sealed class BusSubscription : IDisposable
{
    private readonly RegistryBus _bus;
    private readonly Channel<BusEvent> _channel;
    private int _dropped;

    internal BusSubscription(RegistryBus bus, string consumer, int capacity)
    {
        _bus = bus;
        Consumer = consumer;
        _channel = Channel.CreateBounded<BusEvent>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    /// <summary>The consumer name.</summary>
    public string Consumer { get; }

    /// <summary>The events.</summary>
    public ChannelReader<BusEvent> Reader => _channel.Reader;

    /// <summary>Events dropped since the last call (and resets the count).</summary>
    public int TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    internal bool Offer(BusEvent @event)
    {
        if (_channel.Writer.TryWrite(@event))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bus.Remove(this);
        _channel.Writer.TryComplete();
    }
}
