using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Api.Bus;
using Registry.Api.Hosting;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;
using Registry.Configuration;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Tests.WritePlaneUnit;

/// <summary>
/// One write plane in process, wired as the service wires it (Components, RegistryLifecycle's recovery) over real
/// storage: the FasterLog store in a data directory, or the store's in-memory log when none is given. The sweep
/// timer is off: tests send <see cref="WriteRequest.Sweep"/> themselves, on a clock they move.
/// </summary>
internal sealed class WritePlaneRig : IAsyncDisposable
{
    public const string RegistryId = "wp-test";

    private WritePlaneRig(string? dataDir, LimitsOptions limits, ManualClock clock)
    {
        DataDir = dataDir;
        Clock = clock;
        Inner = new RegistryStoreStorage(dataDir is null, dataDir ?? string.Empty, new StorageOptions(), clock);
        Storage = new ObservedStorage(Inner);
        Metrics = new RegistryMetrics();
        View = new RegistryView();
        History = new VersionHistory(Storage, 1024, 16);
        Feed = new CommitFeed(Metrics);
        Bus = new RegistryBus(Metrics, clock);
        Limits = new ProposalLimits(limits);
        Writer = new Registry.Api.WritePlane.WritePlane(1024, Storage, View, History, Feed, Bus, Metrics, clock, NullLogger.Instance, Limits, Timeout.InfiniteTimeSpan);
        Readiness = new Readiness(false, () => Storage.Writable, writePlaneHalted: () => Writer.HaltReason is not null);
        Gate = new WriteGate(Writer, Readiness, new Limits(1000, 30, 1 << 20), Metrics);
    }

    public static GenesisRecord Genesis { get; } = DevCredentials.Genesis(RegistryId);

    public string? DataDir { get; }

    public ManualClock Clock { get; }

    public RegistryStoreStorage Inner { get; }

    public ObservedStorage Storage { get; }

    public RegistryMetrics Metrics { get; }

    public RegistryView View { get; }

    public VersionHistory History { get; }

    public CommitFeed Feed { get; }

    public RegistryBus Bus { get; }

    public ProposalLimits Limits { get; }

    public Registry.Api.WritePlane.WritePlane Writer { get; }

    public Readiness Readiness { get; }

    public WriteGate Gate { get; }

    public RegistryState State => View.Current.State;

    public Timestamp Now => Timestamp.From(Clock.GetUtcNow());

    /// <summary>Opens the storage, publishes the recovered HEAD as the service does, and starts the writer unless told not to.</summary>
    public static async Task<WritePlaneRig> OpenAsync(string? dataDir = null, LimitsOptions? limits = null, bool start = true, ManualClock? clock = null)
    {
        var rig = new WritePlaneRig(dataDir, limits ?? new LimitsOptions(), clock ?? new ManualClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        var state = await rig.Storage.OpenAsync(Genesis, CancellationToken.None);
        rig.Readiness.StorageOpened();
        rig.History.SetGenesis(RegistryState.FromGenesis(Genesis));
        rig.History.Add(state);
        rig.Feed.Reset(state.Version);
        rig.View.Publish(state);
        rig.Readiness.RecoveryDone();
        rig.Readiness.ApiBound();
        rig.Readiness.AdminBound();
        if (start)
        {
            rig.Writer.Start();
        }

        return rig;
    }

    /// <summary>Queues <paramref name="request"/> and waits for the writer's answer.</summary>
    public async Task<WriteOutcome> SendAsync(WriteRequest request)
    {
        Assert.True(Writer.TryEnqueue(request), "the write queue is full");
        return await request.Completion.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task<WriteOutcome> SweepAsync() => SendAsync(WriteRequest.Sweep());

    /// <summary>Proposes as the handler does: with the state at the proposal's base, read from the history.</summary>
    public async Task<WriteOutcome> ProposeAsync(Proposal proposal, string? token = "tok-a")
    {
        var baseState = proposal.BaseVersion <= State.Version ? await History.GetAsync(proposal.BaseVersion, CancellationToken.None) : null;
        return await SendAsync(WriteRequest.Propose(proposal, baseState, "test", token));
    }

    /// <summary>A pre-signed submission of <paramref name="proposal"/> approved by dev signers 1 and 2.</summary>
    public static WriteRequest Submit(Proposal proposal)
    {
        var approvals = ImmutableArray.Create(Sign(proposal, 1), Sign(proposal, 2));
        return WriteRequest.Submit(proposal, approvals, new Dictionary<string, Ed25519PublicKey>(), "test");
    }

    /// <summary>A proposal on HEAD (or on <paramref name="on"/>) putting regions <paramref name="ids"/>.</summary>
    public Proposal Build(TimeSpan? ttl = null, RegistryState? on = null, params string[] ids)
    {
        var state = on ?? State;
        return new Proposal(
            RegistryId,
            state.Version,
            state.HeadHash,
            state.SignerSet.Version,
            null,
            [.. ids.Select(id => (Change)new PutChange(Region(id)))],
            Now.Add(ttl ?? TimeSpan.FromHours(1)),
            "write plane test");
    }

    public static Descriptor Region(string id)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes($$$"""{"kind":"region","id":"{{{id}}}","attrs":{"name":"R"}}"""));
        return Descriptor.FromJson(document.RootElement);
    }

    public static Approval Sign(Proposal proposal, int devSigner)
    {
        using var key = SignerKeyDocument.DevKey(devSigner);
        return Approval.Sign($"dev-signer-{devSigner}", key, proposal.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync();
        await Storage.DisposeAsync();
    }
}
