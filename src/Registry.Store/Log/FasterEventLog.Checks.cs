using FASTER.core;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    private FasterLogRecoveryInfo ReadRecoveryInfo(CommitSlotRecord record, out long entryCount, out int pageBits, out int segmentBits)
    {
        var info = default(FasterLogRecoveryInfo);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(record.Metadata));
            info.Initialize(reader);
        }
        catch (Exception ex) when (ex is FasterException or IOException)
        {
            throw new CorruptStoreException(_commits.Path, 0, $"commit record {record.CommitNum} holds unreadable FasterLog metadata: {ex.Message}", ex);
        }

        if (CommitCookie.Decode(info.Cookie, out entryCount, out pageBits, out segmentBits) is { } cause)
        {
            throw new CorruptStoreException(_commits.Path, 0, $"commit record {record.CommitNum}: {cause}");
        }

        return info;
    }

    private void CheckSegmentsPresent(FasterLogRecoveryInfo info)
    {
        if (info.UntilAddress <= info.BeginAddress)
        {
            return;
        }

        for (var segment = info.BeginAddress >> _options.SegmentSizeBits; segment <= (info.UntilAddress - 1) >> _options.SegmentSizeBits; segment++)
        {
            var path = Path.Combine(_options.Directory, $"{SegmentBaseName}.{segment}");
            if (!File.Exists(path))
            {
                throw new CorruptStoreException(path, 0,
                    $"log segment file is missing; the commit record says the log holds data up to address {info.UntilAddress}");
            }
        }
    }

    private void CheckRecoveredAgainstRecord(LogInstance instance, FasterLogRecoveryInfo info, long committedCount)
    {
        var log = instance.Log;
        var cookieCause = CommitCookie.Decode(log.RecoveredCookie, out var recoveredCount, out _, out _);
        if (log.CommittedUntilAddress != info.UntilAddress || log.BeginAddress != info.BeginAddress
            || cookieCause is not null || recoveredCount != committedCount)
        {
            throw new CorruptStoreException(_commits.Path, 0,
                $"FasterLog recovered [{log.BeginAddress}, {log.CommittedUntilAddress}) with {recoveredCount} entries, "
                + $"but the commit record says [{info.BeginAddress}, {info.UntilAddress}) with {committedCount}");
        }
    }

    private void WriteCutRecord(long lastCommitNum, long beginAddress, long untilAddress, long entryCount)
    {
        var info = new FasterLogRecoveryInfo
        {
            BeginAddress = beginAddress,
            UntilAddress = untilAddress,
            CommitNum = checked(lastCommitNum + 1),
            Cookie = CommitCookie.Encode(entryCount, _options.PageSizeBits, _options.SegmentSizeBits),
        };
        _commits.WriteRecord(info.CommitNum, info.ToByteArray());
    }
}
