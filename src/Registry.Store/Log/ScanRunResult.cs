namespace Registry.Store.Log;

/// <summary>The valid entries found by one verifying scan of the log tail, and where (and why) it stopped.</summary>
internal sealed class ScanRunResult(long start)
{
    /// <summary>How many consecutive valid entries were read.</summary>
    public long Count { get; private set; }

    /// <summary>The sequence number of the last valid entry (meaningless when <see cref="Count"/> is 0).</summary>
    public long LastSequence { get; private set; } = -1;

    /// <summary>The address just past the last valid entry (the start address when there is none).</summary>
    public long End { get; private set; } = start;

    /// <summary>Why the scan stopped early, or null when it reached the end.</summary>
    public string? Failure { get; private set; }

    /// <summary>The address of the damaged entry.</summary>
    public long FailureAddress { get; private set; }

    /// <summary>Where FASTER said the damaged entry ends (0 when FASTER itself rejected it).</summary>
    public long FailureNextHint { get; private set; }

    public void Add(long sequence, long nextAddress)
    {
        Count++;
        LastSequence = sequence;
        End = nextAddress;
    }

    public void Fail(long address, string cause, long nextHint)
    {
        FailureAddress = address;
        Failure = cause;
        FailureNextHint = nextHint;
    }
}
