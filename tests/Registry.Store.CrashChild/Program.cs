using System.Globalization;
using Registry.Core.Machine;
using Registry.Store;
using Registry.Store.Tests.Support;

// Usage: Registry.Store.CrashChild <data-dir> <seed>
// Opens the store (recovering whatever a previous SIGKILL left), prints "READY <version> <hash>", then writes
// forever: batches of full writes (propose, approve, commit), sometimes one event per append so a kill can land
// between them, checkpoints every few commits in the background. After each append returns (durable) it prints
// "ACK <version> <hash>" for every commit in it. The parent kills it with SIGKILL at a random moment.
var dataDir = args[0];
var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
using var builder0 = new ChainBuilder();
await using var store = await RegistryStore.OpenAsync(
    new RegistryStoreOptions { DataDirectory = dataDir, CheckpointEveryCommits = 7, CheckpointInterval = TimeSpan.FromMilliseconds(300), CheckpointsKept = 2 },
    builder0.Genesis);
using var builder = new ChainBuilder(store.Recovered);
Console.WriteLine($"READY {store.Recovered.Version} {store.Recovered.HeadHash}");
var nextId = checked((int)store.Recovered.Version * 4) + 1;
while (true)
{
    var events = new List<RegistryEvent>();
    var writes = random.Next(1, 5);
    for (var i = 0; i < writes; i++)
    {
        var count = random.Next(1, 4);
        events.AddRange(builder.Write(nextId, count, attrBytes: random.Next(0, 600)));
        nextId += 4;
    }

    if (random.Next(4) == 0)
    {
        foreach (var single in events)
        {
            await store.AppendAsync([single]);
            Acknowledge([single]);
        }
    }
    else
    {
        await store.AppendAsync(events);
        Acknowledge(events);
    }

    store.OnPublished(builder.State);
}

static void Acknowledge(IEnumerable<RegistryEvent> events)
{
    foreach (var committed in events.OfType<Committed>())
    {
        Console.WriteLine($"ACK {committed.Record.Version} {committed.Record.Hash}");
    }
}
