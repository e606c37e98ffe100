using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>What a replica is doing, for <c>/readyz</c>, <c>/version</c>, the metrics and the stream's resume wait.</summary>
public enum ReplicaPhase
{
    /// <summary>Not connected to the followed node yet, or reconnecting after a failure.</summary>
    Connecting,

    /// <summary>Reading the followed node's log up to the HEAD it reported.</summary>
    CatchingUp,

    /// <summary>Caught up and following the stream: new commits are verified and stored as they come.</summary>
    Streaming,

    /// <summary>An empty replica installing the followed node's checkpoint (<c>replica.bootstrap = "checkpoint"</c>), before it is ready.</summary>
    Bootstrapping,

    /// <summary>A record failed verification or forked from this node's chain: the replica stopped advancing for good (until a restart).</summary>
    Halted,
}

/// <summary>
/// The replica's view of itself and of the node it follows: the upstream HEAD last seen, its phase, and why it halted.
/// Written by the follower, read by <c>/readyz</c>, <c>/version</c>, metrics and the stream.
/// </summary>
/// <remarks>Thread-safe: one writer (the follower), any number of readers; every read sees one consistent snapshot.</remarks>
public sealed class ReplicaStatus
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Func<(long Version, Digest Hash)> _local;
    private ReplicaPhase _phase = ReplicaPhase.Connecting;
    private string? _reason = "not connected to the followed node yet";
    private long? _upstreamVersion;
    private Digest? _upstreamHash;
    private DateTimeOffset? _upstreamSeenAt;
    private long? _haltedVersion;
    private long? _behindSince;
    private Uri? _primaryOfUpstream;

    /// <summary>Creates the status of a replica following <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The followed node's API URL (<c>replica.primary</c>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="local">This node's HEAD (version, hash).</param>
    /// <param name="resumeWait">How long a stream resumed past this replica's HEAD waits for it (<c>replica.resume_wait_seconds</c>).</param>
    public ReplicaStatus(Uri upstream, TimeProvider time, Func<(long Version, Digest Hash)> local, TimeSpan resumeWait)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        Upstream = upstream;
        ResumeWait = resumeWait;
        _time = time;
        _local = local;
    }

    /// <summary>How long <c>GET /registry/stream</c> waits for this replica to reach a position past its HEAD.</summary>
    public TimeSpan ResumeWait { get; }

    /// <summary>The followed node (a primary or another replica).</summary>
    public Uri Upstream { get; }

    /// <summary>
    /// Where writes must go: the primary the followed node names (a replica of a replica passes its own primary on in
    /// the <c>X-Registry-Primary</c> header), else the followed node itself.
    /// </summary>
    public Uri Primary
    {
        get
        {
            lock (_lock)
            {
                return _primaryOfUpstream ?? Upstream;
            }
        }
    }

    /// <summary>The current phase.</summary>
    public ReplicaPhase Phase
    {
        get
        {
            lock (_lock)
            {
                return _phase;
            }
        }
    }

    /// <summary>True while following normally: streaming live, caught up to the HEAD the followed node reported.</summary>
    public bool InSync => Phase == ReplicaPhase.Streaming;

    /// <summary>True once the replica halted on a verification failure or fork.</summary>
    public bool Halted => Phase == ReplicaPhase.Halted;

    /// <summary>The followed node's HEAD version as last seen, or null before the first answer.</summary>
    public long? UpstreamVersion
    {
        get
        {
            lock (_lock)
            {
                return _upstreamVersion;
            }
        }
    }

    /// <summary>The followed node's HEAD hash as last seen, or null before the first answer.</summary>
    public Digest? UpstreamHash
    {
        get
        {
            lock (_lock)
            {
                return _upstreamHash;
            }
        }
    }

    /// <summary>Versions the replica is behind the followed node's HEAD as last seen (0 when not behind).</summary>
    public long LagVersions
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, (_upstreamVersion ?? 0) - _local().Version);
            }
        }
    }

    /// <summary>Seconds since the replica first saw a version it does not hold yet (0 when it holds the followed node's HEAD).</summary>
    public double LagSeconds
    {
        get
        {
            lock (_lock)
            {
                UpdateBehind();
                return _behindSince is { } since ? _time.GetElapsedTime(since).TotalSeconds : 0;
            }
        }
    }

    /// <summary>Records the followed node's HEAD as seen (from its <c>/registry/head</c> or its stream).</summary>
    public void SeenUpstream(long version, Digest hash)
    {
        lock (_lock)
        {
            if (_upstreamVersion is null || version >= _upstreamVersion)
            {
                _upstreamVersion = version;
                _upstreamHash = hash;
                _upstreamSeenAt = _time.GetUtcNow();
            }

            UpdateBehind();
        }
    }

    /// <summary>Records the primary the followed node names (null: the followed node is the primary).</summary>
    public void SeenPrimaryOfUpstream(Uri? primary)
    {
        lock (_lock)
        {
            _primaryOfUpstream = primary;
        }
    }

    /// <summary>Enters <paramref name="phase"/> (not after a halt: that is final until a restart).</summary>
    public void Enter(ReplicaPhase phase, string? reason)
    {
        lock (_lock)
        {
            if (_phase == ReplicaPhase.Halted)
            {
                return;
            }

            _phase = phase;
            _reason = reason;
            UpdateBehind();
        }
    }

    /// <summary>Halts: the replica stops advancing and says why, naming the version that failed.</summary>
    public void Halt(long version, string reason)
    {
        lock (_lock)
        {
            if (_phase == ReplicaPhase.Halted)
            {
                return;
            }

            _phase = ReplicaPhase.Halted;
            _haltedVersion = version;
            _reason = reason;
        }
    }

    /// <summary>Writes the <c>replica</c> member of <c>/readyz</c> and <c>/version</c> (an object, keys in canonical order).</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_lock)
        {
            var (version, hash) = _local();
            UpdateBehind();
            writer.WriteStartObject();
            writer.WritePropertyName("halted_version");
            WriteNullable(writer, _haltedVersion);
            writer.WriteString("hash", hash.ToString());
            writer.WritePropertyName("in_sync");
            writer.WriteBoolean(_phase == ReplicaPhase.Streaming);
            writer.WriteInteger("lag_ms", _behindSince is { } since ? (long)_time.GetElapsedTime(since).TotalMilliseconds : 0);
            writer.WriteInteger("lag_versions", Math.Max(0, (_upstreamVersion ?? 0) - version));
            writer.WriteString("phase", PhaseName(_phase));
            writer.WriteString("primary", (_primaryOfUpstream ?? Upstream).ToString());
            writer.WritePropertyName("reason");
            if (_reason is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.WriteString(_reason);
            }

            writer.WriteString("upstream", Upstream.ToString());
            writer.WritePropertyName("upstream_hash");
            if (_upstreamHash is { } seen)
            {
                writer.WriteString(seen.ToString());
            }
            else
            {
                writer.WriteNull();
            }

            writer.WritePropertyName("upstream_seen_at");
            if (_upstreamSeenAt is { } at)
            {
                writer.WriteString(Timestamp.From(at).ToString());
            }
            else
            {
                writer.WriteNull();
            }

            writer.WritePropertyName("upstream_version");
            WriteNullable(writer, _upstreamVersion);
            writer.WriteInteger("version", version);
            writer.WriteEndObject();
        }
    }

    /// <summary>The wire name of a phase.</summary>
    public static string PhaseName(ReplicaPhase phase) => phase switch
    {
        ReplicaPhase.Connecting => "connecting",
        ReplicaPhase.CatchingUp => "catching_up",
        ReplicaPhase.Streaming => "streaming",
        ReplicaPhase.Bootstrapping => "bootstrapping",
        _ => "halted",
    };

    private static void WriteNullable(CanonicalJsonWriter writer, long? value)
    {
        if (value is { } v)
        {
            writer.WriteInteger(v);
        }
        else
        {
            writer.WriteNull();
        }
    }

    // Called under the lock: starts the lag clock when the followed node is seen ahead, stops it once caught up.
    private void UpdateBehind()
    {
        var behind = (_upstreamVersion ?? 0) > _local().Version;
        if (!behind)
        {
            _behindSince = null;
        }
        else if (_behindSince is null)
        {
            _behindSince = _time.GetTimestamp();
        }
    }
}
