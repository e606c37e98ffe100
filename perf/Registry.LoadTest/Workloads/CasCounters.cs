using System.Collections.Concurrent;

namespace Registry.LoadTest.Workloads;

/// <summary>Outcome counters of a CAS write loop, shared by its client tasks (Interlocked).</summary>
public sealed class CasCounters
{
    private long _successes;
    private long _conflicts;
    private long _expired;
    private long _errors;
    private long _attempts;
    private long _commitRequests;
    private readonly ConcurrentDictionary<string, long> _errorCauses = new();

    /// <summary>Writes that took effect.</summary>
    public long Successes => Interlocked.Read(ref _successes);

    /// <summary>Attempts lost to another writer (409 ChainMismatch, or an etcd txn whose compare failed).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Proposals that expired before they could be committed (410).</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary>Anything else: 429, 5xx, transport errors.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Attempts started (read of the current version + write).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Commit requests (registry) or txns (etcd) sent, whatever their answer.</summary>
    public long CommitRequests => Interlocked.Read(ref _commitRequests);

    /// <summary>Counts a success.</summary>
    public void Success() => Interlocked.Increment(ref _successes);

    /// <summary>Counts a conflict.</summary>
    public void Conflict() => Interlocked.Increment(ref _conflicts);

    /// <summary>Counts an expiry.</summary>
    public void Expiry() => Interlocked.Increment(ref _expired);

    /// <summary>Counts an error and what it was (an HTTP status, or an exception type).</summary>
    public void Error(string cause)
    {
        Interlocked.Increment(ref _errors);
        _errorCauses.AddOrUpdate(cause, 1, (_, n) => n + 1);
    }

    /// <summary>Errors by cause, as extra counters <c>error_&lt;cause&gt;</c>.</summary>
    public void AddErrorCauses(Dictionary<string, double> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        foreach (var (cause, n) in _errorCauses)
        {
            extra["error_" + cause] = n;
        }
    }

    /// <summary>Counts an attempt.</summary>
    public void Attempt() => Interlocked.Increment(ref _attempts);

    /// <summary>Counts a commit request / txn.</summary>
    public void CommitRequest() => Interlocked.Increment(ref _commitRequests);
}
