using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>A proposal was committed as a new version.</summary>
public sealed record Committed(CommitRecord Record) : RegistryEvent
{
    /// <summary>
    /// The state this commit produces, computed when the commit was decided, so applying it does not
    /// hash the tree twice. Not serialised; only used when applied to the exact state it was decided on.
    /// </summary>
    internal (RegistryState From, Transition Result)? Precomputed { get; init; }
}
