using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.HighAvailability;

/// <summary>
/// The HTTP side of an HA node (docs/HA.md, "Writes on a follower"): a write sent to a node that is not the elected
/// writer is answered 421 <c>NotPrimary</c> naming the writer's URL (not forwarded: a client that knows where the
/// writer is sends there directly, and a forwarded write would hold a request open on two nodes through a fail-over).
/// With no writer reachable (etcd unreachable, no quorum, an election under way) the answer is 503 <c>NotReady</c>
/// saying why; reads, the stream and the bus are served on every node. The endpoint filter that answers is
/// <see cref="Replication.ReplicaRouting.RefuseWritesOffTheWriter"/>, shared with replicas.
/// </summary>
public static class HaRouting
{
    /// <summary>421 NotPrimary naming the writer, or 503 NotReady when no writer can be reached.</summary>
    public static Problem Refusal(EtcdNodeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Problem is { } problem)
        {
            return new Problem(RegistryErrorCode.NotReady, $"No write can be accepted now: {problem}. Reads continue on every node.");
        }

        if (status.WriterUrl is not { } writer || writer == status.AdvertiseUrl)
        {
            return new Problem(RegistryErrorCode.NotReady, "No writer is elected at the moment (an election is under way); retry shortly.");
        }

        return new Problem(RegistryErrorCode.NotPrimary, $"This node follows the etcd log; send writes to the elected writer at {writer}.")
        {
            Extensions = new Dictionary<string, string> { ["primary"] = writer },
        };
    }
}
