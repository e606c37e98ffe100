namespace Registry.Client;

/// <summary>Where svc-registry is and how to talk to it. Bound from configuration or set in code.</summary>
/// <remarks>Set before the client is created; not thread-safe to mutate afterwards.</remarks>
public sealed class RegistryClientOptions
{
    /// <summary>The API listener, e.g. <c>http://127.0.0.1:9444</c> (<c>REGISTRY_ADDR</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The admin listener, e.g. <c>http://127.0.0.1:9909</c> (<c>METRICS_ADDR</c>), for <see cref="RegistryAdminClient"/>.</summary>
    public Uri? AdminAddress { get; set; }

    /// <summary>The capability token sent as <c>Authorization: Bearer</c> on writes (propose, approve, commit) and admin changes.</summary>
    public string? Token { get; set; }

    /// <summary>How many times a request answered 429 Busy or 503 NotReady/ReadOnly is retried (they write nothing, so retrying is safe).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Whether a write (propose, approve, commit, submit) that a read replica answers 421 NotPrimary is sent once more to
    /// the primary the replica names in its problem's <c>primary</c> member (default true). The retry carries the same
    /// token: set this to false when the replicas you talk to are not trusted to name where your token may go.
    /// Reads always stay on the node given.
    /// </summary>
    public bool FollowNotPrimary { get; set; } = true;

    /// <summary>The longest wait between retries, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);
}
