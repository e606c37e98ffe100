namespace Registry.Store.Log;

/// <summary>
/// Where an entry was <em>written</em>: its log address and its sequence number. Says nothing about durability.
/// </summary>
/// <remarks>
/// Returned by <see cref="IEventLog.Append"/>. To learn that the entry is on stable storage, pass it to
/// <see cref="IEventLog.WaitForDurableAsync"/> and get a <see cref="DurablePosition"/> back; the two types
/// are distinct so that a written position can never be mistaken for a durable one.
/// Sequence numbers start at 0 and rise by exactly 1 per entry, with no gaps.
/// </remarks>
/// <param name="Address">The entry's address in the log (opaque, monotonically increasing).</param>
/// <param name="Sequence">The entry's index in the log: 0 for the first entry ever appended.</param>
public readonly record struct LogPosition(long Address, long Sequence)
{
    /// <summary>Before the first entry: <see cref="IEventLog.Read"/> starts at the log's first entry.</summary>
    public static LogPosition Origin => default;

    /// <summary>
    /// Which incarnation of the log wrote the entry. A write fault drops the non-durable entries and re-opens the
    /// log, which then reuses their addresses and sequence numbers; the incarnation tells them apart.
    /// Zero for positions built by callers (e.g. read from a checkpoint).
    /// </summary>
    internal int Incarnation { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence}@{Address}";
}
