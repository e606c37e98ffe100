using Registry.Core.State;

namespace Registry.Api.ReadPlane;

/// <summary>
/// The read plane's single source of truth: the latest published <see cref="HeadView"/>. The writer
/// publishes; readers load the reference and never wait on the writer.
/// </summary>
/// <remarks>Thread-safe: one writer, any number of readers.</remarks>
public sealed class RegistryView
{
    private readonly Action<RegistryState>? _publishing;
    private HeadView? _current;

    /// <summary>Creates the view; <paramref name="publishing"/> sees each state before readers do (and may refuse it by throwing).</summary>
    public RegistryView(Action<RegistryState>? publishing = null) => _publishing = publishing;

    /// <summary>True once recovery has published a state.</summary>
    public bool HasState => Volatile.Read(ref _current) is not null;

    /// <summary>The current HEAD. Throws before recovery has published one.</summary>
    public HeadView Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("The registry has not been recovered yet.");

    /// <summary>Publishes a new HEAD.</summary>
    public HeadView Publish(RegistryState state)
    {
        _publishing?.Invoke(state);
        var view = HeadView.From(state);
        Volatile.Write(ref _current, view);
        return view;
    }
}
