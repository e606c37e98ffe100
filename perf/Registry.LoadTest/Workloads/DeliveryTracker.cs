using System.Diagnostics;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Send times of the writes of one change-notification run (indexed by sequence number) and what every
/// subscriber received: latency = receive time − the time the write request was sent, so it includes the
/// durable write itself. Loss = writes acknowledged but never delivered to a subscriber.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly long[] _sentAt;
    private readonly bool[][] _received;
    private readonly List<long>[] _latencies;
    private readonly LatencyRecorder _acks = new();
    private long _acknowledged;
    private long _lagged;

    /// <summary>Room for <paramref name="capacity"/> writes and <paramref name="subscribers"/> subscribers.</summary>
    public DeliveryTracker(int capacity, int subscribers)
    {
        _sentAt = new long[capacity + 1];
        _received = Enumerable.Range(0, subscribers).Select(_ => new bool[capacity + 1]).ToArray();
        _latencies = Enumerable.Range(0, subscribers).Select(_ => new List<long>(capacity)).ToArray();
    }

    /// <summary>Highest sequence number the tracker can hold.</summary>
    public int Capacity => _sentAt.Length - 1;

    /// <summary>Writes acknowledged so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Marks write <paramref name="seq"/> as being sent now.</summary>
    public void Sending(int seq) => Volatile.Write(ref _sentAt[seq], Stopwatch.GetTimestamp());

    /// <summary>Counts an acknowledged write.</summary>
    public void Acknowledge() => Interlocked.Increment(ref _acknowledged);

    /// <summary>
    /// Counts acknowledged write <paramref name="seq"/> and records how long its acknowledgement took (send to answer),
    /// so a run can tell the durable write's share of the delivery latency from the stream's.
    /// </summary>
    public void Acknowledge(int seq)
    {
        var sent = Volatile.Read(ref _sentAt[seq]);
        if (sent != 0)
        {
            _acks.RecordSince(sent);
        }

        Acknowledge();
    }

    /// <summary>
    /// Write <paramref name="seq"/> was refused (the writer counts it as an error): nobody is to receive it, so it is
    /// not counted as lost either.
    /// </summary>
    public void Refused(int seq)
    {
        foreach (var received in _received)
        {
            Volatile.Write(ref received[seq], true);
        }
    }

    /// <summary>Counts a subscriber told it lagged.</summary>
    public void Lagged() => Interlocked.Increment(ref _lagged);

    /// <summary>Subscriber <paramref name="subscriber"/> received write <paramref name="seq"/> now (single thread per subscriber).</summary>
    public void Received(int subscriber, int seq)
    {
        if (seq <= 0 || seq > Capacity || _received[subscriber][seq])
        {
            return;
        }

        var sent = Volatile.Read(ref _sentAt[seq]);
        _received[subscriber][seq] = true;
        if (sent != 0)
        {
            _latencies[subscriber].Add(Stopwatch.GetTimestamp() - sent);
        }
    }

    /// <summary>True when every subscriber has every write up to <paramref name="lastSeq"/>.</summary>
    public bool AllDelivered(int lastSeq) => _received.All(r => Enumerable.Range(1, lastSeq).All(s => r[s]));

    /// <summary>Events received so far, over every subscriber.</summary>
    public long Delivered => _latencies.Sum(l => (long)l.Count);

    /// <summary>
    /// After the last write: waits until every subscriber has everything, or until nothing new has arrived for
    /// 3 s (then what is missing counts as lost), at most 60 s. A slow system is given time; only a stalled one
    /// loses events.
    /// </summary>
    public async Task DrainAsync(int lastSeq)
    {
        var idle = System.Diagnostics.Stopwatch.StartNew();
        var total = System.Diagnostics.Stopwatch.StartNew();
        var seen = Delivered;
        while (!AllDelivered(lastSeq) && idle.Elapsed < TimeSpan.FromSeconds(3) && total.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
            if (Delivered != seen)
            {
                seen = Delivered;
                idle.Restart();
            }
        }
    }

    /// <summary>The repetition: delivered events per second, latency percentiles, losses.</summary>
    public Repetition Summarize(int lastSeq, double writeSeconds, int offeredRate)
    {
        var recorder = new LatencyRecorder();
        foreach (var list in _latencies)
        {
            recorder.RecordAll(list);
        }

        var lost = _received.Sum(r => Enumerable.Range(1, lastSeq).Count(s => !r[s]));
        var (p50, p95, p99, max) = recorder.Percentiles();
        var (ackP50, _, ackP99, _) = _acks.Percentiles();
        return new Repetition
        {
            Throughput = Math.Round(lastSeq / writeSeconds, 1),
            P50Ms = p50,
            P95Ms = p95,
            P99Ms = p99,
            MaxMs = max,
            Count = recorder.Count,
            Errors = lost,
            Extra = new Dictionary<string, double>
            {
                ["offered_writes_per_s"] = offeredRate,
                ["writes"] = lastSeq,
                ["subscribers"] = _received.Length,
                ["lost"] = lost,
                ["lagged"] = Interlocked.Read(ref _lagged),
                ["ack_p50_ms"] = _acks.Count == 0 ? 0 : Math.Round(ackP50, 2),
                ["ack_p99_ms"] = _acks.Count == 0 ? 0 : Math.Round(ackP99, 2),
            },
        };
    }
}
