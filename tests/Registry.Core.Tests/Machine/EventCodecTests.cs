using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Machine;

public sealed class EventCodecTests
{
    [Fact]
    public void Decode_CommitHoldingDeepestAllowedAttrs_ReadsBack()
    {
        // The attrs of an accepted descriptor sit 7 levels down in a "committed" event; whatever the
        // machine accepts must decode again, or replay would fail on it.
        var h = new Harness();
        var attrs = "{\"name\":\"n\"" + string.Concat(Enumerable.Repeat(",\"x\":{\"y\":1", Descriptor.MaxAttrsDepth - 1)) + new string('}', Descriptor.MaxAttrsDepth - 1) + "}";
        var deep = Given.Descriptor("{\"kind\":\"region\",\"id\":\"region:deep\",\"attrs\":" + attrs + "}");
        h.CommitChanges(Given.Put(deep));

        foreach (var e in h.Events)
        {
            var bytes = EventCodec.Encode(e);
            Assert.Equal(bytes, EventCodec.Encode(EventCodec.Decode(bytes)));
        }

        var record = h.State.Head!;
        Assert.Equal(record.Hash, CommitRecord.FromCanonicalBytes(record.CanonicalBytes.ToArray()).Hash);
    }
}
