using System.Threading.Channels;
using Registry.Api.Metrics;
using Registry.Core.Model;

namespace Registry.Api.Streaming;

/// <summary>
/// Fans every durable commit out to stream subscribers. Each subscriber has its own bounded buffer;
/// publishing only ever calls <c>TryWrite</c>, so a slow subscriber never slows the writer or anyone
/// else: when its buffer is full it is marked lagged, dropped, and counted in
/// <c>bus_lagged_total{consumer="sse"}</c>. Recent frames stay in a ring for cheap resumption.
/// </summary>
/// <remarks>Thread-safe: one publisher (the writer), any number of subscribers.</remarks>
public sealed class CommitFeed
{
    private const int RingSize = 16_384;

    private readonly CommitFrame?[] _ring = new CommitFrame?[RingSize];
    private readonly HashSet<FeedSubscription> _subscribers = [];
    private readonly Lock _lock = new();
    private readonly RegistryMetrics _metrics;
    private long _head;
    private CommitFrame? _checkpoint;

    /// <summary>Creates the feed.</summary>
    public CommitFeed(RegistryMetrics metrics) => _metrics = metrics;

    /// <summary>Live subscribers.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Sets the HEAD version after recovery (nothing is in the ring yet).</summary>
    public void Reset(long head)
    {
        lock (_lock)
        {
            _head = head;
        }
    }

    /// <summary>Publishes a durable commit (writer thread, in version order).</summary>
    public void Publish(CommitRecord record)
    {
        var frame = CommitFrame.From(record);
        lock (_lock)
        {
            _ring[frame.Version % RingSize] = frame;
            _head = frame.Version;
            OfferLocked(frame);
        }
    }

    /// <summary>The newest checkpoint frame, sent to a subscriber once its replay reaches that checkpoint's head.</summary>
    public CommitFrame? LatestCheckpoint => Volatile.Read(ref _checkpoint);

    /// <summary>Offers a checkpoint frame (<see cref="CheckpointFrame"/>) to every subscriber; it is not kept for resumption.</summary>
    public void PublishCheckpoint(CommitFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.IsCheckpoint)
        {
            throw new ArgumentException("Not a checkpoint frame.", nameof(frame));
        }

        lock (_lock)
        {
            Volatile.Write(ref _checkpoint, frame);
            OfferLocked(frame);
        }
    }

    // Under _lock: the frame to every subscriber; one whose buffer is full is dropped (it sends event: lagged) and counted.
    private void OfferLocked(CommitFrame frame)
    {
        List<FeedSubscription>? lagged = null;
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Offer(frame))
            {
                (lagged ??= []).Add(subscriber);
            }
        }

        if (lagged is not null)
        {
            foreach (var subscriber in lagged)
            {
                _subscribers.Remove(subscriber);
                _metrics.BusLagged("sse");
            }
        }
    }

    /// <summary>
    /// Registers a subscriber. Every commit after <see cref="FeedSubscription.StartVersion"/> will reach
    /// its buffer; the caller sends the history up to that version first.
    /// </summary>
    public FeedSubscription Subscribe(int capacity)
    {
        lock (_lock)
        {
            var subscription = new FeedSubscription(this, _head, capacity);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>A recent frame from the ring, or null when it has been overwritten.</summary>
    public CommitFrame? TryGetFrame(long version)
    {
        var frame = Volatile.Read(ref _ring[version % RingSize]);
        return frame?.Version == version ? frame : null;
    }

    internal void Remove(FeedSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }
}

/// <summary>One subscriber's bounded buffer.</summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly CommitFeed _feed;
    private readonly Channel<CommitFrame> _channel;

    internal FeedSubscription(CommitFeed feed, long startVersion, int capacity)
    {
        _feed = feed;
        StartVersion = startVersion;
        _channel = Channel.CreateBounded<CommitFrame>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>HEAD when the subscription began.</summary>
    public long StartVersion { get; }

    /// <summary>True once the buffer overflowed; the reader must send <c>event: lagged</c> and close.</summary>
    public bool Lagged { get; private set; }

    /// <summary>The frames.</summary>
    public ChannelReader<CommitFrame> Reader => _channel.Reader;

    internal bool Offer(CommitFrame frame)
    {
        if (_channel.Writer.TryWrite(frame))
        {
            return true;
        }

        Lagged = true;
        _channel.Writer.TryComplete();
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _feed.Remove(this);
        _channel.Writer.TryComplete();
    }
}
