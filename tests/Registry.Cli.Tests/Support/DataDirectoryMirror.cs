using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Cli.Tests.Support;

/// <summary>
/// Writes a live registry's chain into a data directory through Registry.Store (each commit record as the events
/// the service's writer appends: proposal accepted, each approval, committed). svc-registry does not persist yet
/// (its StorageFactory still refuses --data-dir), so this stands in for its own data directory in the offline
/// verify/backup/restore tests; once it does, those tests should use the service's directory directly.
/// </summary>
internal static class DataDirectoryMirror
{
    public static async Task WriteAsync(string directory, GenesisRecord genesis, IEnumerable<CommitRecord> records)
    {
        await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = directory }, genesis);
        var state = RegistryState.FromGenesis(genesis);
        foreach (var record in records)
        {
            RegistryEvent[] events =
            [
                new ProposalAccepted(record.Proposal, record.StateRoot, record.CommittedAt),
                .. record.Approvals.Select(a => new ApprovalAccepted(record.ProposalId, a)),
                new Committed(record),
            ];
            await store.AppendAsync(events);
            foreach (var @event in events)
            {
                state = state.Apply(@event);
            }

            store.OnPublished(state);
        }
    }

    /// <summary>Flips one byte of the log segment holding <paramref name="marker"/>, inside its first (or last) occurrence.</summary>
    public static void Tamper(string directory, string marker, bool last = false)
    {
        var segment = Directory.GetFiles(Path.Combine(directory, "log")).Where(f => !f.EndsWith(".commit", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First(f => File.ReadAllBytes(f).Length > 0 && IndexOf(File.ReadAllBytes(f), marker) >= 0);
        var bytes = File.ReadAllBytes(segment);
        var at = (last ? LastIndexOf(bytes, marker) : IndexOf(bytes, marker)) + marker.Length - 1;
        bytes[at] ^= 0x01;
        File.WriteAllBytes(segment, bytes);
    }

    private static int IndexOf(byte[] bytes, string marker) => bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(marker));

    private static int LastIndexOf(byte[] bytes, string marker) => bytes.AsSpan().LastIndexOf(System.Text.Encoding.UTF8.GetBytes(marker));
}
