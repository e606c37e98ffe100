// Parallel signature checks ahead of a sequential verifier (issue 15: "signature checks of many records run in parallel
// ahead of the sequential apply"). Recovery, `ronctl verify`/`restore`, chain verification and a replica's catch-up all
// verify a chain one record at a time, because each record is checked against the state the previous one produced. Of
// that work, the Ed25519 checks (about 40 µs each, three or more per commit) and the decoding (canonical JSON parse,
// validation, re-encoding) depend on nothing but the record, so they run here, on every core, a window ahead:
//   1. the source is read in windows of `Window` items, on the consumer's thread (sources are not thread-safe);
//   2. each window is decoded in parallel;
//   3. a cheap sequential scan of the window names, for every approval, the key the state will most likely give it: the
//      signer set in force (carried from window to window, replaced after a record whose proposal sets a new one) or the
//      new set its own set_signers proposal installs; identical signatures (an approval event and the same approval in
//      the commit record that follows it) become one check;
//   4. the checks run in parallel; each valid one is kept as (approval index, key) in a PreverifiedApprovals;
//   5. while the consumer applies window k, window k+1 is being prepared.
// A guess that turns out wrong (a set_signers record that fails) costs only a signature check the sequential verifier
// then does itself: PreverifiedApprovals is a cache keyed by the key, never a verdict.
using System.Runtime.ExceptionServices;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>
/// Decodes items and checks their approval signatures in parallel, a window ahead of a sequential verifier that
/// consumes them in order (<see cref="RegistryMachine.Verify(State.RegistryState, CommitRecord, PreverifiedApprovals, out State.RegistryState?)"/>).
/// </summary>
/// <remarks>Stateless; thread-safe. The enumerables it returns are single-use and must be consumed on one thread at a time.</remarks>
public static class ApprovalPreverifier
{
    /// <summary>Items per window, by default (a log entry each; five entries per commit in the three-step flow).</summary>
    public const int DefaultWindow = 1024;

    /// <summary>
    /// Reads <paramref name="source"/> in order and yields every item with its decoded event and its approvals checked,
    /// each window decoded and checked in parallel while the caller consumes the one before.
    /// </summary>
    /// <param name="source">The items, in chain order.</param>
    /// <param name="decode">Turns an item into its event; must be thread-safe. What it throws is rethrown by <see cref="Preverified{T}.Event"/>.</param>
    /// <param name="inForce">The signer set in force before the first item.</param>
    /// <param name="approvalEvents">Also check the signatures of <see cref="ApprovalAccepted"/> events (commit records' approvals are always checked).</param>
    /// <param name="window">Items per window.</param>
    /// <param name="maxDegreeOfParallelism">Threads per window; -1 for one per processor the process may use.</param>
    public static IEnumerable<Preverified<T>> Run<T>(
        IEnumerable<T> source, Func<T, RegistryEvent> decode, SignerSet inForce, bool approvalEvents = false, int window = DefaultWindow, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentNullException.ThrowIfNull(inForce);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        return RunCore(source, decode, inForce, approvalEvents, window, Options(maxDegreeOfParallelism));
    }

    /// <summary>
    /// Checks the approvals of <paramref name="records"/> (consecutive, in chain order) in parallel, for a caller that
    /// verifies them one by one afterwards (a replica's page of records). <paramref name="after"/> is the signer set the
    /// records would leave in force, for the next batch.
    /// </summary>
    public static PreverifiedApprovals[] Verify(SignerSet inForce, IReadOnlyList<CommitRecord> records, out SignerSet after, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(inForce);
        ArgumentNullException.ThrowIfNull(records);
        var events = new RegistryEvent?[records.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new Committed(records[i]);
        }

        return Check(events, inForce, approvalEvents: false, Options(maxDegreeOfParallelism), out after);
    }

