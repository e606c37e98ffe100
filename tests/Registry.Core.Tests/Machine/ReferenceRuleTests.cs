using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>SPEC §1: a node or service may not name a missing region; a region still referenced may not be deleted.</summary>
public sealed class ReferenceRuleTests
{
    [Fact]
    public void Propose_NodeNamingMissingRegion_IsDanglingReference()
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(Docs.Put(Docs.Node("node:a", "region:none")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_ServiceNamingMissingRegion_IsDanglingReference()
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(Docs.Put(Docs.Service("svc:a", "region:none")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_NodeNamingANonRegionDescriptor_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Service("svc:a")));
        ExpectRejected(h.Propose(h.Build(Docs.Put(Docs.Node("node:a", "svc:a")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_RegionAndItsNodeTogether_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Node("node:a", "region:eu")), Docs.Put(Docs.Region("region:eu")));
        Assert.Equal(2, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_DeleteReferencedRegion_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Node("node:a", "region:eu")), Docs.Put(Docs.Service("svc:s", "region:eu")));
        ExpectRejected(h.Propose(h.Build(Docs.Delete("region:eu"))), RegistryErrorCode.DanglingReference);
        ExpectRejected(h.Propose(h.Build(Docs.Delete("node:a"), Docs.Delete("region:eu"))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_DeleteRegionWithAllItsReferrers_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Node("node:a", "region:eu")), Docs.Put(Docs.Service("svc:s", "region:eu")));
        h.CommitChanges(Docs.Delete("region:eu"), Docs.Delete("node:a"), Docs.Delete("svc:s"));
        Assert.Equal(0, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_MoveReferrerThenDeleteOldRegion_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Region("region:us")), Docs.Put(Docs.Node("node:a", "region:eu")));
        h.CommitChanges(Docs.Put(Docs.Node("node:a", "region:us")), Docs.Delete("region:eu"));
        Assert.False(h.State.Descriptors.TryGet("region:eu", out _));
    }

    [Fact]
    public void Propose_ReplaceReferencedRegionWithAnotherKind_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Node("node:a", "region:eu")));
        ExpectRejected(h.Propose(h.Build(Docs.Put(Docs.Service("region:eu")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_ReplaceReferencedRegionWithNewRegionAttrs_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Node("node:a", "region:eu")));
        h.CommitChanges(Docs.Put(Docs.Region("region:eu", "Europe (renamed)")));
        Assert.True(h.State.Descriptors.TryGet("region:eu", out var eu));
        Assert.Contains("renamed", Docs.Text(eu.Attrs), StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_DeleteThenRecreateReferencedRegion_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")), Docs.Put(Docs.Node("node:a", "region:eu")));
        h.CommitChanges(Docs.Delete("region:eu"), Docs.Put(Docs.Region("region:eu", "again")));
        Assert.Equal(2, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_ReferenceToMissingRegionWithdrawnLaterInTheSameProposal_IsAccepted()
    {
        // Only the resulting state counts: a node first put with a missing region, then re-pointed (or
        // deleted) in the same proposal, leaves no dangling reference.
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:us")));
        h.CommitChanges(Docs.Put(Docs.Node("node:a", "region:none")), Docs.Put(Docs.Node("node:a", "region:us")));
        h.CommitChanges(Docs.Put(Docs.Node("node:b", "region:none")), Docs.Delete("node:b"));
        Assert.True(h.State.Descriptors.TryGet("node:a", out var a));
        Assert.Equal("region:us", a.Region);
        Assert.False(h.State.Descriptors.TryGet("node:b", out _));
    }

    [Fact]
    public void Propose_DeleteSameIdTwice_IsInvalidDescriptor()
    {
        var h = new Harness();
        h.CommitChanges(Docs.Put(Docs.Region("region:eu")));
        ExpectRejected(h.Propose(h.Build(Docs.Delete("region:eu"), Docs.Delete("region:eu"))), RegistryErrorCode.InvalidDescriptor);
    }
}
