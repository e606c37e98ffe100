using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Auth;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.Transparency;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.WritePlane;
using Registry.Core;
using Registry.Core.Json;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Endpoints;

/// <summary>The write plane over HTTP: propose, approve, commit, and the proposal listing.</summary>
public static class ProposalEndpoints
{
    /// <summary>Maps the proposal routes.</summary>
    public static RouteGroupBuilder MapProposals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/registry").RequireRecovered().WithTags("proposals").ProducesProblems(429, 500, 503);
        group.MapPost("/proposals", ProposeAsync).RequireCapability("registry:propose").WithName("Propose")
            .Accepts<ProposeDocument>("application/json").Produces<ProposalAcceptedDocument>(202).ProducesWriteProblems();
        group.MapGet("/proposals", ListProposals).WithName("ListProposals")
            .Produces<ProposalListDocument>().ProducesProblems(400).WithQueryChoice("status", "Only proposals of this status", "pending", "approved", "stale", "expired");
        group.MapGet("/proposals/{id}", GetProposalAsync).WithName("GetProposal")
            .Produces<ProposalViewDocument>().ProducesProblems(400, 404);
        group.MapPost("/approvals/{id}", ApproveAsync).RequireCapability("registry:approve").WithName("Approve")
            .Accepts<ApprovalDocument>("application/json").Produces<ApprovalResultDocument>().ProducesWriteProblems().ProducesProblems(404);
        group.MapPost("/commit/{id}", CommitAsync).RequireCapability("registry:commit").WithName("Commit")
            .Produces<CommittedDocument>(201).ProducesProblems(400, 401, 403, 404, 409, 410, 422, 503);
        group.MapPost("/commits", SubmitAsync).RequireCapability("registry:commit").WithName("Submit")
            .Accepts<SubmissionDocument>("application/json").Produces<CommittedDocument>(201).ProducesWriteProblems().ProducesProblems(409, 410, 422);
        return group;
    }

    /// <summary><c>POST /registry/proposals</c> → 202.</summary>
    public static async Task<Results<JsonBytes, Problem>> ProposeAsync(HttpContext context, RegistryView view, VersionHistory history, WriteGate gate, Limits limits, ProposalDefaultsSource defaults, TransparencyLog log)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (document, problem) = await JsonBody.ReadAsync(context, limits.MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        Proposal proposal;
        using (document)
        {
            try
            {
                proposal = Proposal.FromJson(document!.RootElement, defaults.Now());
            }
            catch (RegistryFormatException ex)
            {
                return new Problem(ex.Code, ex.Message);
            }
        }

        if (LogKeyStaging.Refusal(log, proposal) is { } unstaged)
        {
            return unstaged;
        }

        // The recorded state_root is the root on the proposal's base (what approvers review), so the writer needs the
        // state at the base; reading it here keeps replay off the writer's path.
        var head = view.Current.State;
        var baseState = proposal.BaseVersion == head.Version ? head
            : head.Hashes.Holds(proposal.BaseVersion, proposal.BaseHash) ? await history.GetAsync(proposal.BaseVersion, context.RequestAborted)
            : null;
        var proposedBy = CapabilityAuthenticator.TokenIdOf(context);
        var (outcome, refused) = await gate.SubmitAsync(WriteRequest.Propose(proposal, baseState, CorrelationId.Of(context), proposedBy), context.RequestAborted);
        if (refused is not null)
        {
            return refused;
        }

        var state = outcome!.State;
        var root = state.Pending.TryGetValue(proposal.Id, out var pending) ? pending.StateRoot
            : state.CommittedProposals.TryGetValue(proposal.Id, out _) ? (await RecordOf(state, proposal.Id, history))?.StateRoot ?? default
            : default;
        return new JsonBytes(ProposalJson.Accepted(proposal, root), 202);
    }

    /// <summary><c>POST /registry/approvals/{id}</c> → 200.</summary>
    public static async Task<Results<JsonBytes, Problem>> ApproveAsync(string id, HttpContext context, RegistryView view, WriteGate gate, Limits limits, RegistryMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Digest.TryParse(id, out var proposalId))
        {
            return new Problem(RegistryErrorCode.Malformed, $"'{id}' is not a proposal id (sha256:<64 lowercase hex>).");
        }

        var (document, problem) = await JsonBody.ReadAsync(context, limits.MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        Approval approval;
        using (document)
        {
            try
            {
                approval = Approval.FromJson(document!.RootElement);
            }
            catch (RegistryFormatException ex)
            {
                return new Problem(ex.Code, ex.Message);
            }
        }

        // Verify the signature here, in parallel with other requests, so the writer only re-checks the key.
        var state = view.Current.State;
        Core.Crypto.Ed25519PublicKey? verifiedWith = null;
        if (state.Pending.TryGetValue(proposalId, out var open) && RegistryMachine.TryGetApproverKey(state, open, approval.SignerId, out var key))
        {
            var started = Stopwatch.GetTimestamp();
            var valid = approval.Verify(key, proposalId);
            metrics.ApprovalVerified(Stopwatch.GetElapsedTime(started));
            verifiedWith = valid ? key : null;
        }

        var (outcome, refused) = await gate.SubmitAsync(WriteRequest.Approve(proposalId, approval, verifiedWith, CorrelationId.Of(context)), context.RequestAborted);
        if (refused is not null)
        {
            return refused;
        }

        var after = outcome!.State;
        var pending = after.Pending[proposalId];
        var now = Timestamp.From(time.GetUtcNow());
        return new JsonBytes(ProposalJson.ApprovalResult(after, pending, after.StatusOf(pending, now)));
    }

    /// <summary><c>POST /registry/commit/{id}</c> → 201 (the same answer on retry).</summary>
    public static async Task<Results<JsonBytes, Problem>> CommitAsync(string id, HttpContext context, RegistryView view, VersionHistory history, WriteGate gate, Limits limits, RegistryMetrics metrics, TransparencyLog log)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limits);
        if (!Digest.TryParse(id, out var proposalId))
        {
            return new Problem(RegistryErrorCode.Malformed, $"'{id}' is not a proposal id (sha256:<64 lowercase hex>).");
        }

        // Commit takes no content, but a body is still held to the cap and to well-formed framing.
        if (await JsonBody.DiscardAsync(context, limits.MaxBodyBytes) is { } bodyProblem)
        {
            return bodyProblem;
        }

        // A rotation proposed before this node's restart without the staged key must not commit here either.
        if (LogKeyStaging.Refusal(log, view.Current.State.Pending.GetValueOrDefault(proposalId)?.Proposal) is { } unstaged)
        {
            return unstaged;
        }

        var (outcome, refused) = await gate.SubmitAsync(WriteRequest.Commit(proposalId, CorrelationId.Of(context)), context.RequestAborted);
        if (refused is not null)
        {
            metrics.CommitOutcome(outcome is null ? "failed" : "rejected");
            return refused;
        }

        if (outcome!.Event is Committed committed)
        {
            return new JsonBytes(ProposalJson.Committed(committed.Record), 201);
        }

        metrics.CommitOutcome("idempotent");
        var record = await RecordOf(outcome.State, proposalId, history);
        return record is null
            ? new Problem(RegistryErrorCode.NotFound, $"Proposal {proposalId} was committed, but its record is not readable.")
            : new JsonBytes(ProposalJson.Committed(record), 201);
    }

    /// <summary>
    /// <c>POST /registry/commits</c> <c>{"approvals":[...],"proposal":{...}}</c> → 201: a pre-signed submission, decided
    /// and made durable as one append (the same record as propose, approve, commit). Idempotent: a proposal already
    /// committed answers 201 with its version.
    /// </summary>
    public static async Task<Results<JsonBytes, Problem>> SubmitAsync(HttpContext context, RegistryView view, VersionHistory history, WriteGate gate, Limits limits, RegistryMetrics metrics, TimeProvider time, TransparencyLog log)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (document, problem) = await JsonBody.ReadAsync(context, limits.MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        Proposal proposal;
        List<Approval> approvals;
        using (document)
        {
            try
            {
                (proposal, approvals) = ReadSubmission(document!.RootElement);
            }
            catch (RegistryFormatException ex)
            {
                return new Problem(ex.Code, ex.Message);
            }
        }

        if (LogKeyStaging.Refusal(log, proposal) is { } unstaged)
        {
            return unstaged;
        }

        // Verify the signatures here, in parallel with other requests; the writer re-checks only the keys.
        var state = view.Current.State;
        var open = new PendingProposal(proposal, default, Timestamp.From(time.GetUtcNow()), []);
        var verified = new Dictionary<string, Core.Crypto.Ed25519PublicKey>(StringComparer.Ordinal);
        foreach (var approval in approvals)
        {
            if (!verified.ContainsKey(approval.SignerId) && RegistryMachine.TryGetApproverKey(state, open, approval.SignerId, out var key))
            {
                var started = Stopwatch.GetTimestamp();
                var valid = approval.Verify(key, proposal.Id);
                metrics.ApprovalVerified(Stopwatch.GetElapsedTime(started));
                if (valid)
                {
                    verified[approval.SignerId] = key;
                }
            }
        }

        var (outcome, refused) = await gate.SubmitAsync(WriteRequest.Submit(proposal, approvals, verified, CorrelationId.Of(context)), context.RequestAborted);
        if (refused is not null)
        {
            metrics.CommitOutcome(outcome is null ? "failed" : "rejected");
            return refused;
        }

        if (outcome!.Event is Committed committed)
        {
            return new JsonBytes(ProposalJson.Committed(committed.Record), 201);
        }

        metrics.CommitOutcome("idempotent");
        var record = await RecordOf(outcome.State, proposal.Id, history);
        return record is null
            ? new Problem(RegistryErrorCode.NotFound, $"Proposal {proposal.Id} was committed, but its record is not readable.")
            : new JsonBytes(ProposalJson.Committed(record), 201);
    }

    private static (Proposal Proposal, List<Approval> Approvals) ReadSubmission(System.Text.Json.JsonElement root)
    {
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new RegistryFormatException("A submission must be an object {\"approvals\":[...],\"proposal\":{...}}.");
        }

        foreach (var member in root.EnumerateObject())
        {
            if (member.Name is not ("proposal" or "approvals"))
            {
                throw new RegistryFormatException($"Unknown field '{member.Name}' in submission.");
            }
        }

        if (!root.TryGetProperty("proposal", out var proposal) || !root.TryGetProperty("approvals", out var approvals) || approvals.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            throw new RegistryFormatException("A submission needs 'proposal' (the complete document) and 'approvals' (an array).");
        }

        if (approvals.GetArrayLength() > SignerSet.MaxSigners * 2)
        {
            throw new RegistryFormatException($"A submission holds at most {SignerSet.MaxSigners * 2} approvals.");
        }

        return (Proposal.FromJson(proposal), [.. approvals.EnumerateArray().Select(Approval.FromJson)]);
    }

    /// <summary><c>GET /registry/proposals[?status=pending|approved|stale|expired]</c>: the open proposals.</summary>
    public static Results<JsonBytes, Problem> ListProposals(HttpRequest request, RegistryView view, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = request.Query["status"].ToString();
        ProposalStatus? wanted = filter switch
        {
            "" => null,
            "pending" => ProposalStatus.Pending,
            "approved" => ProposalStatus.Approved,
            "stale" => ProposalStatus.Stale,
            "expired" => ProposalStatus.Expired,
            _ => (ProposalStatus)(-1),
        };
        if (wanted == (ProposalStatus)(-1))
        {
            return new Problem(RegistryErrorCode.Malformed, "status must be pending, approved, stale or expired.");
        }

        var state = view.Current.State;
        var now = Timestamp.From(time.GetUtcNow());
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("proposals");
        writer.WriteStartArray();
        foreach (var pending in state.Pending.Values.OrderBy(p => p.AcceptedAt).ThenBy(p => p.Id))
        {
            var status = state.StatusOf(pending, now);
            if (wanted is null || wanted == status)
            {
                ProposalJson.WriteView(writer, state, pending, status, null);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray());
    }

    /// <summary><c>GET /registry/proposals/{id}</c>.</summary>
    public static async Task<Results<JsonBytes, Problem>> GetProposalAsync(string id, RegistryView view, VersionHistory history, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(id, out var proposalId))
        {
            return new Problem(RegistryErrorCode.Malformed, $"'{id}' is not a proposal id (sha256:<64 lowercase hex>).");
        }

        var state = view.Current.State;
        var writer = new CanonicalJsonWriter();
        if (state.Pending.TryGetValue(proposalId, out var pending))
        {
            ProposalJson.WriteView(writer, state, pending, state.StatusOf(pending, Timestamp.From(time.GetUtcNow())), null);
            return new JsonBytes(writer.ToArray());
        }

        if (state.CommittedProposals.TryGetValue(proposalId, out var version))
        {
            var before = await history.GetAsync(version - 1, cancellationToken);
            var record = (await history.GetRecordAsync(version, cancellationToken))!;
            var closed = new PendingProposal(record.Proposal, record.StateRoot, record.CommittedAt, record.Approvals);
            ProposalJson.WriteView(writer, before, closed, ProposalStatus.Committed, version);
            return new JsonBytes(writer.ToArray());
        }

        if (state.Dropped.TryGetValue(proposalId, out var dropped))
        {
            ProposalJson.WriteDropped(writer, dropped);
            return new JsonBytes(writer.ToArray());
        }

        return new Problem(RegistryErrorCode.NotFound, $"No proposal {proposalId} was ever accepted here.");
    }

    // The problems every body-carrying write can answer besides 429 and 500.
    private static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblems(400, 401, 403, 409, 410, 413, 415, 422, 503);

    private static async Task<CommitRecord?> RecordOf(RegistryState state, Digest proposalId, VersionHistory history)
    {
        if (!state.CommittedProposals.TryGetValue(proposalId, out var version))
        {
            return null;
        }

        if (state.Head?.Version == version)
        {
            return state.Head;
        }

        return await history.GetRecordAsync(version, CancellationToken.None);
    }
}
