using System.Buffers;
using Registry.Core.Machine;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store;

public sealed partial class RegistryStore
{
    private readonly Lock _checkpointLock = new();
    private Task _checkpointTask = Task.CompletedTask;
    private ITimer? _checkpointTimer;
    private (RegistryState State, DurablePosition Position) _published;
    private (long Version, long Sequence, DateTimeOffset At)? _lastCheckpoint;
    private DateTimeOffset _openedAt;
    private long _checkpointsWritten;
    private long _checkpointFailures;
    private bool _stopping;

    /// <summary>When the newest checkpoint was taken, or null when there is none.</summary>
    public DateTimeOffset? LastCheckpointAt
    {
        get
        {
            lock (_checkpointLock)
            {
                return _lastCheckpoint?.At;
            }
        }
    }

    /// <summary>Seconds since the newest checkpoint (since opening when there is none; 0 in amnesia mode).</summary>
    public double CheckpointAgeSeconds => _directory is null ? 0 : (_options.Time.GetUtcNow() - (LastCheckpointAt ?? _openedAt)).TotalSeconds;

    /// <summary>Checkpoints written since opening.</summary>
    public long CheckpointsWritten => Interlocked.Read(ref _checkpointsWritten);

    /// <summary>Checkpoint writes that failed since opening (the previous checkpoints stay; the next one retries).</summary>
    public long CheckpointFailures => Interlocked.Read(ref _checkpointFailures);

    /// <summary>
    /// Tells the store the writer published <paramref name="state"/>: the state after every event appended so far.
    /// Returns at once; when a checkpoint is due (every N commits, or the interval has passed) it is serialized and
    /// written on a background task from this immutable state, so appends never wait for it.
    /// </summary>
    public void OnPublished(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var durable = _log.Durable;
        if (_log.WrittenTail.Sequence != durable.EntryCount)
        {
            // Appends are in flight: which of them the state includes is not known here, so skip this one.
            return;
        }

        lock (_checkpointLock)
        {
            _published = (state, durable);
            if (IsDue(state, durable))
            {
                StartCheckpoint(state, durable);
            }
        }
    }

    /// <summary>Takes a checkpoint of the last published state now (after any running one), and returns it.</summary>
    public async Task<CheckpointInfo> CheckpointNowAsync(CancellationToken cancellationToken = default)
    {
        Task running;
        lock (_checkpointLock)
        {
            running = _checkpointTask;
        }

        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        (RegistryState State, DurablePosition Position) published;
        lock (_checkpointLock)
        {
            published = _published;
        }

        return await Task.Run(() => WriteCheckpoint(published.State, published.Position), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when no background checkpoint is being written (tests and shutdown).</summary>
    internal Task CheckpointIdleAsync()
    {
        lock (_checkpointLock)
        {
            return _checkpointTask;
        }
    }

    private void InitializeCheckpointing(RegistryState recovered, Checkpoint? from)
    {
        _openedAt = _options.Time.GetUtcNow();
        _published = (recovered, _log.Durable);
        _lastCheckpoint = from is null ? null : (from.RegistryVersion, from.Next.Sequence, from.CreatedAt);
        _checkpointTimer = _options.Time.CreateTimer(_ => OnTimer(), null, _options.CheckpointInterval, _options.CheckpointInterval);
    }

    private void OnTimer()
    {
        lock (_checkpointLock)
        {
            if (IsDue(_published.State, _published.Position))
            {
                StartCheckpoint(_published.State, _published.Position);
            }
        }
    }

    private bool IsDue(RegistryState state, DurablePosition position)
    {
        if (_stopping || !_checkpointTask.IsCompleted || position.EntryCount == (_lastCheckpoint?.Sequence ?? 0))
        {
            return false;
        }

        var commits = state.Version - (_lastCheckpoint?.Version ?? 0);
        var age = _options.Time.GetUtcNow() - (_lastCheckpoint?.At ?? _openedAt);
        return commits >= _options.CheckpointEveryCommits || age >= _options.CheckpointInterval;
    }

    private void StartCheckpoint(RegistryState state, DurablePosition position) =>
        _checkpointTask = Task.Run(() =>
        {
            try
            {
                WriteCheckpoint(state, position);
            }
            catch (StorageWriteException)
            {
                // Counted in WriteCheckpoint; the older checkpoints stay valid and the next due one retries.
            }
        });

    private CheckpointInfo WriteCheckpoint(RegistryState state, DurablePosition position)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        StateSnapshotCodec.Write(state, buffer);
        var checkpoint = new Checkpoint(state.Version, new LogPosition(position.Address, position.EntryCount), _options.Time.GetUtcNow(), buffer.WrittenMemory);
        try
        {
            var info = _checkpoints.Write(checkpoint);
            lock (_checkpointLock)
            {
                if (_lastCheckpoint is null || _lastCheckpoint.Value.Sequence <= position.EntryCount)
                {
                    _lastCheckpoint = (state.Version, position.EntryCount, checkpoint.CreatedAt);
                }
            }

            Interlocked.Increment(ref _checkpointsWritten);
            return info;
        }
        catch (StorageWriteException)
        {
            Interlocked.Increment(ref _checkpointFailures);
            throw;
        }
    }

    /// <summary>
    /// Stops the policy and, when the published state moved past the newest checkpoint, takes a last one so the next
    /// start replays nothing (a clean shutdown; after a crash the replay covers the gap instead).
    /// </summary>
    private async Task StopCheckpointsAsync()
    {
        Task running;
        lock (_checkpointLock)
        {
            _stopping = true;
            running = _checkpointTask;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
        }

        await running.ConfigureAwait(false);
        (RegistryState State, DurablePosition Position) published;
        lock (_checkpointLock)
        {
            published = _published;
        }

        if (_directory is not null && _options.CheckpointOnClose && published.Position.EntryCount > (_lastCheckpoint?.Sequence ?? 0) && _log.Durable.EntryCount == published.Position.EntryCount)
        {
            try
            {
                await Task.Run(() => WriteCheckpoint(published.State, published.Position)).ConfigureAwait(false);
            }
            catch (StorageWriteException)
            {
                // Counted; the log holds everything, so the next start replays from the previous checkpoint.
            }
        }
    }
}