    private static ParallelOptions Options(int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfZero(maxDegreeOfParallelism);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, -1);
        return new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism };
    }

    private static IEnumerable<Preverified<T>> RunCore<T>(
        IEnumerable<T> source, Func<T, RegistryEvent> decode, SignerSet inForce, bool approvalEvents, int window, ParallelOptions options)
    {
        using var items = source.GetEnumerator();
        var (chunk, readError) = Take(items, window);
        var set = inForce;
        Task<(Preverified<T>[] Items, SignerSet After)>? next = chunk.Length == 0 ? null : Task.Run(() => Prepare(chunk, decode, set, approvalEvents, options));
        while (next is not null)
        {
            var (ready, setAfter) = next.GetAwaiter().GetResult();
            Task<(Preverified<T>[] Items, SignerSet After)>? prepared = null;
            ExceptionDispatchInfo? followingError = null;
            if (readError is null)
            {
                (var following, followingError) = Take(items, window);
                if (following.Length > 0)
                {
                    prepared = Task.Run(() => Prepare(following, decode, setAfter, approvalEvents, options));
                }
            }

            try
            {
                foreach (var item in ready)
                {
                    yield return item;
                }
            }
            finally
            {
                // A consumer that stops early (an error, a break) does not leave a window being prepared behind it.
                if (prepared is { IsCompleted: false })
                {
                    ((IAsyncResult)prepared).AsyncWaitHandle.WaitOne();
                }
            }

            next = prepared;
            readError ??= followingError;
        }

        // The source failed (damage in a log, say): every item before the failure was yielded first, as a plain loop would.
        readError?.Throw();
    }

    private static (T[] Items, ExceptionDispatchInfo? Error) Take<T>(IEnumerator<T> items, int count)
    {
        var taken = new List<T>(Math.Min(count, 4096));
        try
        {
            while (taken.Count < count && items.MoveNext())
            {
                taken.Add(items.Current);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ([.. taken], ExceptionDispatchInfo.Capture(ex));
        }

        return ([.. taken], null);
    }

    private static (Preverified<T>[] Items, SignerSet After) Prepare<T>(T[] chunk, Func<T, RegistryEvent> decode, SignerSet inForce, bool approvalEvents, ParallelOptions options)
    {
        var events = new RegistryEvent?[chunk.Length];
        var errors = new ExceptionDispatchInfo?[chunk.Length];
        Parallel.For(0, chunk.Length, options, i =>
        {
            try
            {
                events[i] = decode(chunk[i]);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors[i] = ExceptionDispatchInfo.Capture(ex);
            }
        });

        var checks = Check(events, inForce, approvalEvents, options, out var after);
        var result = new Preverified<T>[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            result[i] = new Preverified<T>(chunk[i], events[i], errors[i], checks[i]);
        }

        return (result, after);
    }

    // Steps 3 and 4. Stops naming checks at the first item that did not decode: the consumer stops there.
    private static PreverifiedApprovals[] Check(RegistryEvent?[] events, SignerSet inForce, bool approvalEvents, ParallelOptions options, out SignerSet after)
    {
        var jobs = new List<SignatureJob>();
        var byApproval = new Dictionary<(Digest ProposalId, string SignerId), SignatureJob>();
        var slots = new SignatureJob?[events.Length][];
        var newSets = new Dictionary<Digest, SignerSet>();
        var set = inForce;
        for (var i = 0; i < events.Length; i++)
        {
            switch (events[i])
            {
                case null:
                    i = events.Length;
                    break;
                case ProposalAccepted accepted when NewSet(accepted.Proposal) is { } proposed:
                    newSets[accepted.Proposal.Id] = proposed;
                    break;
                case ApprovalAccepted accepted when approvalEvents:
                    slots[i] = [Job(accepted.ProposalId, accepted.Approval, set, newSets.GetValueOrDefault(accepted.ProposalId), jobs, byApproval)];
                    break;
                case Committed { Record: var record }:
                    var next = NewSet(record.Proposal);
                    var approvals = record.Approvals;
                    var own = new SignatureJob?[approvals.Length];
                    for (var a = 0; a < approvals.Length; a++)
                    {
                        own[a] = Job(record.ProposalId, approvals[a], set, next, jobs, byApproval);
                    }

                    slots[i] = own;
                    set = next ?? set;
                    break;
            }
        }

        Parallel.For(0, jobs.Count, options, j => jobs[j].Run());
        var result = new PreverifiedApprovals[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            result[i] = slots[i] is { } own ? new PreverifiedApprovals([.. own.Select(j => j?.Verified)]) : PreverifiedApprovals.None;
        }

        after = set;
        return result;
    }

    private static SignatureJob? Job(
        Digest proposalId, Approval approval, SignerSet set, SignerSet? next, List<SignatureJob> jobs, Dictionary<(Digest, string), SignatureJob> byApproval)
    {
        if (!set.TryGetKey(approval.SignerId, out var key) && (next is null || !next.TryGetKey(approval.SignerId, out key)))
        {
            return null;
        }

        if (byApproval.TryGetValue((proposalId, approval.SignerId), out var seen) && seen.Key == key && seen.Approval.Signature.SequenceEqual(approval.Signature))
        {
            return seen;
        }

        var job = new SignatureJob(proposalId, approval, key);
        byApproval[(proposalId, approval.SignerId)] = job;
        jobs.Add(job);
        return job;
    }

    private static SignerSet? NewSet(Proposal proposal)
    {
        foreach (var change in proposal.Changes)
        {
            if (change is SetSignersChange setSigners)
            {
                return setSigners.SignerSet;
            }
        }

        return null;
    }

    private sealed class SignatureJob(Digest proposalId, Approval approval, Ed25519PublicKey key)
    {
        public Approval Approval => approval;

        public Ed25519PublicKey Key => key;

        /// <summary>The key, once the signature verified under it; written by one thread before the window is handed on.</summary>
        public Ed25519PublicKey? Verified { get; private set; }

        public void Run()
        {
            if (approval.Verify(key, proposalId))
            {
                Verified = key;
            }
        }
    }
}
