using Registry.Core.Json;

namespace Registry.Api.HighAvailability;

/// <summary>
/// An HA node's view of the cluster (docs/HA.md): its role, the writer, whether etcd answers, and both positions. The
/// one place that says whether this node may append: <see cref="TryGetWriterRevision"/> is true only while this node
/// was elected and its lease is still valid by this node's own monotonic clock, so a writer stops at once when it can no
/// longer renew (and etcd's fencing compare catches whatever this clock cannot).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class EtcdNodeStatus(string advertiseUrl, TimeProvider time, TimeSpan resumeWait)
{
    private readonly Lock _lock = new();
    private EtcdNodeRole _role = EtcdNodeRole.Connecting;
    private string? _writerUrl;
    private long _writerRevision;
    private long _leaseValidUntil;
    private string? _problem = "not connected to etcd yet";
    private long _etcdEvents;
    private long _stepDowns;

    /// <summary>This node's API URL, as it advertises itself when elected.</summary>
    public string AdvertiseUrl { get; } = advertiseUrl;

    /// <summary>How long a stream resumed past this node's HEAD waits for it (<c>replica.resume_wait_seconds</c>).</summary>
    public TimeSpan ResumeWait { get; } = resumeWait;

    /// <summary>The role now.</summary>
    public EtcdNodeRole Role
    {
        get
        {
            lock (_lock)
            {
                return _role == EtcdNodeRole.Writer && !LeaseValid() ? EtcdNodeRole.Follower : _role;
            }
        }
    }

    /// <summary>The writer's URL when known (this node's own when it is the writer).</summary>
    public string? WriterUrl
    {
        get
        {
            lock (_lock)
            {
                return _writerUrl;
            }
        }
    }

    /// <summary>Why etcd cannot be used now (unreachable, no quorum, halted), or null while it answers.</summary>
    public string? Problem
    {
        get
        {
            lock (_lock)
            {
                return _problem;
            }
        }
    }

    /// <summary>Events in the etcd log as last seen.</summary>
    public long EtcdEvents => Interlocked.Read(ref _etcdEvents);

    /// <summary>How often this node stopped being the writer (lease lost, fenced, etcd lost).</summary>
    public long StepDowns => Interlocked.Read(ref _stepDowns);

    /// <summary>The fencing revision when this node is the writer with a valid lease.</summary>
    public bool TryGetWriterRevision(out long revision)
    {
        lock (_lock)
        {
            revision = _role == EtcdNodeRole.Writer && LeaseValid() ? _writerRevision : 0;
            return revision > 0;
        }
    }

    /// <summary>The lease is valid until <paramref name="validUntil"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public void LeaseRenewed(long validUntil) => Interlocked.Exchange(ref _leaseValidUntil, validUntil);

    /// <summary>etcd answered: clears the problem.</summary>
    public void Reachable()
    {
        lock (_lock)
        {
            _problem = null;
        }
    }

    /// <summary>The etcd log holds <paramref name="events"/> events as of the last read or watch.</summary>
    public void SeenEtcdEvents(long events)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _etcdEvents)) < events && Interlocked.CompareExchange(ref _etcdEvents, events, seen) != seen)
        {
        }
    }

    /// <summary>Another node (or none) is the writer.</summary>
    public void Follow(string? writerUrl)
    {
        lock (_lock)
        {
            StepDownCore();
            if (_role != EtcdNodeRole.Halted)
            {
                _role = EtcdNodeRole.Follower;
            }

            _writerUrl = writerUrl;
        }
    }

    /// <summary>This node won the election with fencing revision <paramref name="revision"/>, and has caught up.</summary>
    public void BecomeWriter(long revision)
    {
        lock (_lock)
        {
            if (_role == EtcdNodeRole.Halted)
            {
                return;
            }

            _role = EtcdNodeRole.Writer;
            _writerRevision = revision;
            _writerUrl = AdvertiseUrl;
            _problem = null;
        }
    }

    /// <summary>etcd cannot be used (<paramref name="reason"/>): no writes until it answers again.</summary>
    public void Unreachable(string reason)
    {
        lock (_lock)
        {
            StepDownCore();
            if (_role != EtcdNodeRole.Halted)
            {
                _role = EtcdNodeRole.Connecting;
                _problem = reason;
            }
        }
    }

    /// <summary>An event of the etcd log failed verification: never write or follow again until a restart.</summary>
    public void Halt(string reason)
    {
        lock (_lock)
        {
            StepDownCore();
            _role = EtcdNodeRole.Halted;
            _problem = "halted: " + reason;
        }
    }

    /// <summary>The <c>ha</c> object of <c>/readyz</c> (keys in canonical order).</summary>
    public void WriteTo(CanonicalJsonWriter writer, long localEvents)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var role = Role;
        var (url, problem) = (WriterUrl, Problem);
        writer.WriteStartObject();
        writer.WritePropertyName("etcd_events");
        writer.WriteInteger(EtcdEvents);
        writer.WritePropertyName("local_events");
        writer.WriteInteger(localEvents);
        writer.WritePropertyName("reason");
        if (problem is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(problem);
        }

        writer.WritePropertyName("role");
        writer.WriteString(role.ToString().ToLowerInvariant());
        writer.WritePropertyName("step_downs");
        writer.WriteInteger(StepDowns);
        writer.WritePropertyName("writer");
        if (url is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(url);
        }

        writer.WriteEndObject();
    }

    private bool LeaseValid() => time.GetTimestamp() < Interlocked.Read(ref _leaseValidUntil);

    private void StepDownCore()
    {
        if (_role == EtcdNodeRole.Writer)
        {
            Interlocked.Increment(ref _stepDowns);
            _writerUrl = null;
        }

        _writerRevision = 0;
    }
}
