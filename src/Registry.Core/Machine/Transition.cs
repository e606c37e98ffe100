using System.Collections.Immutable;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Transparency;

namespace Registry.Core.Machine;

/// <summary>
/// The effect of one proposal's changes on a state: the new tree, the signer set after it, and the
/// region reference counts and the log key in force after it. Computed by <see cref="Apply"/>, which also enforces the
/// data-model rules that span descriptors (references must resolve; one set_signers per proposal, version + 1; one
/// set_log_key per proposal, named with the registry id, not the key already in force).
/// </summary>
internal sealed record Transition(StateTree Tree, SignerSet SignerSet, ImmutableDictionary<string, int> RegionRefs, SignerSet? NewSignerSet, NoteVerifierKey? LogKey)
{
    public static Transition? Apply(RegistryState state, ImmutableArray<Change> changes, out Rejection? rejection)
    {
        var tree = state.Descriptors;
        var refs = state.RegionRefs.ToBuilder();
        var referenced = new Dictionary<string, string>(StringComparer.Ordinal);
        var removedRegions = new HashSet<string>(StringComparer.Ordinal);
        SignerSet? newSet = null;
        NoteVerifierKey? newLogKey = null;
        rejection = null;

        foreach (var change in changes)
        {
            switch (change)
            {
                case PutChange put:
                    var descriptor = put.Descriptor;
                    if (tree.TryGet(descriptor.TreeKey, out var previous))
                    {
                        Release(refs, previous, removedRegions, replacementIsRegion: descriptor.Kind == DescriptorKind.Region);
                    }

                    tree = tree.Put(descriptor);
                    if (descriptor.Region is { } region)
                    {
                        refs[region] = refs.GetValueOrDefault(region) + 1;
                        referenced[region] = descriptor.Id;
                    }

                    break;
                case DeleteChange delete:
                    if (!tree.TryGet(delete.Id, out var existing))
                    {
                        rejection = new Rejection(RegistryErrorCode.InvalidDescriptor, $"Cannot delete '{delete.Id}': no such descriptor.");
                        return null;
                    }

                    Release(refs, existing, removedRegions, replacementIsRegion: false);
                    tree = tree.Remove(existing.TreeKey);
                    break;
                case SetSignersChange setSigners:
                    if (newSet is not null)
                    {
                        rejection = new Rejection(RegistryErrorCode.InvalidDescriptor, "A proposal may hold at most one set_signers change.");
                        return null;
                    }

                    if (setSigners.SignerSet.Version != state.SignerSet.Version + 1)
                    {
                        rejection = new Rejection(
                            RegistryErrorCode.InvalidDescriptor,
                            $"set_signers must carry version {state.SignerSet.Version + 1} (the current set is version {state.SignerSet.Version}).");
                        return null;
                    }

                    newSet = setSigners.SignerSet;
                    break;
                case SetLogKeyChange setLogKey:
                    if (LogKeyRejection(state, setLogKey.LogKey, newLogKey) is { } refused)
                    {
                        rejection = refused;
                        return null;
                    }

                    newLogKey = setLogKey.LogKey;
                    break;
            }
        }

        // Only the resulting state counts (SPEC §1: references must resolve in the resulting state): every
        // region this proposal newly references or removes must exist as a region if anything still names it.
        // A reference added and withdrawn again within the proposal is fine.
        foreach (var region in referenced.Keys.Concat(removedRegions))
        {
            if (refs.GetValueOrDefault(region) > 0 && !IsRegion(tree, region))
            {
                var detail = referenced.TryGetValue(region, out var by) && tree.TryGet(by, out var referrer) && referrer.Region == region
                    ? $"'{by}' references region '{region}', which does not exist."
                    : $"Region '{region}' is still referenced by {refs[region]} descriptor(s).";
                rejection = new Rejection(RegistryErrorCode.DanglingReference, detail);
                return null;
            }
        }

        return new Transition(tree, newSet ?? state.SignerSet, refs.ToImmutable(), newSet, newLogKey ?? state.LogKey);
    }

    private static Rejection? LogKeyRejection(RegistryState state, NoteVerifierKey key, NoteVerifierKey? earlier)
    {
        if (earlier is not null)
        {
            return new Rejection(RegistryErrorCode.InvalidDescriptor, "A proposal may hold at most one set_log_key change.");
        }

        if (key.Name != state.RegistryId)
        {
            return new Rejection(
                RegistryErrorCode.InvalidDescriptor,
                $"set_log_key: the key is named '{key.Name}', but a log key is named with the checkpoint origin, the registry id '{state.RegistryId}'.");
        }

        if (state.LogKey is { } current && current.ToString() == key.ToString())
        {
            return new Rejection(RegistryErrorCode.InvalidDescriptor, $"set_log_key: {key} is already the log key in force.");
        }

        return null;
    }

    private static void Release(ImmutableDictionary<string, int>.Builder refs, Descriptor previous, HashSet<string> removedRegions, bool replacementIsRegion)
    {
        if (previous.Region is { } region)
        {
            var count = refs.GetValueOrDefault(region) - 1;
            if (count > 0)
            {
                refs[region] = count;
            }
            else
            {
                refs.Remove(region);
            }
        }

        if (previous.Kind == DescriptorKind.Region && !replacementIsRegion)
        {
            removedRegions.Add(previous.Id);
        }
    }

    private static bool IsRegion(StateTree tree, string id) => tree.TryGet(id, out var d) && d.Kind == DescriptorKind.Region;
}
