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
        ExpectRejected(h.Propose(h.Build(Given.Put(Given.Node("node:a", "region:none")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_ServiceNamingMissingRegion_IsDanglingReference()
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(Given.Put(Given.Service("svc:a", "region:none")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_NodeNamingANonRegionDescriptor_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Service("svc:a")));
        ExpectRejected(h.Propose(h.Build(Given.Put(Given.Node("node:a", "svc:a")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_RegionAndItsNodeTogether_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Node("node:a", "region:eu")), Given.Put(Given.Region("region:eu")));
        Assert.Equal(2, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_DeleteReferencedRegion_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")), Given.Put(Given.Service("svc:s", "region:eu")));
        ExpectRejected(h.Propose(h.Build(Given.Delete("region:eu"))), RegistryErrorCode.DanglingReference);
        ExpectRejected(h.Propose(h.Build(Given.Delete("node:a"), Given.Delete("region:eu"))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_DeleteRegionWithAllItsReferrers_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")), Given.Put(Given.Service("svc:s", "region:eu")));
        h.CommitChanges(Given.Delete("region:eu"), Given.Delete("node:a"), Given.Delete("svc:s"));
        Assert.Equal(0, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_MoveReferrerThenDeleteOldRegion_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Region("region:us")), Given.Put(Given.Node("node:a", "region:eu")));
        h.CommitChanges(Given.Put(Given.Node("node:a", "region:us")), Given.Delete("region:eu"));
        Assert.False(h.State.Descriptors.TryGet("region:eu", out _));
    }

    [Fact]
    public void Propose_ReplaceReferencedRegionWithAnotherKind_IsDanglingReference()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")));
        ExpectRejected(h.Propose(h.Build(Given.Put(Given.Service("region:eu")))), RegistryErrorCode.DanglingReference);
    }

    [Fact]
    public void Propose_ReplaceReferencedRegionWithNewRegionAttrs_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")));
        h.CommitChanges(Given.Put(Given.Region("region:eu", "Europe (renamed)")));
        Assert.True(h.State.Descriptors.TryGet("region:eu", out var eu));
        Assert.Contains("renamed", Given.Text(eu.Attrs), StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_DeleteThenRecreateReferencedRegion_IsAccepted()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")));
        h.CommitChanges(Given.Delete("region:eu"), Given.Put(Given.Region("region:eu", "again")));
        Assert.Equal(2, h.State.Descriptors.Count);
    }

    [Fact]
    public void Propose_ReferenceToMissingRegionWithdrawnLaterInTheSameProposal_IsAccepted()
    {
        // Only the resulting state counts: a node first put with a missing region, then re-pointed (or
        // deleted) in the same proposal, leaves no dangling reference.
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:us")));
        h.CommitChanges(Given.Put(Given.Node("node:a", "region:none")), Given.Put(Given.Node("node:a", "region:us")));
        h.CommitChanges(Given.Put(Given.Node("node:b", "region:none")), Given.Delete("node:b"));
        Assert.True(h.State.Descriptors.TryGet("node:a", out var a));
        Assert.Equal("region:us", a.Region);
        Assert.False(h.State.Descriptors.TryGet("node:b", out _));
    }

    [Fact]
    public void Propose_DeleteSameIdTwice_IsInvalidDescriptor()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")));
        ExpectRejected(h.Propose(h.Build(Given.Delete("region:eu"), Given.Delete("region:eu"))), RegistryErrorCode.InvalidDescriptor);
    }
}
