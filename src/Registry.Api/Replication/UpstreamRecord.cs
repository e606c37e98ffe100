using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>A commit record as the followed node sent it: parsed, and its exact bytes kept as evidence.</summary>
/// <param name="Record">The record (its <see cref="CommitRecord.Hash"/> is over its canonical bytes).</param>
/// <param name="Raw">The bytes as received (UTF-8 JSON).</param>
internal sealed record UpstreamRecord(CommitRecord Record, byte[] Raw);
