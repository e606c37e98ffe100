// What `ronctl replica promote` asks the old primary before this replica takes its place: GET /registry/head on its
// API listener, which every node answers with X-Registry-Role (primary, read-only, demoted, replica; ReplicaRouting).
// A node that does not answer within the timeout (refused, reset, no route, silent) is unreachable. A node that
// answers without the header, or with an error status, is of unknown role: the promotion is refused, since it may
// still take writes.
using System.Net;
using System.Text.Json;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>One probe of the old primary. Stateless; thread-safe.</summary>
internal static class PrimaryProbe
{
    /// <summary>What the old primary said about itself.</summary>
    public enum Answer
    {
        /// <summary>It did not answer (the detail says why).</summary>
        Unreachable,

        /// <summary>It answers and takes writes.</summary>
        Writable,

        /// <summary>It answers <c>read-only</c> (<c>--read-only</c>).</summary>
        ReadOnly,

        /// <summary>It answers <c>demoted</c> (<c>ronctl replica demote</c>).</summary>
        Demoted,

        /// <summary>It answers that it is a replica itself.</summary>
        Replica,

        /// <summary>It answers, but not with its role (an older build, an error status, not a HEAD).</summary>
        Unknown,
    }

    /// <summary>The probe's result: the answer, the node's HEAD when it gave one, and a sentence for people.</summary>
    public sealed record Result(Answer Answer, long? Version, Digest? Hash, string Detail);

    /// <summary>Probes <paramref name="primary"/>, waiting at most <paramref name="timeout"/>.</summary>
    public static async Task<Result> ProbeAsync(Uri primary, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = timeout }) { BaseAddress = primary, Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri("/registry/head", UriKind.Relative), deadline.Token);
        }
        catch (HttpRequestException ex)
        {
            return new Result(Answer.Unreachable, null, null, $"{primary} does not answer: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Result(Answer.Unreachable, null, null, $"{primary} does not answer within {timeout.TotalSeconds:0.#} s");
        }

        using (response)
        {
            var role = response.Headers.TryGetValues(ReplicaRouting.RoleHeader, out var values) ? values.FirstOrDefault() : null;
            if (response.StatusCode != HttpStatusCode.OK || role is null)
            {
                return new Result(Answer.Unknown, null, null, $"{primary} answers GET /registry/head with HTTP {(int)response.StatusCode}{(role is null ? " and no " + ReplicaRouting.RoleHeader + " header" : string.Empty)}: it cannot say whether it still takes writes");
            }

            long version;
            Digest hash;
            try
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(deadline.Token));
                version = document.RootElement.GetProperty("version").GetInt64();
                hash = Digest.Parse(document.RootElement.GetProperty("hash").GetString()!);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OperationCanceledException or HttpRequestException)
            {
                return new Result(Answer.Unknown, null, null, $"{primary} answers GET /registry/head with something that is not a HEAD: {ex.Message}");
            }

            var answer = role switch
            {
                "primary" => Answer.Writable,
                "read-only" => Answer.ReadOnly,
                "demoted" => Answer.Demoted,
                "replica" => Answer.Replica,
                _ => Answer.Unknown,
            };
            return new Result(answer, version, hash, $"{primary} answers {ReplicaRouting.RoleHeader}: {role} at version {version} ({hash})");
        }
    }
}
