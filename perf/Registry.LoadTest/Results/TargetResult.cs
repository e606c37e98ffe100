namespace Registry.LoadTest.Results;

/// <summary>One service target of the service issue: what it asks, what was measured, and whether it holds.</summary>
/// <param name="Name">What is measured.</param>
/// <param name="Target">The goal, as text ("&gt;= 30,000 req/s, p99 &lt; 5 ms").</param>
/// <param name="Measured">The measurement, as text.</param>
/// <param name="Met">True, false, or null when it could not be measured in this run.</param>
/// <param name="Note">Why, when the number needs a reason.</param>
public sealed record TargetResult(string Name, string Target, string Measured, bool? Met, string? Note = null);
