namespace Registry.Store.Log;

/// <summary>
/// An append-only log of opaque byte payloads with group-committed durability. The storage layer's only view
/// of FasterLog; nothing outside Registry.Store sees a FASTER type.
/// </summary>
/// <remarks>
/// <para>
/// Writing and durability are separate steps with separate types: <see cref="Append"/> places an entry in the log
/// and returns its written <see cref="LogPosition"/>; <see cref="WaitForDurableAsync"/> returns a
/// <see cref="DurablePosition"/> only once the entry is on stable storage. Every waiter that is pending when a
/// flush starts shares that one flush (group commit).
/// </para>
/// <para>
/// After a write fault (<see cref="StorageWriteException"/>) the log keeps exactly its durable prefix: entries
/// written but not yet durable are dropped and their waiters fail; the log re-opens itself in the background (or on
/// the next <see cref="Append"/>) and writes resume once the device accepts writes again. Sequence numbers continue from the durable prefix.
/// </para>
/// <para>All members are thread-safe. Entries read back are verified (checksum and sequence); a failed check
/// throws <see cref="CorruptStoreException"/>.</para>
/// </remarks>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>Where the durable prefix ends. Only grows, except that it never shrinks below what was reported.</summary>
    public DurablePosition Durable { get; }

    /// <summary>The position the next appended entry will get: the written (not necessarily durable) tail.</summary>
    public LogPosition WrittenTail { get; }

    /// <summary>Counters for monitoring and for proving that appends share flushes.</summary>
    public EventLogStatistics Statistics { get; }

    /// <summary>What opening the log found and did (torn tail cut, entries checked).</summary>
    public LogRecoveryReport Recovery { get; }

    /// <summary>The largest payload <see cref="Append"/> accepts.</summary>
    public int MaxPayloadSize { get; }

    /// <summary>Writes <paramref name="payload"/> at the tail. Not durable until <see cref="WaitForDurableAsync"/> says so.</summary>
    /// <exception cref="StorageWriteException">The log is faulted and could not be re-opened, or is disposed.</exception>
    public LogPosition Append(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Completes when the entry at <paramref name="position"/> is durable, joining (or starting) a group flush.
    /// </summary>
    /// <exception cref="StorageWriteException">The flush failed; the entry is not in the log.</exception>
    public ValueTask<DurablePosition> WaitForDurableAsync(LogPosition position, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the durable entries starting with the one at <paramref name="from"/> (use <see cref="LogPosition.Origin"/>
    /// for the first entry), in order, verifying each checksum and that sequence numbers rise by one.
    /// </summary>
    /// <remarks>The scan stops at the durable tail as of the call. Entries are read lazily.</remarks>
    /// <exception cref="CorruptStoreException">An entry is unreadable, fails its checksum, or is out of sequence.</exception>
    public IEnumerable<LogEntry> Read(LogPosition from);

    /// <summary>The file (or in-memory name) holding <paramref name="position"/>, and the byte offset in it, for error messages.</summary>
    public (string File, long Offset) Locate(LogPosition position);
}
