using System.Collections.Immutable;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// The body of a pre-signed submission (<c>POST /registry/commits</c>, SPEC §1 "Pre-signed submission"): a complete
/// proposal and its approvals, <c>{"approvals":[...],"proposal":{...}}</c> in canonical JSON (docs/PROTOCOL.md §4.9).
/// The one builder of that body: the SDK, ronctl, the tests and the load harness all send what this writes.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. The approvals are kept in the order given (duplicates included): the server, not the
/// builder, decides which count, so a test can send exactly the body it means to.
/// </remarks>
public sealed class PreSignedSubmission
{
    private readonly byte[] _canonical;

    /// <summary>Builds the submission of <paramref name="proposal"/> with <paramref name="approvals"/>.</summary>
    /// <param name="proposal">The complete proposal (every member; its id is what the approvals sign).</param>
    /// <param name="approvals">The approvals, in the order they are sent.</param>
    public PreSignedSubmission(Proposal proposal, IEnumerable<Approval> approvals)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(approvals);
        Proposal = proposal;
        Approvals = [.. approvals];
        var writer = new CanonicalJsonWriter(proposal.CanonicalBytes.Length + (Approvals.Length * 160) + 32);
        writer.WriteStartObject();
        writer.WritePropertyName("approvals");
        writer.WriteStartArray();
        foreach (var approval in Approvals)
        {
            ArgumentNullException.ThrowIfNull(approval, nameof(approvals));
            approval.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("proposal");
        proposal.WriteTo(writer);
        writer.WriteEndObject();
        _canonical = writer.ToArray();
    }

    /// <summary>The proposal.</summary>
    public Proposal Proposal { get; }

    /// <summary>The approvals, in the order given.</summary>
    public ImmutableArray<Approval> Approvals { get; }

    /// <summary>The request body: canonical <c>{"approvals":[...],"proposal":{...}}</c>.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>A copy of <see cref="CanonicalBytes"/>, e.g. for an HTTP request's content.</summary>
    public byte[] ToArray() => (byte[])_canonical.Clone();
}
