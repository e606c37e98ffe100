using System.Collections.Immutable;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Benchmarks.Core;

/// <summary>
/// Canonicalizing and hashing a 50-change proposal (~9 KB; issue 2 target: under 50 µs).
/// <c>FromModel</c>: canonical bytes and proposal_id of already-validated changes (what the writer does).
/// <c>CanonicalizeParsedJson</c>: RFC 8785 canonical bytes of the parsed request, and their digest.
/// <c>FromRequestBytes</c>: the whole POST path — strict parse, validation of every descriptor, canonical
/// bytes, proposal_id.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ProposalHashBenchmarks
{
    private byte[] _request = [];
    private ImmutableArray<Change> _changes;
    private Proposal _proposal = null!;
    private JsonDocument _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = CoreFixture.ProposalRequest(50);
        using var document = CanonicalJson.Parse(_request);
        _proposal = Proposal.FromJson(document.RootElement);
        _changes = _proposal.Changes;
        _parsed = CanonicalJson.Parse(_request);
    }

    [GlobalCleanup]
    public void Cleanup() => _parsed.Dispose();

    [Benchmark]
    public Digest FromRequestBytes()
    {
        using var document = CanonicalJson.Parse(_request);
        return Proposal.FromJson(document.RootElement).Id;
    }

    [Benchmark]
    public Digest CanonicalizeParsedJson() => Digest.Compute(CanonicalJson.Canonicalize(_parsed.RootElement));

    [Benchmark]
    public Digest FromModel() =>
        new Proposal(_proposal.Registry, _proposal.BaseVersion, _proposal.BaseHash, _proposal.SignerSetVersion, null, _changes, _proposal.ExpiresAt, _proposal.Note).Id;
}
