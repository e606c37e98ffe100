using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Api.Tests.Support;
using Registry.Api.Transparency;
using Registry.Core.Auth;
using Registry.Core.State;
using Registry.Core.Transparency;

namespace Registry.Api.Tests;

/// <summary>The service's <see cref="TransparencyLog"/> in process: it follows published states, refuses another chain, and re-signs with rising timestamps.</summary>
public sealed class TransparencyLogUnitTests
{
    [Fact]
    public void Advance_StateOfAnotherChain_Throws_AndLeavesTheTreeAsItWas()
    {
        using var log = new TransparencyLog("a", null, TimeProvider.System);
        log.Advance(RegistryState.FromGenesis(DevCredentials.Genesis("a")));
        var root = log.Tree.Root();
        Assert.Throws<InvalidOperationException>(() => log.Advance(RegistryState.FromGenesis(DevCredentials.Genesis("b"))));
        Assert.Equal((1L, root), log.Tree.Head());
        Assert.Null(log.Checkpoint());
    }

    [Fact]
    public void Checkpoint_ClockGoingBack_KeepsTheTimestampRising_AndRenewsTheFreshnessLine()
    {
        var clock = new SettableClock(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));
        using var signer = NoteSigner.Generate("a");
        var vkey = signer.VerifierKey;
        var freshness = signer.CosignatureKey;
        using var log = new TransparencyLog("a", NoteSigner.FromSeed("a", new byte[32]), clock);
        Assert.Null(log.Checkpoint());
        log.Advance(RegistryState.FromGenesis(DevCredentials.Genesis("a")));

        var first = log.Checkpoint()!;
        Assert.Equal(1, first.Size);
        Assert.Equal(2_000_000_000, first.Timestamp);
        Assert.Same(first, log.Checkpoint());

        clock.Now = clock.Now.AddSeconds(-100);
        var renewed = log.Sign()!;
        Assert.Equal(2_000_000_000, renewed.Timestamp);
        clock.Now = clock.Now.AddSeconds(500);
        var later = log.Sign()!;
        Assert.Equal(2_000_000_400, later.Timestamp);
        Assert.True(SignedNote.TryParse(later.Note, out var note));
        using var same = NoteSigner.FromSeed("a", new byte[32]);
        Assert.True(note.VerifiedBy(same.VerifierKey));
        Assert.False(note.VerifiedBy(vkey));
        Assert.True(Cosignature.TryVerify(note, same.CosignatureKey, out var time));
        Assert.Equal(2_000_000_400, time);
        Assert.False(Cosignature.TryVerify(note, freshness, out _));
        Assert.StartsWith("a\n1\n", Encoding.UTF8.GetString(later.Note), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresher_GrowthAndIdleInterval_EachReSignTheCheckpoint()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));
        using var log = new TransparencyLog("a", NoteSigner.FromSeed("a", new byte[32]), clock);
        var signed = Channel.CreateUnbounded<SignedCheckpoint>();
        log.Signed += c => signed.Writer.TryWrite(c);
        using var refresher = new CheckpointRefresher(log, TimeSpan.FromSeconds(30), NullLogger.Instance);
        await refresher.StartAsync(CancellationToken.None);
        await clock.TimersCreatedAsync(1).WaitAsync(TimeSpan.FromSeconds(30));

        // The tree grows: signed at once, without any read asking for it.
        log.Advance(RegistryState.FromGenesis(DevCredentials.Genesis("a")));
        var first = await signed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((1L, 2_000_000_000L), (first.Size, first.Timestamp));

        // Idle: nothing more until the interval passes on the clock, then the same head with a newer time.
        await clock.TimersCreatedAsync(2).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(signed.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(signed.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await signed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((1L, 2_000_000_030L), (renewed.Size, renewed.Timestamp));
        Assert.NotEqual(first.Note, renewed.Note);
        await refresher.StopAsync(CancellationToken.None);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Checkpoint_WithWitnesses_IsServedOnlyAfterTheRound_WithTheCosignatures()
    {
        using var witness = NoteSigner.Generate("witness.test/w1");
        using var log = new TransparencyLog("a", NoteSigner.FromSeed("a", new byte[32]), TimeProvider.System, witnessed: true);
        log.Advance(RegistryState.FromGenesis(DevCredentials.Genesis("a")));
        Assert.NotNull(log.Sign());
        Assert.Null(log.Checkpoint());

        var candidate = log.CurrentNote()!;
        var line = witness.Cosign(candidate.Text, 2_000_000_000);
        var served = log.AddCosignatures(candidate.Text, [line])!;
        Assert.Same(served, log.Checkpoint());
        Assert.True(SignedNote.TryParse(served.Note, out var note));
        Assert.True(Cosignature.TryVerify(note, witness.CosignatureKey, out _));

        // A re-signing of the same tree head keeps the witness's line on the next candidate; a stale text is dropped.
        log.Sign();
        Assert.Same(served, log.Checkpoint());
        Assert.True(Cosignature.TryVerify(log.CurrentNote()!, witness.CosignatureKey, out _));
        Assert.Null(log.AddCosignatures("a\n9\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", [line]));
    }
}
