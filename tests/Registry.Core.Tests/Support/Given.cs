using System.Text;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Core.Tests.Support;

/// <summary>Builds model values from JSON text, the way a request would arrive.</summary>
internal static class Given
{
    public static Descriptor Descriptor(string json)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(json));
        return Registry.Core.Model.Descriptor.FromJson(document.RootElement);
    }

    public static Descriptor Region(string id, string name = "Somewhere") =>
        Descriptor($$$"""{"kind":"region","id":"{{{id}}}","attrs":{"name":"{{{name}}}"}}""");

    public static Descriptor Node(string id, string region, string addr = "10.0.0.1:7000") =>
        Descriptor($$$"""{"kind":"node","id":"{{{id}}}","attrs":{"addr":"{{{addr}}}","region":"{{{region}}}"}}""");

    public static Descriptor Service(string id, string? region = null, string endpoint = "https://svc.example:443/api") =>
        Descriptor(region is null
            ? $$$"""{"kind":"service","id":"{{{id}}}","attrs":{"endpoints":["{{{endpoint}}}"]}}"""
            : $$$"""{"kind":"service","id":"{{{id}}}","attrs":{"endpoints":["{{{endpoint}}}"],"region":"{{{region}}}"}}""");

    public static PutChange Put(Descriptor descriptor) => new(descriptor);

    public static DeleteChange Delete(string id) => new(id);

    public static Proposal Proposal(string json, ProposalDefaults? defaults = null)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(json));
        return Registry.Core.Model.Proposal.FromJson(document.RootElement, defaults);
    }

    public static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
