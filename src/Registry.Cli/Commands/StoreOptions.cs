using System.CommandLine;

namespace Registry.Cli.Commands;

/// <summary>The trust options every offline data-directory command takes.</summary>
internal sealed class StoreOptions
{
    public Option<string?> TrustRoots { get; } = new("--trust-roots") { Description = "Trust-roots file {registry, signer_set} of the registry" };

    public Option<string?> Pin { get; } = new("--trust-roots-digest") { Description = "Refuse trust roots whose canonical digest is not this" };

    public Option<bool> Dev { get; } = new("--dev") { Description = "The registry is a dev-mode one (public 2-of-3 dev signer set)" };

    public Option<string?> Registry { get; } = new("--registry") { Description = "Registry id for --dev (default ron-dev)" };

    public void AddTo(Command command)
    {
        command.Options.Add(TrustRoots);
        command.Options.Add(Pin);
        command.Options.Add(Dev);
        command.Options.Add(Registry);
    }
}
