namespace Registry.Core.Machine;

/// <summary>A configured bound a command ran into.</summary>
/// <param name="Key">The configuration key, e.g. <c>limits.pending_max</c>.</param>
/// <param name="Value">Its configured value.</param>
public sealed record RejectedLimit(string Key, long Value);
