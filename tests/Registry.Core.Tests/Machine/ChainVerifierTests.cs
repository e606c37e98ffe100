using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Machine;

public sealed class ChainVerifierTests
{
    // One chain of 8 commits (puts, deletes, set_signers), built once; states before each record kept for
    // verifying a tampered suffix without re-verifying the untouched prefix.
    private static readonly Lazy<Fixture> s_fixture = new(() => new Fixture(Scenario.Chain(8, seed: 11)));

    [Fact]
    public void Verify_HonestChain_IsOkToTheHead()
    {
        var f = s_fixture.Value;
        var report = ChainVerifier.Verify(f.Genesis, f.Records, f.Head);

        Assert.True(report.Ok, report.Error);
        Assert.Equal(f.Records.Count, report.Verified);
        Assert.Null(report.FirstBadVersion);
        Assert.Equal(f.Head, report.Head.HeadHash);
        StateAssert.Equal(f.Final, report.Head);
    }

    [Fact]
    public void Verify_HonestChainFromCanonicalBytes_IsOk()
    {
        var f = s_fixture.Value;
        var parsed = f.Records.Select(r => CommitRecord.FromCanonicalBytes(r.CanonicalBytes.ToArray())).ToList();
        Assert.True(ChainVerifier.Verify(f.Genesis, parsed, f.Head).Ok);
    }

    [Fact]
    public void Verify_WrongExpectedHead_Fails()
    {
        var f = s_fixture.Value;
        var report = ChainVerifier.Verify(f.Genesis, f.Records, Digest.Compute("elsewhere"u8));
        Assert.False(report.Ok);
        Assert.Equal(f.Records.Count, report.Verified);
    }

    [Fact]
    public void Verify_MissingRecordInTheMiddle_FailsAtTheGap()
    {
        var f = s_fixture.Value;
        var gapped = f.Records.Where(r => r.Version != 4).ToList();
        var report = ChainVerifier.Verify(f.Genesis, gapped, f.Head);
        Assert.False(report.Ok);
        Assert.Equal(5, report.FirstBadVersion);
        Assert.Equal(3, report.Verified);
    }

    [Fact]
    public void Verify_TruncatedChain_FailsOnlyAgainstTheExpectedHead()
    {
        var f = s_fixture.Value;
        var prefix = f.Records.Take(5).ToList();
        Assert.True(ChainVerifier.Verify(f.Genesis, prefix).Ok);
        Assert.False(ChainVerifier.Verify(f.Genesis, prefix, f.Head).Ok);
    }

    [Fact]
    public void Verify_OtherGenesis_FailsAtVersionOne()
    {
        var f = s_fixture.Value;
        var other = new GenesisRecord("other-registry", Scenario.GenesisSet);
        var report = ChainVerifier.Verify(other, f.Records, f.Head);
        Assert.False(report.Ok);
        Assert.Equal(1, report.FirstBadVersion);
    }

    [Fact]
    public void Verify_EveryByteOfEveryRecordFlipped_IsDetected()
    {
        // Exhaustive over positions: each byte of each canonical record, XORed with a mask that cycles
        // through every single bit and 0xFF. Parse failures count as detection.
        var f = s_fixture.Value;
        byte[] masks = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF];
        var flips = 0;
        for (var i = 0; i < f.Records.Count; i++)
        {
            var bytes = f.Records[i].CanonicalBytes.ToArray();
            for (var at = 0; at < bytes.Length; at++)
            {
                Assert.True(Detected(f, i, at, masks[(at + i) % masks.Length]), $"version {i + 1}, byte {at}: flip not detected");
                flips++;
            }
        }

        Assert.True(flips > 5_000, $"only {flips} flips");
    }

    [Fact]
    public void Verify_RandomByteFlipAnywhere_IsDetected()
    {
        var f = s_fixture.Value;
        var gen =
            from record in Gen.Choose(0, f.Records.Count - 1)
            from at in Gen.Choose(0, int.MaxValue)
            from mask in Gen.Choose(1, 255)
            select (Record: record, At: at, Mask: (byte)mask);
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), s => Detected(f, s.Record, s.At % f.Records[s.Record].CanonicalBytes.Length, s.Mask)),
            maxTest: 3000);
    }

    private static bool Detected(Fixture f, int index, int at, byte mask)
    {
        var bytes = f.Records[index].CanonicalBytes.ToArray();
        bytes[at] ^= mask;
        CommitRecord tampered;
        try
        {
            tampered = CommitRecord.FromCanonicalBytes(bytes);
        }
        catch (FormatException)
        {
            return true;
        }

        var suffix = f.Records.Skip(index + 1).Prepend(tampered);
        return !ChainVerifier.Verify(f.Before[index], suffix, f.Head).Ok;
    }

    private sealed class Fixture
    {
        public Fixture(Harness h)
        {
            Genesis = h.Genesis;
            Records = h.Records.ToList();
            Head = h.State.HeadHash;
            Final = h.State;
            var state = RegistryState.FromGenesis(h.Genesis);
            foreach (var record in Records)
            {
                Before.Add(state);
                Assert.Null(RegistryMachine.Verify(state, record, out var next));
                state = next!;
            }
        }

        public GenesisRecord Genesis { get; }

        public List<CommitRecord> Records { get; }

        public List<RegistryState> Before { get; } = [];

        public Digest Head { get; }

        public RegistryState Final { get; }
    }
}
