namespace Registry.Store.Log;

/// <summary>Counters kept by an <see cref="IEventLog"/> since it was opened.</summary>
/// <param name="Appends">Entries appended (written).</param>
/// <param name="Flushes">Group flushes that completed; each made every entry written before it durable.</param>
/// <param name="FailedFlushes">Flushes that failed with a write fault.</param>
/// <param name="Reopens">Times the log re-opened itself after a write fault.</param>
public readonly record struct EventLogStatistics(long Appends, long Flushes, long FailedFlushes, long Reopens);
