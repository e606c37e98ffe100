namespace Registry.Core.Machine;

/// <summary>A command the state machine refused, with the wire code and a human-readable reason.</summary>
public sealed record Rejection(RegistryErrorCode Code, string Detail)
{
    /// <summary>For a 429 <c>Busy</c> past a configured bound: which one and its value (the problem's <c>limit</c> member).</summary>
    public RejectedLimit? Limit { get; init; }
}
