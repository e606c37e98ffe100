using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class DescriptorTests
{
    [Fact]
    public void FromJson_Node_KeepsKindIdRegionAndCanonicalBytes()
    {
        var d = Given.Descriptor("""{ "id":"node:a1", "kind":"node", "attrs":{"zone":3,"region":"region:eu","addr":"10.0.0.1:7000"} }""");

        Assert.Equal(DescriptorKind.Node, d.Kind);
        Assert.Equal("node:a1", d.Id);
        Assert.Equal("region:eu", d.Region);
        Assert.Equal("""{"addr":"10.0.0.1:7000","region":"region:eu","zone":3}""", Given.Text(d.Attrs));
        Assert.Equal("""{"attrs":{"addr":"10.0.0.1:7000","region":"region:eu","zone":3},"id":"node:a1","kind":"node"}""", Given.Text(d.CanonicalBytes));
        Assert.Equal(Digest.Compute(d.CanonicalBytes), d.Hash);
        Assert.Equal("node node:a1", d.ToString());
    }

    [Fact]
    public void FromJson_ServiceWithoutRegion_HasNoRegion()
    {
        var d = Given.Service("svc:api");
        Assert.Equal(DescriptorKind.Service, d.Kind);
        Assert.Null(d.Region);
    }

    [Fact]
    public void FromJson_ServiceWithRegion_ReferencesIt() => Assert.Equal("region:us", Given.Service("svc:api", "region:us").Region);

    [Fact]
    public void FromJson_RegionWithRegionAttr_ReferencesNothing()
    {
        var d = Given.Descriptor("""{"kind":"region","id":"region:eu","attrs":{"name":"EU","region":"region:world"}}""");
        Assert.Equal(DescriptorKind.Region, d.Kind);
        Assert.Null(d.Region);
    }

    [Fact]
    public void FromCanonicalBytes_CanonicalBytes_RoundTrips()
    {
        var d = Given.Node("node:a", "region:eu");
        var again = Descriptor.FromCanonicalBytes(d.CanonicalBytes.ToArray());
        Assert.Equal(d.CanonicalBytes.ToArray(), again.CanonicalBytes.ToArray());
        Assert.Equal(d.Hash, again.Hash);
        Assert.Equal(d.Region, again.Region);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("node:eu-west-1.a_b/c")]
    [InlineData("0123456789")]
    public void FromJson_ValidId_IsAccepted(string id) => Assert.Equal(id, Given.Region(id).Id);

    [Fact]
    public void FromJson_IdOf128Characters_IsAcceptedAnd129Rejected()
    {
        Assert.Equal(128, Given.Region(new string('a', 128)).Id.Length);
        AssertInvalid($$$"""{"kind":"region","id":"{{{new string('a', 129)}}}","attrs":{"name":"x"}}""", RegistryErrorCode.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Node:a")]
    [InlineData("node a")]
    [InlineData("node:é")]
    [InlineData("node@a")]
    [InlineData("node\\\\a")]
    public void FromJson_InvalidId_IsMalformed(string id) =>
        AssertInvalid($$$"""{"kind":"region","id":"{{{id}}}","attrs":{"name":"x"}}""", RegistryErrorCode.Malformed);

    [Theory]
    [InlineData("""{"kind":"host","id":"h","attrs":{}}""")]
    [InlineData("""{"kind":"Node","id":"h","attrs":{"addr":"a:1","region":"r"}}""")]
    public void FromJson_UnknownKind_IsInvalidDescriptor(string json) => AssertInvalid(json, RegistryErrorCode.InvalidDescriptor);

    [Theory]
    [InlineData("""{"kind":"region","id":"r"}""")]
    [InlineData("""{"kind":"region","id":"r","attrs":[]}""")]
    [InlineData("""{"kind":"region","id":"r","attrs":null}""")]
    [InlineData("""{"kind":"region","attrs":{"name":"x"}}""")]
    [InlineData("""{"id":"r","attrs":{"name":"x"}}""")]
    [InlineData("""{"kind":"region","id":"r","attrs":{"name":"x"},"extra":1}""")]
    [InlineData("""{"kind":1,"id":"r","attrs":{"name":"x"}}""")]
    [InlineData("""{"kind":"region","id":7,"attrs":{"name":"x"}}""")]
    [InlineData("""[]""")]
    public void FromJson_WrongShape_IsMalformed(string json) => AssertInvalid(json, RegistryErrorCode.Malformed);

    [Theory]
    [InlineData("10.0.0.1:7000")]
    [InlineData("host.example:1")]
    [InlineData("h:65535")]
    [InlineData("[::1]:8080")]
    [InlineData("[2001:db8::1]:443")]
    public void FromJson_NodeWithHostPort_IsAccepted(string addr) => Assert.Equal(DescriptorKind.Node, Given.Node("node:a", "region:eu", addr).Kind);

    [Theory]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData(":80")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:+80")]
    [InlineData("host:8 0")]
    [InlineData("ho st:80")]
    [InlineData("::1:80")]
    [InlineData("[host.example]:80")]
    [InlineData("[]:80")]
    [InlineData("")]
    public void FromJson_NodeWithBadAddr_IsInvalidDescriptor(string addr) =>
        AssertInvalid($$$"""{"kind":"node","id":"node:a","attrs":{"addr":"{{{addr}}}","region":"region:eu"}}""", RegistryErrorCode.InvalidDescriptor);

    [Theory]
    [InlineData("""{"addr":"h:1"}""")]
    [InlineData("""{"region":"region:eu"}""")]
    [InlineData("""{"addr":"h:1","region":"Region EU"}""")]
    [InlineData("""{"addr":"h:1","region":""}""")]
    [InlineData("""{"addr":"h:1","region":5}""")]
    [InlineData("""{"addr":80,"region":"region:eu"}""")]
    public void FromJson_NodeMissingOrBadRequiredAttr_IsInvalidDescriptor(string attrs) =>
        AssertInvalid($$$"""{"kind":"node","id":"node:a","attrs":{{{attrs}}}}""", RegistryErrorCode.InvalidDescriptor);

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"endpoints":[]}""")]
    [InlineData("""{"endpoints":"https://a.example"}""")]
    [InlineData("""{"endpoints":["/relative"]}""")]
    [InlineData("""{"endpoints":["ftp://a.example/"]}""")]
    [InlineData("""{"endpoints":["https://a.example", 5]}""")]
    [InlineData("""{"endpoints":["mailto:a@b.example"]}""")]
    [InlineData("""{"endpoints":["https://a.example"],"region":"Bad Region"}""")]
    [InlineData("""{"endpoints":["https://a.example"],"region":null}""")]
    public void FromJson_ServiceWithBadAttrs_IsInvalidDescriptor(string attrs) =>
        AssertInvalid($$$"""{"kind":"service","id":"svc:a","attrs":{{{attrs}}}}""", RegistryErrorCode.InvalidDescriptor);

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":3}""")]
    public void FromJson_RegionWithoutName_IsInvalidDescriptor(string attrs) =>
        AssertInvalid($$$"""{"kind":"region","id":"region:a","attrs":{{{attrs}}}}""", RegistryErrorCode.InvalidDescriptor);

    [Fact]
    public void FromJson_AttrsOfExactly16KiB_IsAcceptedAndOneMoreByteRejected()
    {
        // {"name":"x","pad":"…"}: 21 bytes of frame around the padding.
        var pad = new string('p', Descriptor.MaxAttrsBytes - 21);
        var ok = Given.Descriptor($$$"""{"kind":"region","id":"r","attrs":{"name":"x","pad":"{{{pad}}}"}}""");
        Assert.Equal(Descriptor.MaxAttrsBytes, ok.Attrs.Length);

        AssertInvalid($$$"""{"kind":"region","id":"r","attrs":{"name":"x","pad":"{{{pad}}}p"}}""", RegistryErrorCode.InvalidDescriptor);
    }

    [Fact]
    public void FromJson_SameDescriptorSpelledDifferently_HasSameHash()
    {
        var a = Given.Descriptor("""{"kind":"region","id":"r","attrs":{"name":"\u0045U","b":[1,2]}}""");
        var b = Given.Descriptor("""{ "attrs" : { "b" : [ 1 , 2 ] , "name" : "EU" } , "id" : "r" , "kind" : "region" }""");
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void FromJson_AttrsNestedToMaxDepth_IsAcceptedAndOneDeeperRejected()
    {
        // attrs itself is level 1; each "x" adds one object level.
        string Attrs(int depth) => "{\"name\":\"n\"" + string.Concat(Enumerable.Repeat(",\"x\":{\"y\":1", depth - 1)) + new string('}', depth - 1) + "}";
        Assert.Equal(DescriptorKind.Region, Given.Descriptor($$$"""{"kind":"region","id":"r","attrs":{{{Attrs(Descriptor.MaxAttrsDepth)}}}}""").Kind);
        AssertInvalid($$$"""{"kind":"region","id":"r","attrs":{{{Attrs(Descriptor.MaxAttrsDepth + 1)}}}}""", RegistryErrorCode.InvalidDescriptor);
        AssertInvalid($$$"""{"kind":"region","id":"r","attrs":{"name":"n","a":{{{new string('[', 16)}}}{{{new string(']', 16)}}}}}""", RegistryErrorCode.InvalidDescriptor);
    }

    private static void AssertInvalid(string json, RegistryErrorCode code)
    {
        var error = Assert.Throws<RegistryFormatException>(() => Given.Descriptor(json));
        Assert.Equal(code, error.Code);
    }
}
