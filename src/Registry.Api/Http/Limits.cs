namespace Registry.Api.Http;

/// <summary>The limits that SIGHUP may change while running (read on every request). Thread-safe.</summary>
public sealed class Limits
{
    private int _maxInflight;
    private int _requestTimeoutSeconds;

    /// <summary>Creates the limits.</summary>
    public Limits(int maxInflight, int requestTimeoutSeconds, int maxBodyBytes)
    {
        _maxInflight = maxInflight;
        _requestTimeoutSeconds = requestTimeoutSeconds;
        MaxBodyBytes = maxBodyBytes;
    }

    /// <summary>In-flight request cap.</summary>
    public int MaxInflight => Volatile.Read(ref _maxInflight);

    /// <summary>How long a write waits for the writer before answering 503.</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Volatile.Read(ref _requestTimeoutSeconds));

    /// <summary>Request body cap (fixed at start: Kestrel's own cap is set from it).</summary>
    public int MaxBodyBytes { get; }

    /// <summary>Applies reloaded values.</summary>
    public void Update(int maxInflight, int requestTimeoutSeconds)
    {
        Volatile.Write(ref _maxInflight, maxInflight);
        Volatile.Write(ref _requestTimeoutSeconds, requestTimeoutSeconds);
    }
}
