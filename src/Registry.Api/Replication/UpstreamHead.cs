using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>The followed node's <c>GET /registry/head</c>, and the primary it names, if it is a replica itself.</summary>
internal sealed record UpstreamHead(long Version, Digest Hash, Uri? Primary);
