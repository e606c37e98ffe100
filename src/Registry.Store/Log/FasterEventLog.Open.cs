using FASTER.core;
using Registry.Store.Faults;

namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <summary>
    /// Opens (or creates) the log in <see cref="FasterEventLogOptions.Directory"/>, recovering and verifying it.
    /// </summary>
    /// <remarks>
    /// FasterLog's own recovery is not taken on its word: the commit record is read and checked here first, the
    /// address and entry count FASTER recovered are compared with it, and the entries of the committed tail are read
    /// back and verified. A damaged end with nothing valid after it is cut and reported in <see cref="Recovery"/>;
    /// anything else unreadable or inconsistent throws.
    /// </remarks>
    /// <exception cref="CorruptStoreException">The log is unreadable or inconsistent; the message names the file and position.</exception>
    public static async Task<FasterEventLog> OpenAsync(FasterEventLogOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = Path.GetFullPath(options.Directory);
        if (!System.IO.Directory.Exists(directory))
        {
            if (!options.CreateIfMissing || options.ReadOnly)
            {
                throw new DirectoryNotFoundException($"Log directory {directory} does not exist.");
            }

            System.IO.Directory.CreateDirectory(directory);
        }

        var commitPath = Path.Combine(directory, CommitFileName);
        var segments = LogFiles.ListSegments(directory, SegmentBaseName);
        if (!File.Exists(commitPath))
        {
            if (segments.Any(s => s.Length > 0))
            {
                throw new CorruptStoreException(commitPath, 0,
                    $"the commit-record file is missing but {segments.Count} log segment file(s) hold data; refusing to open the log as empty");
            }

            if (!options.CreateIfMissing || options.ReadOnly)
            {
                throw new FileNotFoundException("The log's commit-record file is missing.", commitPath);
            }
        }

        var normalized = options.WithDirectory(directory);
        RaiseThreadPoolMinimum(options.MinThreadPoolWorkers);
        var faults = options.Faults ?? new StorageFaultInjector();
        var commits = FileLogCommitManager.Open(commitPath, faults, create: !options.ReadOnly, readOnly: options.ReadOnly);
        var log = new FasterEventLog(normalized, faults, commits);
        try
        {
            await log.RecoverAsync(segments.Count > 0, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            log._instance?.Retire();
            commits.Dispose();
            throw;
        }

        if (!options.ReadOnly)
        {
            log._flusher = Task.Run(log.RunFlusherAsync, CancellationToken.None);
        }

        return log;
    }

    private static void RaiseThreadPoolMinimum(int workers)
    {
        ThreadPool.GetMinThreads(out var currentWorkers, out var currentIo);
        if (workers > currentWorkers)
        {
            ThreadPool.SetMinThreads(workers, currentIo);
        }
    }

    private async Task RecoverAsync(bool segmentsExist, CancellationToken cancellationToken)
    {
        _incarnation = 1;
        var latest = _commits.Latest;
        if (latest is null)
        {
            if (_commits.Rejected.Count > 0)
            {
                throw new CorruptStoreException(_commits.Path, 0, "no valid commit record: " + string.Join("; ", _commits.Rejected));
            }

            // Never committed: whatever the segments hold was never acknowledged.
            _instance = CreateInstance(recover: false);
            SetRecovered(new DurablePosition(_instance.Log.BeginAddress, 0), existed: segmentsExist, tornTail: null);
            return;
        }

        var info = ReadRecoveryInfo(latest, out var committedCount, out var pageBits, out var segmentBits);

        // The geometry recorded with the log wins over the options, which only shape new logs.
        _options = _options.WithGeometry(pageBits, segmentBits);
        CheckSegmentsPresent(info);
        var instance = CreateInstance(recover: true);
        _instance = instance;
        CheckRecoveredAgainstRecord(instance, info, committedCount);

        _recoveredBegin = instance.Log.BeginAddress;
        var (tail, count, torn, damage) = await VerifyTailAsync(instance, info.UntilAddress, committedCount, cancellationToken).ConfigureAwait(false);
        if (torn is not null && !_options.ReadOnly)
        {
            _instance = null;
            instance.Retire();
            WriteCutRecord(latest.CommitNum, info.BeginAddress, tail, count);
            _instance = instance = CreateInstance(recover: true);
            if (instance.Log.CommittedUntilAddress != tail)
            {
                throw new CorruptStoreException(_commits.Path, 0,
                    $"after cutting the torn tail at {tail}, FasterLog recovered to {instance.Log.CommittedUntilAddress}");
            }
        }

        SetRecovered(new DurablePosition(tail, count), existed: true, torn, damage);
    }

    private void SetRecovered(DurablePosition durable, bool existed, TornTail? tornTail, CorruptStoreException? insideDamage = null)
    {
        _durable = durable;
        _written = new WrittenMark(durable.Address, durable.EntryCount);
        _syncedSegment = -1; // the first flush after opening syncs the directory once, whatever was there before
        Recovery = new LogRecoveryReport
        {
            Tail = durable,
            Existed = existed,
            TornTail = tornTail,
            InsideDamage = insideDamage,
            RejectedCommitRecords = _commits.Rejected,
        };
    }

    private LogInstance CreateInstance(bool recover)
    {
        var inner = new SyncFileDevice(Path.Combine(_options.Directory, SegmentBaseName), _options.ReadOnly);
        var device = new FaultInjectingDevice(inner, _faults);
        var settings = new FasterLogSettings
        {
            LogDevice = device,
            LogCommitManager = _commits,
            LogChecksum = LogChecksumType.PerEntry,
            PageSizeBits = _options.PageSizeBits,
            MemorySizeBits = _options.MemorySizeBits,
            SegmentSizeBits = _options.SegmentSizeBits,
            // Recovery is driven and checked here; FASTER's constructor would swallow a failed recovery and open empty.
            TryRecoverLatest = false,
            FastCommitMode = false,
            AutoCommit = false,
            RemoveOutdatedCommits = false,
            // A failed flush must fail the commit, never be skipped over (which would commit a hole).
            TolerateDeviceFailure = false,
        };
        var log = new FasterLog(settings);
        try
        {
            if (recover)
            {
                log.Recover();
            }
        }
        catch (FasterException ex)
        {
            log.Dispose();
            device.Dispose();

            // A read the device failed (e.g. a file that cannot be opened) is an I/O fault, not damage in the log.
            throw device.ReadErrors > 0
                ? new IOException($"FasterLog could not recover the log: reading {SegmentPath(0)} failed: {ex.Message}", ex)
                : new CorruptStoreException(SegmentPath(0), 0, $"FasterLog could not recover the log: {ex.Message}", ex);
        }

        return new LogInstance(log, device, _incarnation, _options.DeviceQuiesceTimeout);
    }
}
