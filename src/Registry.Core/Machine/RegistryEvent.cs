namespace Registry.Core.Machine;

/// <summary>
/// One state change, as appended to the event log. Events are facts: applying the same events to the
/// same genesis always gives the same state, HEAD hash and state root.
/// </summary>
public abstract record RegistryEvent;
