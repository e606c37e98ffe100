using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.Witness;
using Registry.Core;
using Registry.Core.Transparency;

namespace Registry.Api.Endpoints;

/// <summary>
/// C2SP tlog-witness (https://c2sp.org/tlog-witness) on the API listener, mapped only when <c>witness.key_file</c> is
/// set: <c>POST /add-checkpoint</c>, the submission prefix being the listener's root. The status codes are the spec's;
/// 200 is the cosignature line(s) as <c>text/plain</c>, 409 is the stored size as <c>text/x.tlog.size</c>, as the spec
/// requires; 400, 403, 404 and 422 carry the registry's problem details (the spec fixes only their status).
/// </summary>
public static class WitnessEndpoints
{
    /// <summary>The Content-Type of a 409 answer: the size of the latest cosigned checkpoint and a newline.</summary>
    public const string SizeMediaType = "text/x.tlog.size";

    /// <summary>Maps the route.</summary>
    public static RouteHandlerBuilder MapWitness(this IEndpointRouteBuilder app) =>
        app.MapPost("/add-checkpoint", AddCheckpointAsync).WithTags("witness").WithName("AddCheckpoint")
            .Accepts<string>("text/plain").Produces<string>(200, "text/plain").Produces<string>(409, SizeMediaType)
            .ProducesProblems(400, 403, 404, 413, 422, 429, 500, 503);

    /// <summary><c>POST /add-checkpoint</c>: checks, persists, cosigns.</summary>
    public static async Task<Results<BinaryBody, TlogSizeConflict, Problem>> AddCheckpointAsync(HttpContext context, WitnessNode witness, Limits limits, RegistryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(witness);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(metrics);
        var started = Stopwatch.GetTimestamp();
        var (body, problem) = await JsonBody.ReadRawAsync(context, limits.MaxBodyBytes);
        if (problem is not null)
        {
            // Too large or unreadable: refused as the API refuses any body, before the witness sees it.
            metrics.WitnessAnswered("malformed", Stopwatch.GetElapsedTime(started));
            return problem;
        }

        if (!AddCheckpointRequest.TryParse(body, out var request, out var error))
        {
            metrics.WitnessAnswered("malformed", Stopwatch.GetElapsedTime(started));
            return new Problem(RegistryErrorCode.Malformed, "Not a tlog-witness add-checkpoint body: " + error + ".");
        }

        var reply = await witness.AddCheckpointAsync(request, context.RequestAborted);
        var verdict = reply.Verdict;
        metrics.WitnessAnswered(OutcomeLabel(verdict.Outcome), Stopwatch.GetElapsedTime(started));
        return verdict.Outcome switch
        {
            WitnessOutcome.Cosign => new BinaryBody(Encoding.UTF8.GetBytes(reply.Cosignature!.ToLine()), "text/plain; charset=utf-8", "no-store"),
            WitnessOutcome.Conflict => new TlogSizeConflict(verdict.StoredSize),
            WitnessOutcome.UnknownOrigin => new Problem(RegistryErrorCode.NotFound, verdict.Reason + "."),
            WitnessOutcome.NotSigned => new Problem(RegistryErrorCode.Forbidden, verdict.Reason + "."),
            WitnessOutcome.InconsistentProof => new Problem(RegistryErrorCode.InconsistentProof, verdict.Reason + "."),
            _ => new Problem(RegistryErrorCode.Malformed, verdict.Reason + "."),
        };
    }

    private static string OutcomeLabel(WitnessOutcome outcome) => outcome switch
    {
        WitnessOutcome.Cosign => "cosigned",
        WitnessOutcome.NotSigned => "not_signed",
        WitnessOutcome.UnknownOrigin => "unknown_origin",
        WitnessOutcome.Conflict => "conflict",
        WitnessOutcome.InconsistentProof => "inconsistent_proof",
        _ => "bad_request",
    };
}
