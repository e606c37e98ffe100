namespace Registry.Store.Tests.Support;

/// <summary>Records a store's <see cref="RegistryStore.WritabilityChanged"/> events and lets a test await the next matching one.</summary>
internal sealed class WritabilityWatcher
{
    private readonly Lock _lock = new();
    private readonly List<StorageWritabilityChangedEventArgs> _seen = [];
    private readonly List<(Func<StorageWritabilityChangedEventArgs, bool> Match, TaskCompletionSource Done)> _waiters = [];

    public WritabilityWatcher(RegistryStore store) => store.WritabilityChanged += (_, change) => OnChange(change);

    public IReadOnlyList<StorageWritabilityChangedEventArgs> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Completes on the next event (from now on) that matches.</summary>
    public Task Next(Func<StorageWritabilityChangedEventArgs, bool> match)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((match, done));
        }

        return done.Task;
    }

    public Task NextWritable() => Next(c => c.Writable);

    private void OnChange(StorageWritabilityChangedEventArgs change)
    {
        lock (_lock)
        {
            _seen.Add(change);
            foreach (var waiter in _waiters.Where(w => w.Match(change)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
