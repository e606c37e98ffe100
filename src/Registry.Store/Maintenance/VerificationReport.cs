using System.Text;
using Registry.Store.Log;

namespace Registry.Store.Maintenance;

/// <summary>What an offline verification of a data directory checked and found.</summary>
public sealed record VerificationReport
{
    /// <summary>The data directory.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>True when every check passed.</summary>
    public bool Ok => Problems.Count == 0;

    /// <summary>Log entries read and checksum-verified (FASTER's per-entry checksum and the store's CRC-32C and sequence).</summary>
    public long Entries { get; init; }

    /// <summary>Proposal-accepted events replayed.</summary>
    public long Proposals { get; init; }

    /// <summary>Approval-accepted events whose signature was verified.</summary>
    public long Approvals { get; init; }

    /// <summary>Commits re-verified: link, digests, every approval signature, quorum, data model, state root.</summary>
    public long Commits { get; init; }

    /// <summary>The HEAD version reached by the replay.</summary>
    public long HeadVersion { get; init; }

    /// <summary>The HEAD hash reached by the replay.</summary>
    public string HeadHash { get; init; } = "";

    /// <summary>The descriptors' state root at HEAD.</summary>
    public string StateRoot { get; init; } = "";

    /// <summary>A damaged end of the log found (not cut: verification changes nothing).</summary>
    public TornTail? TornTail { get; init; }

    /// <summary>Each checkpoint file and the outcome of checking it against the replayed chain.</summary>
    public IReadOnlyList<CheckpointCheck> Checkpoints { get; init; } = [];

    /// <summary>Every problem found; empty when <see cref="Ok"/>.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>A human-readable report, one check per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"data directory: {DataDirectory}");
        text.AppendLine($"log: {Entries} entries checksum-verified; {Proposals} proposals, {Approvals} approvals (signatures verified), {Commits} commits verified");
        text.AppendLine($"head: version {HeadVersion} {HeadHash}, state root {StateRoot}");
        text.AppendLine(TornTail is null ? "log tail: intact" : $"log tail: {TornTail}");
        foreach (var checkpoint in Checkpoints)
        {
            text.AppendLine($"checkpoint: {checkpoint}");
        }

        foreach (var problem in Problems)
        {
            text.AppendLine($"PROBLEM: {problem}");
        }

        text.Append(Ok ? "result: OK" : $"result: FAILED ({Problems.Count} problem(s))");
        return text.ToString();
    }
}
