// Promotion and demotion (SPEC §9, docs/REPLICATION.md "Promotion"), behind the admin listener's
// POST /admin/replica/promote and /admin/replica/demote (ReplicaEndpoints; ronctl replica promote|demote).
//   demote (on a primary):  writes answer 503 ReadOnly from now on; the writer's queue is drained (a barrier request
//                           behind every write already accepted), so the HEAD answered is the last this node will ever
//                           commit; role.json says demoted, so a restart keeps it read-only.
//   promote (on a replica): asks the old primary (PrimaryProbe). Demoted or read-only: this replica must hold exactly
//                           its HEAD (waiting, bounded, while it catches up). Unreachable: this replica must hold the
//                           HEAD it last saw from the node it follows and not have halted. Primary (still writable) or
//                           an answer without a role: refused. Then the follower stops, the writer drains what the
//                           follower queued, the HEAD is checked once more, role.json says primary, and writes are
//                           decided here from the next request on.
// One change at a time (a semaphore). Only the role changes: the chain, the state and the write plane are the same
// objects before and after.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.ReadPlane;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>Changes this node's role at run time and keeps <c>role.json</c> in step. Thread-safe.</summary>
internal sealed partial class RoleTransitions : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReplicaRole _role;
    private readonly NodeRoleFile _file;
    private readonly NodeRoleDecision _decision;
    private readonly RegistryView _view;
    private readonly CommitFeed _feed;
    private readonly WritePlane.WritePlane _writer;
    private readonly ReplicaFollower? _follower;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RoleTransitions(ReplicaRole role, NodeRoleFile file, NodeRoleDecision decision, RegistryView view, CommitFeed feed, WritePlane.WritePlane writer, ReplicaFollower? follower, TimeProvider time, ILogger logger)
    {
        _role = role;
        _file = file;
        _decision = decision;
        _view = view;
        _feed = feed;
        _writer = writer;
        _follower = follower;
        _time = time;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After recovery: a replica records its role (so a restart without <c>--follow</c> refuses), and a promoted node says what it ignores.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_decision.Ignored is { } ignored)
        {
            LogFollowIgnored(_logger, ignored);
        }

        // A replica whose bootstrap from a checkpoint was refused stored nothing, not even its role (RegistryLifecycle).
        if (_role.Replica is { Halted: false } replica && (_decision.Stored is not { Role: NodeRoleRecord.Replica } stored || stored.Upstream != replica.Upstream.ToString()))
        {
            Record(NodeRoleRecord.Replica, replica.Upstream.ToString());
        }

        if (_role.Demoted)
        {
            LogStartedDemoted(_logger, _view.Current.State.Version);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    // On etcd the writer is whichever node holds the election lease; a role of its own would fight the election.
    private const string HaNodeDetail = "This node runs on etcd (storage.backend = \"etcd\"): its writer is elected through an etcd lease, so promotion and demotion do not apply (docs/HA.md; RUNBOOK.md 6.11 \"Lose a registry node\").";

    /// <summary>Demotes this primary: no write is decided here after the answer. Idempotent.</summary>
    public async Task<RoleChange> DemoteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_role.Ha is not null)
            {
                return Refused(RoleRefusal.HaNode, HaNodeDetail);
            }

            if (_role.Replica is not null)
            {
                return Refused(RoleRefusal.NotPrimary, "This node is a replica: it takes no writes, so there is nothing to demote. Demote the primary it follows.");
            }

            if (_role.Demoted)
            {
                return Done($"This node was already demoted; it has taken no write since version {_view.Current.State.Version}.");
            }

            _role.BecomeDemoted();
            await DrainWriterAsync(cancellationToken);
            Record(NodeRoleRecord.Demoted, null);
            var head = _view.Current.State;
            LogDemoted(_logger, head.Version, head.HeadHash.ToString());
            return Done($"Demoted at version {head.Version}: writes answer 503 ReadOnly from now on, also after a restart. Promote a replica that holds this HEAD, then restart this node with --follow NEW_PRIMARY.");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Promotes this replica (or, with <paramref name="resumeDemoted"/>, a demoted primary) to primary, or says why not.</summary>
    /// <param name="wait">How long to wait for this replica to reach the old primary's HEAD.</param>
    /// <param name="resumeDemoted">On a demoted primary: make it the primary again (a demotion that no promotion followed).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<RoleChange> PromoteAsync(TimeSpan wait, bool resumeDemoted, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_role.Ha is not null)
            {
                return Refused(RoleRefusal.HaNode, HaNodeDetail);
            }

            if (_role.Replica is not { } replica)
            {
                if (!_role.Demoted)
                {
                    return Refused(RoleRefusal.AlreadyPrimary, "This node is already the primary.");
                }

                if (!resumeDemoted)
                {
                    return Refused(RoleRefusal.Demoted, "This node is a demoted primary, not a replica. To make it the primary again (no other node was promoted in its place), promote it with resume_demoted (ronctl replica promote --resume-demoted); to follow the new primary, restart it with --follow NEW_PRIMARY.");
                }

                _role.BecomePrimary();
                Record(NodeRoleRecord.Primary, null);
                LogResumed(_logger, _view.Current.State.Version);
                return Done("The demotion is undone: this node takes writes again.");
            }

            return await PromoteReplicaAsync(replica, wait, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RoleChange> PromoteReplicaAsync(ReplicaStatus replica, TimeSpan wait, CancellationToken cancellationToken)
    {
        var primary = replica.Primary;
        if (replica.Halted)
        {
            return Refused(RoleRefusal.Halted, "This replica halted on a refused record or a fork (see /readyz replica.reason and the evidence file): it is not promoted. Resolve the halt first (RUNBOOK.md 6.7).", primary, null);
        }

        var probe = await PrimaryProbe.ProbeAsync(primary, s_probeTimeout, cancellationToken);
        var state = StateName(probe.Answer);
        switch (probe.Answer)
        {
            case PrimaryProbe.Answer.Writable:
                return Refused(RoleRefusal.PrimaryWritable, $"The old primary still takes writes ({probe.Detail}). Demote it first: ronctl --admin OLD_PRIMARY_ADMIN replica demote.", primary, state);
            case PrimaryProbe.Answer.Replica:
            case PrimaryProbe.Answer.Unknown:
                return Refused(RoleRefusal.PrimaryUnknown, $"The old primary answers, but not as a read-only or demoted primary ({probe.Detail}); this replica is not promoted while another node may take writes.", primary, state);
        }

        // The HEAD this replica must hold: the old primary's (it answers and takes no writes), else the last HEAD seen
        // from the node it follows (the old primary, or the replica in between, is all it can know).
        (long Version, Digest? Hash) target = probe.Answer == PrimaryProbe.Answer.Unreachable
            ? (replica.UpstreamVersion ?? -1, replica.UpstreamHash)
            : (probe.Version!.Value, probe.Hash);
        if (target.Version < 0 || target.Hash is null)
        {
            return Refused(RoleRefusal.NotInSync, $"The old primary is unreachable ({probe.Detail}) and this replica has never heard from the node it follows ({replica.Upstream}): it cannot know whether it holds the last commit.", primary, state);
        }

        await StreamPosition.WaitForAsync(target.Version, _view, _feed, wait, cancellationToken);
        if (Mismatch(target.Version, target.Hash.Value, probe, wait) is { } early)
        {
            return early with { OldPrimary = primary, OldPrimaryState = state };
        }

        if (_follower is not null)
        {
            await _follower.StopFollowingAsync();
        }

        await DrainWriterAsync(cancellationToken);
        if (Mismatch(target.Version, target.Hash.Value, probe, TimeSpan.Zero) is { } late)
        {
            // Cannot happen while the old primary takes no writes; if it does, this node stays a replica that no
            // longer follows (a restart makes it follow again), and says so.
            return late with { OldPrimary = primary, OldPrimaryState = state, Detail = late.Detail + " The follower was already stopped: restart this node to follow again." };
        }

        Record(NodeRoleRecord.Primary, primary.ToString());
        _role.BecomePrimary();
        var head = _view.Current.State;
        LogPromoted(_logger, head.Version, head.HeadHash.ToString(), primary.ToString(), state, probe.Detail);
        return Done($"Promoted at version {head.Version}: this node is the primary and takes writes. The old primary at {primary} is {state} ({probe.Detail}); restart it with --follow pointing at this node.") with
        {
            OldPrimary = primary,
            OldPrimaryState = state,
        };
    }

    private RoleChange? Mismatch(long version, Digest hash, PrimaryProbe.Result probe, TimeSpan waited)
    {
        var head = _view.Current.State;
        if (head.Version == version && head.HeadHash == hash)
        {
            return null;
        }

        var of = probe.Answer == PrimaryProbe.Answer.Unreachable ? "the HEAD last seen from the node it follows" : "the old primary's HEAD";
        return head.Version == version
            ? Refused(RoleRefusal.Fork, $"This replica holds {head.HeadHash} at version {version}, {of} is {hash}: a fork. Not promoted (RUNBOOK.md 6.7).")
            : Refused(RoleRefusal.NotInSync, $"This replica is at version {head.Version}, {of} is version {version} ({probe.Detail}); it did not get there within {waited.TotalSeconds:0.#} s. Not promoted: retry once it has caught up (/readyz replica.lag_versions 0).");
    }

    // A barrier behind every command already queued: the writer is single-reader FIFO, so once it answers, every
    // write accepted before the role changed has been decided (and published).
    private async Task DrainWriterAsync(CancellationToken cancellationToken)
    {
        var barrier = WriteRequest.Sweep();
        while (!_writer.TryEnqueue(barrier))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
        }

        await barrier.Completion.Task.WaitAsync(cancellationToken);
    }

    private void Record(string role, string? upstream)
    {
        var head = _view.Current.State;
        _file.Write(new NodeRoleRecord(role, upstream, head.Version, head.HeadHash, Timestamp.From(_time.GetUtcNow()).ToString()));
    }

    private RoleChange Done(string detail)
    {
        var head = _view.Current.State;
        return new RoleChange(null, _role.Name, head.Version, head.HeadHash, null, null, detail);
    }

    private RoleChange Refused(RoleRefusal refusal, string detail, Uri? primary = null, string? state = null)
    {
        var head = _view.Current.State;
        return new RoleChange(refusal, _role.Name, head.Version, head.HeadHash, primary, state, detail);
    }

    private static string StateName(PrimaryProbe.Answer answer) => answer switch
    {
        PrimaryProbe.Answer.Unreachable => "unreachable",
        PrimaryProbe.Answer.Writable => "primary",
        PrimaryProbe.Answer.ReadOnly => "read-only",
        PrimaryProbe.Answer.Demoted => "demoted",
        PrimaryProbe.Answer.Replica => "replica",
        _ => "unknown",
    };

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "role: promoted to primary at version {Version} ({Hash}); the old primary {OldPrimary} is {State}: {Detail}. Writes are decided here now")]
    private static partial void LogPromoted(ILogger logger, long version, string hash, string oldPrimary, string state, string detail);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "role: demoted at version {Version} ({Hash}); writes answer 503 ReadOnly, also after a restart, until this node follows the new primary")]
    private static partial void LogDemoted(ILogger logger, long version, string hash);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "role: {Reason}")]
    private static partial void LogFollowIgnored(ILogger logger, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "role: this node was demoted (role.json) and follows nothing: read-only at version {Version}; start it with --follow NEW_PRIMARY")]
    private static partial void LogStartedDemoted(ILogger logger, long version);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "role: the demotion is undone at version {Version}; this node takes writes again")]
    private static partial void LogResumed(ILogger logger, long version);
}
