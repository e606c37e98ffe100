namespace Registry.Api.Bus;

/// <summary>
/// One internal bus event. Topics: <c>registry</c> (<c>registry.updated</c> after each durable commit),
/// <c>health</c> (<c>health.ready</c>, <c>health.write_ready</c>, <c>health.not_ready</c>) and
/// <c>kernel</c> (<c>kernel.shutdown</c>).
/// </summary>
public sealed record BusEvent(string Topic, string Type, string At, long? Version = null, string? Hash = null, string? CorrId = null, string? Detail = null);
