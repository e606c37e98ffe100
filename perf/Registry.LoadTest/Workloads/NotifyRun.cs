using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// The frame of one change-notification repetition, on either system: N subscribers, all connected before the
/// first write (so none can miss one by connecting late); the writes, open-loop (<see cref="OpenLoopAsync"/>) or the
/// workload's own; then the wait until every acknowledged write reached every subscriber, and the summary. A
/// workload supplies only how a subscriber asks for its stream and reads a line, and how one write is sent.
/// </summary>
public sealed class NotifyRun : IDisposable
{
    /// <summary>Most writes in flight in an open-loop run, so the system under test can batch them (etcd shares fsyncs).</summary>
    public const int MaxInFlight = 256;

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _readers = [];
    private long _errors;

    private NotifyRun(Uri baseAddress, int subscribers, int capacity)
    {
        _http = HttpClients.Create(baseAddress, subscribers + 1, Timeout.InfiniteTimeSpan);
        Tracker = new DeliveryTracker(capacity, subscribers);
    }

    /// <summary>What a subscriber reads off one stream line: the write's sequence number, or none.</summary>
    public delegate void LineReader(ReadOnlySpan<byte> line, int subscriber, DeliveryTracker tracker);

    /// <summary>Sends and deliveries of this run.</summary>
    public DeliveryTracker Tracker { get; }

    /// <summary>Cancelled when the run is over (or the writer gives up).</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>
    /// Connects <paramref name="subscribers"/> streams to <paramref name="baseAddress"/>, each made by
    /// <paramref name="request"/> and read by <paramref name="read"/>, and returns once every one is connected (at
    /// most 30 s). A subscriber counts as connected at the response headers, or at its first line when
    /// <paramref name="connectedAtFirstLine"/> (an etcd watch answers its headers before the watch is created).
    /// </summary>
    public static async Task<NotifyRun> StartAsync(Uri baseAddress, int subscribers, int capacity, Func<HttpRequestMessage> request, LineReader read, bool connectedAtFirstLine = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        var run = new NotifyRun(baseAddress, subscribers, capacity);
        var connected = Enumerable.Range(0, subscribers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        run._readers = Enumerable.Range(0, subscribers)
            .Select(i => Task.Run(() => run.SubscribeAsync(i, request, read, connected[i], connectedAtFirstLine)))
            .ToArray();
        await Task.WhenAll(connected.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    /// <summary>Counts a write that failed outside the tracker (e.g. a step before the write itself).</summary>
    public void Error() => Interlocked.Increment(ref _errors);

    /// <summary>
    /// Open-loop writes at <paramref name="rate"/> for <paramref name="duration"/> (or until the tracker is full), at
    /// most <see cref="MaxInFlight"/> in flight; <paramref name="write"/> sends write k and says whether it took effect.
    /// Then <see cref="FinishAsync"/>.
    /// </summary>
    public async Task<Repetition> OpenLoopAsync(int rate, TimeSpan duration, Func<int, Task<bool>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var writes = new List<Task>();
        var pacer = new Pacer(rate);
        var seq = 0;
        while (pacer.Elapsed < duration.TotalSeconds && seq < Tracker.Capacity)
        {
            await pacer.WaitAsync(seq, Stopping);
            await inFlight.WaitAsync(Stopping);
            var s = ++seq;
            Tracker.Sending(s);
            writes.Add(WriteAsync(s));
        }

        await Task.WhenAll(writes);
        return await FinishAsync(seq, pacer.Elapsed, rate);

        async Task WriteAsync(int s)
        {
            try
            {
                if (await write(s))
                {
                    Tracker.Acknowledge(s);
                }
                else
                {
                    Refused(s);
                }
            }
            catch (HttpRequestException)
            {
                Refused(s);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    /// <summary>Waits for the deliveries of writes 1..<paramref name="lastSeq"/>, closes the streams and summarises.</summary>
    public async Task<Repetition> FinishAsync(int lastSeq, double writeSeconds, int offeredRate)
    {
        await Tracker.DrainAsync(lastSeq);
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        var rep = Tracker.Summarize(lastSeq, writeSeconds, offeredRate);
        return rep with { Errors = rep.Errors + Interlocked.Read(ref _errors) };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _http.Dispose();
    }

    // A refused write is an error, and nobody is to receive it, so it is not counted as lost either.
    private void Refused(int seq)
    {
        Tracker.Refused(seq);
        Error();
    }

    private async Task SubscribeAsync(int subscriber, Func<HttpRequestMessage> request, LineReader read, TaskCompletionSource connected, bool connectedAtFirstLine)
    {
        try
        {
            using var message = request();
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Stopping);
            response.EnsureSuccessStatusCode();
            if (!connectedAtFirstLine)
            {
                connected.TrySetResult();
            }

            await using var body = await response.Content.ReadAsStreamAsync(Stopping);
            await StreamLines.ReadAsync(body, line =>
            {
                connected.TrySetResult();
                read(line, subscriber, Tracker);
                return true;
            }, Stopping);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (HttpRequestException ex)
        {
            connected.TrySetException(ex);
        }
        catch (IOException) when (Stopping.IsCancellationRequested)
        {
            // Closed by the cancellation.
        }
    }
}
