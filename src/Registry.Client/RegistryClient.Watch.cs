using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Registry.Client.Internal;
using Registry.Client.Models;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Follows every commit after <paramref name="fromVersion"/>, forever: catches up from the log, then
    /// streams live commits; reconnects with backoff when the connection drops, the server restarts or
    /// sheds load; resumes by <c>Last-Event-ID</c>; fills gaps through <c>/registry/head</c> and
    /// <c>/registry/log</c>.
    /// </summary>
    /// <remarks>
    /// Guarantees: each version is yielded exactly once, in order, and each commit's <c>prev_hash</c> is the
    /// hash of the one yielded before it. If the server's chain stops continuing the one followed (HEAD went
    /// backwards, or a version's hash changed), enumeration ends with <see cref="RegistryClientException"/>
    /// code <see cref="RegistryClientErrorCodes.Diverged"/>. Non-transient errors (e.g. 400) end it too.
    /// Cancel with <paramref name="cancellationToken"/> or by leaving the loop.
    /// </remarks>
    public async IAsyncEnumerable<CommitEvent> WatchAsync(long fromVersion, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        options ??= new WatchOptions();
        var channel = Channel.CreateBounded<CommitEvent>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = new CommitWatcher(this, fromVersion, options);
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    await watcher.RunAsync(channel.Writer, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    channel.Writer.TryComplete();
                    return;
                }
                catch (Exception ex)
                {
                    // Anything else ends the enumeration with that failure: a faulted pump must never leave the
                    // consumer waiting on a channel nobody writes to again.
                    channel.Writer.TryComplete(ex);
                    return;
                }

                channel.Writer.TryComplete();
            },
            CancellationToken.None);
        try
        {
            await foreach (var commit in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return commit;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }
}
