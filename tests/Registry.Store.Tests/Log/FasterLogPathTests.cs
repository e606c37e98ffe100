using System.Text;
using FASTER.core;
using Registry.Store.Faults;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Log;

/// <summary>
/// Every FasterLog path the project uses, run against the real package on a real disk: create, enqueue, strong commit
/// with a cookie, recover, scan (synchronous and async-enumerable), cut the tail through the commit record, truncate the
/// head. The regression check for Microsoft.FASTER.Core's dependencies: System.Interactive.Async now resolves inside
/// FASTER 2.6.5's declared range (&gt;= 6.0.1; it used to be pinned to 4.0.0 below it, issue 13), and these paths
/// must keep working whatever version restore picks.
/// </summary>
public sealed class FasterLogPathTests : IDisposable
{
    private readonly TempDirectory _dir = new("fasterlog-paths");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FasterAssembly_References_NeitherInteractiveNorLinqAsync()
    {
        // The net7.0 build of FASTER.core that a net10.0 project loads binds only BCL assemblies and logging
        // abstractions; the async-enumerable packages are never loaded through it.
        var names = typeof(FasterLog).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.Contains("System.Runtime", names);
        Assert.DoesNotContain("System.Interactive.Async", names);
        Assert.DoesNotContain("System.Linq.Async", names);
    }

    [Fact]
    public void Restore_SystemInteractiveAsync_IsInsideFastersDeclaredRange()
    {
        // The test host's deps.json lists every package restore resolved for this project (which sees FASTER through
        // Registry.Store); no pin may take System.Interactive.Async below FASTER's ">= 6.0.1".
        var depsFile = Path.Combine(AppContext.BaseDirectory, typeof(FasterLogPathTests).Assembly.GetName().Name + ".deps.json");
        using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("Microsoft.FASTER.Core/2.6.5", libraries);
        var interactive = Assert.Single(libraries, name => name.StartsWith("System.Interactive.Async/", StringComparison.Ordinal));
        Assert.True(Version.Parse(interactive["System.Interactive.Async/".Length..]) >= new Version(6, 0, 1), interactive);
    }

    [Fact]
    public async Task CreateEnqueueCommit_ThenRecover_ScansEveryEntryAndCookie()
    {
        var written = Enumerable.Range(0, 300).Select(i => Encoding.UTF8.GetBytes($"entry-{i}-" + new string('x', i % 97))).ToArray();
        long tail;
        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            var addresses = written.Select(log.Enqueue).ToArray();
            Assert.True(addresses.Zip(addresses.Skip(1)).All(p => p.First < p.Second));

            Assert.True(log.CommitStrongly(out tail, out var commitNum, spinWait: false, cookie: [1, 2, 3]));
            await log.WaitForCommitAsync(tail, commitNum);
            Assert.Equal(tail, log.CommittedUntilAddress);
            log.Dispose();
            device.Dispose();
        }

        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            log.Recover();
            Assert.Equal(tail, log.CommittedUntilAddress);
            Assert.Equal([1, 2, 3], log.RecoveredCookie);
            Assert.Equal(written, ScanAll(log, log.BeginAddress, tail));
            log.Dispose();
            device.Dispose();
        }
    }

    [Fact]
    public async Task AsyncEnumerableScan_ReturnsCommittedEntries()
    {
        using var commits = OpenCommits();
        var (log, device) = Create(commits);
        for (var i = 0; i < 50; i++)
        {
            await log.EnqueueAsync(new[] { (byte)i, (byte)(i * 3) });
        }

        await log.CommitAsync();
        using var iterator = log.Scan(log.BeginAddress, log.CommittedUntilAddress);
        var seen = new List<byte[]>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var (entry, length, _, next) in iterator.GetAsyncEnumerable(cts.Token))
        {
            seen.Add(entry[..length]);
            if (next >= log.CommittedUntilAddress)
            {
                break;
            }
        }

        Assert.Equal(50, seen.Count);
        Assert.Equal([49, 147], seen[^1]);
        log.Dispose();
        device.Dispose();
    }

    [Fact]
    public async Task CommitRecordWithEarlierTail_RecoversToIt_AndAppendsContinueThere()
    {
        long cut;
        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            var addresses = Enumerable.Range(0, 20).Select(i => log.Enqueue(new[] { (byte)i })).ToArray();
            await log.CommitAsync();
            cut = addresses[12];
            var info = new FasterLogRecoveryInfo { BeginAddress = log.BeginAddress, UntilAddress = cut, CommitNum = 1000 };
            log.Dispose();
            device.Dispose();
            commits.WriteRecord(info.CommitNum, info.ToByteArray());
        }

        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            log.Recover();
            Assert.Equal(cut, log.CommittedUntilAddress);
            Assert.Equal(Enumerable.Range(0, 12).Select(i => new[] { (byte)i }), ScanAll(log, log.BeginAddress, cut));
            log.Enqueue(new byte[] { 99 });
            await log.CommitAsync();
            Assert.Equal(
                Enumerable.Range(0, 12).Select(i => new[] { (byte)i }).Append([99]),
                ScanAll(log, log.BeginAddress, log.CommittedUntilAddress));
            log.Dispose();
            device.Dispose();
        }
    }

    [Fact]
    public async Task TruncateUntil_MovesBeginAddress_AcrossRecovery()
    {
        long truncatedAt;
        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            var addresses = Enumerable.Range(0, 10).Select(i => log.Enqueue(new[] { (byte)i })).ToArray();
            await log.CommitAsync();
            truncatedAt = addresses[4];
            log.TruncateUntil(truncatedAt);
            await log.CommitAsync();
            log.Dispose();
            device.Dispose();
        }

        using (var commits = OpenCommits())
        {
            var (log, device) = Create(commits);
            log.Recover();
            Assert.Equal(truncatedAt, log.BeginAddress);
            Assert.Equal(Enumerable.Range(4, 6).Select(i => new[] { (byte)i }), ScanAll(log, log.BeginAddress, log.CommittedUntilAddress));
            log.Dispose();
            device.Dispose();
        }
    }

    private FileLogCommitManager OpenCommits() =>
        FileLogCommitManager.Open(_dir.Combine("log.commit"), new StorageFaultInjector(), create: true);

    private (FasterLog Log, IDevice Device) Create(FileLogCommitManager commits)
    {
        // The device the project runs FasterLog on (FasterEventLog): synchronous O_SYNC writes, one file per segment.
        var device = new SyncFileDevice(_dir.Combine("events.log"), readOnly: false);
        var log = new FasterLog(new FasterLogSettings
        {
            LogDevice = device,
            LogCommitManager = commits,
            LogChecksum = LogChecksumType.PerEntry,
            PageSizeBits = 12,
            MemorySizeBits = 14,
            SegmentSizeBits = 20,
            TryRecoverLatest = false,
        });
        return (log, device);
    }

    private static List<byte[]> ScanAll(FasterLog log, long from, long until)
    {
        var result = new List<byte[]>();
        using var iterator = log.Scan(from, until);
        while (iterator.GetNext(out var entry, out var length, out _, out _))
        {
            result.Add(entry[..length]);
        }

        return result;
    }
}
