using Registry.Store.Faults;

namespace Registry.Store.Log;

/// <summary>Settings for <see cref="FasterEventLog"/>. Immutable once built; validated by <see cref="FasterEventLog.OpenAsync"/>.</summary>
public sealed class FasterEventLogOptions
{
    /// <summary>The directory holding the log segments (<c>events.log.N</c>) and the commit-record file (<c>log.commit</c>).</summary>
    public required string Directory { get; init; }

    /// <summary>Create the directory and an empty log when none exists (default). When false, a missing log is an error.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>
    /// Open for inspection only (offline verification): nothing is created or changed; a torn tail is reported but
    /// not cut (reads stop before it); appends throw.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Verification only, with <see cref="ReadOnly"/>: damage inside the committed end of the log (valid entries follow
    /// it) does not stop the open; the log opens up to the last valid entry before the damage, which
    /// <see cref="LogRecoveryReport.InsideDamage"/> describes, so a verifier can replay and name what precedes it.
    /// </summary>
    public bool ReadPrefixBeforeDamage { get; init; }

    /// <summary>Injected storage faults (tests, chaos); null for none.</summary>
    public StorageFaultInjector? Faults { get; init; }

    /// <summary>
    /// log2 of the log page size for a new log: 20 = 1 MiB. Entries never span pages, so this bounds an entry's size.
    /// An existing log keeps the geometry it was created with (recorded in its commit records).
    /// </summary>
    public int PageSizeBits { get; init; } = 20;

    /// <summary>log2 of the in-memory log buffer: 23 = 8 MiB (8 pages at the default page size).</summary>
    public int MemorySizeBits { get; init; } = 23;

    /// <summary>log2 of the size of one segment file for a new log: 28 = 256 MiB (an existing log keeps its own).</summary>
    public int SegmentSizeBits { get; init; } = 28;

    /// <summary>How long an append may wait for log memory before the device is declared failed.</summary>
    public TimeSpan AppendStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a faulted log waits for the device's in-flight writes to finish before re-opening it.</summary>
    public TimeSpan DeviceQuiesceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a log faulted by a write error probes its directory and tries to re-open itself (default 1 s), so
    /// writes resume by themselves once the fault clears.
    /// </summary>
    public TimeSpan FaultRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for <see cref="FaultRetryInterval"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The thread pool's minimum worker count is raised to at least this when a log opens (0 leaves it alone).
    /// </summary>
    /// <remarks>
    /// FASTER's managed device performs every page write as a blocking <c>O_SYNC</c> call on a thread-pool thread,
    /// and the commit record's fsync runs on FASTER's commit worker, also a pool thread. With the pool's default
    /// minimum of one worker per core (2 here), one flush occupies the whole pool and the continuations of the
    /// waiting writers queue behind it, so each flush carries one entry: measured 1,217 flushes for 1,280 appends
    /// from 64 writers, against 60-odd flushes with a minimum of 4 or more.
    /// </remarks>
    public int MinThreadPoolWorkers { get; init; } = 16;

    /// <summary>The largest payload <see cref="FasterEventLog.Append"/> accepts, given the page size.</summary>
    public int MaxPayloadSize => (1 << PageSizeBits) - 64 - 12 - EntryFrame.HeaderSize;

    /// <summary>These options with the geometry an existing log was created with.</summary>
    internal FasterEventLogOptions WithGeometry(int pageSizeBits, int segmentSizeBits) => Copy(Directory, pageSizeBits, segmentSizeBits);

    /// <summary>These options for <paramref name="directory"/> (the full path the log settles on).</summary>
    internal FasterEventLogOptions WithDirectory(string directory) => Copy(directory, PageSizeBits, SegmentSizeBits);

    private FasterEventLogOptions Copy(string directory, int pageSizeBits, int segmentSizeBits) => new()
    {
        Directory = directory,
        CreateIfMissing = CreateIfMissing,
        ReadOnly = ReadOnly,
        ReadPrefixBeforeDamage = ReadPrefixBeforeDamage,
        Faults = Faults,
        PageSizeBits = pageSizeBits,
        MemorySizeBits = Math.Max(MemorySizeBits, pageSizeBits + 1),
        SegmentSizeBits = segmentSizeBits,
        AppendStallTimeout = AppendStallTimeout,
        DeviceQuiesceTimeout = DeviceQuiesceTimeout,
        FaultRetryInterval = FaultRetryInterval,
        Time = Time,
        MinThreadPoolWorkers = MinThreadPoolWorkers,
    };

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory);
        if (ReadPrefixBeforeDamage && !ReadOnly)
        {
            throw new ArgumentException("Reading the prefix before damage is for read-only (verification) opens only.", nameof(ReadPrefixBeforeDamage));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PageSizeBits, 12);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSizeBits, 26);
        ArgumentOutOfRangeException.ThrowIfLessThan(MemorySizeBits, PageSizeBits + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSizeBits, MemorySizeBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SegmentSizeBits, 40);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AppendStallTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DeviceQuiesceTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FaultRetryInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(Time);
        ArgumentOutOfRangeException.ThrowIfNegative(MinThreadPoolWorkers);
    }
}
