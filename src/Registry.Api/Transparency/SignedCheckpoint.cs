using Registry.Core.Model;

namespace Registry.Api.Transparency;

/// <summary>One signed checkpoint as served: tree size, root, the freshness timestamp and the encoded note (UTF-8).</summary>
public sealed record SignedCheckpoint(long Size, Digest Root, long Timestamp, byte[] Note);
