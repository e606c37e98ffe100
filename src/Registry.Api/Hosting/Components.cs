using Registry.Api.Auth;
using Registry.Api.Bus;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;

namespace Registry.Api.Hosting;

/// <summary>The long-lived parts of the service, created once and shared by both web hosts.</summary>
internal sealed record Components(
    IRegistryStorage Storage,
    RegistryView View,
    VersionHistory History,
    SnapshotCache Snapshots,
    CommitFeed Feed,
    RegistryBus Bus,
    WritePlane.WritePlane Writer,
    WriteGate Gate,
    Readiness Readiness,
    Limits Limits,
    CapabilityAuthenticator Authenticator,
    ProposalDefaultsSource Defaults,
    StreamSettings StreamSettings);
