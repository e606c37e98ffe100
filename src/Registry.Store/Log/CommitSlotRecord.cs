namespace Registry.Store.Log;

/// <summary>One valid commit record read from (or written to) a slot of the commit-record file.</summary>
/// <param name="WriteSequence">The slot write counter; the higher of two valid slots is the newest.</param>
/// <param name="CommitNum">FASTER's commit number.</param>
/// <param name="Metadata">FASTER's serialized recovery info for the commit.</param>
internal sealed record CommitSlotRecord(ulong WriteSequence, long CommitNum, byte[] Metadata);
