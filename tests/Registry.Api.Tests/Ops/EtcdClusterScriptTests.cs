namespace Registry.Api.Tests.Ops;

/// <summary>
/// ops/etcd-cluster.sh, the 3-member loopback cluster of the HA tests and RUNBOOK.md section 6.10, run with exactly the
/// documented commands (<c>&lt;dir&gt;</c> mapped to a temporary directory): start answers only once all three members
/// are healthy, status tells a lost member, a restarted member rejoins, stop ends every member.
/// </summary>
public sealed class EtcdClusterScriptTests
{
    public const string Start = "ops/etcd-cluster.sh start <dir>";
    public const string Status = "ops/etcd-cluster.sh status <dir>";
    public const string KillMember = "ops/etcd-cluster.sh kill-member <dir> 2";
    public const string StartMember = "ops/etcd-cluster.sh start-member <dir> 2";
    public const string Stop = "ops/etcd-cluster.sh stop <dir>";

    [Fact]
    public async Task Script_StartStatusLoseAMemberRestartStop_AsTheRunbookSays()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("svcr-etcd-").FullName, "cluster");
        try
        {
            var (exit, stdout, stderr) = await RunAsync(Start, dir);
            Assert.True(exit == 0, stdout + stderr);
            var endpoints = stdout.Trim().Split(',');
            Assert.Equal(3, endpoints.Length);
            Assert.All(endpoints, e => Assert.StartsWith("http://127.0.0.1:", e, StringComparison.Ordinal));
            Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "endpoints")).Trim());

            (exit, stdout, stderr) = await RunAsync(Status, dir);
            Assert.True(exit == 0, stdout + stderr);
            Assert.Equal(3, stdout.Split('\n').Count(l => l.EndsWith(" healthy", StringComparison.Ordinal)));

            (exit, stdout, stderr) = await RunAsync(KillMember, dir);
            Assert.True(exit == 0, stdout + stderr);
            (exit, stdout, _) = await RunAsync(Status, dir);
            Assert.Equal(1, exit);
            Assert.Contains("m2 pid=- client=" + endpoints[1] + " down", stdout, StringComparison.Ordinal);

            (exit, stdout, stderr) = await RunAsync(StartMember, dir);
            Assert.True(exit == 0, stdout + stderr);

            // The restarted member reports healthy once it has rejoined; status is polled, bounded by 30 s.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                (exit, stdout, _) = await RunAsync(Status, dir);
            }
            while (exit != 0 && DateTime.UtcNow < deadline);
            Assert.True(exit == 0, stdout);

            (exit, stdout, stderr) = await RunAsync(Stop, dir);
            Assert.True(exit == 0, stdout + stderr);
            (exit, stdout, _) = await RunAsync(Status, dir);
            Assert.Equal(1, exit);
            Assert.Equal(3, stdout.Split('\n').Count(l => l.EndsWith(" down", StringComparison.Ordinal)));
        }
        finally
        {
            await RunAsync(Stop, dir);
        }
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string command, string dir)
    {
        var words = command.Replace("<dir>", dir, StringComparison.Ordinal).Split(' ');
        return OpsTool.RunAsync("bash", [OpsTool.RepoFile(words[0]), .. words[1..]], timeout: TimeSpan.FromSeconds(60));
    }
}
