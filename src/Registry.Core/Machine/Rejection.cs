namespace Registry.Core.Machine;

/// <summary>A command the state machine refused, with the wire code and a human-readable reason.</summary>
public sealed record Rejection(RegistryErrorCode Code, string Detail);
