using Registry.Core.Json;
using Registry.Core.State;

namespace Registry.Api.ReadPlane;

/// <summary>
/// One published HEAD: the state and its <c>GET /registry/head</c> body, serialised once when the
/// writer publishes it, so every read is a pointer load and a memory copy.
/// </summary>
public sealed class HeadView
{
    private HeadView(RegistryState state, byte[] json, string etag)
    {
        State = state;
        Json = json;
        ETag = etag;
    }

    /// <summary>The state at HEAD.</summary>
    public RegistryState State { get; }

    /// <summary>The head document (canonical JSON).</summary>
    public byte[] Json { get; }

    /// <summary>The strong ETag: the quoted HEAD hash.</summary>
    public string ETag { get; }

    /// <summary>Builds the view of <paramref name="state"/>.</summary>
    public static HeadView From(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("committed_at");
        if (state.Head is { } head)
        {
            writer.WriteString(head.CommittedAt.ToString());
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteInteger("descriptor_count", state.Descriptors.Count);
        writer.WriteString("hash", state.HeadHash.ToString());
        writer.WriteString("prev_hash", state.PrevHash.ToString());
        writer.WriteString("registry", state.RegistryId);
        writer.WriteInteger("signer_set_version", state.SignerSet.Version);
        writer.WriteString("state_root", state.Descriptors.Root.ToString());
        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();
        return new HeadView(state, writer.ToArray(), "\"" + state.HeadHash + "\"");
    }
}
