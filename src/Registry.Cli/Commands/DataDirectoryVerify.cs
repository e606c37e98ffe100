using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Store;
using Registry.Store.Maintenance;
using Spectre.Console;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl verify --data-dir DIR</c>: Registry.Store's offline verifier (every log entry's checksums, every event
/// replayed from genesis with every commit and approval signature re-verified, every checkpoint compared with the
/// chain). The service must be stopped (the directory's lock is taken). Nothing is changed.
/// </summary>
internal static class DataDirectoryVerify
{
    public static async Task<int> RunAsync(CommandContext context, string dataDirectory, Func<string, Core.Model.GenesisRecord> genesisFor, CancellationToken cancel)
    {
        var path = context.Env.ResolvePath(dataDirectory);
        if (!Directory.Exists(path))
        {
            throw CliException.Usage($"data directory '{path}' does not exist");
        }

        var genesis = genesisFor(path);
        VerificationReport report;
        try
        {
            report = await WithSpinnerAsync(context, "verifying " + path, () => StoreVerifier.VerifyAsync(path, genesis, cancel));
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Failure, $"{ex.Message} Stop svc-registry first, or verify the live server with 'ronctl verify'.", ex);
        }

        var firstBad = FirstBadVersion(report);
        if (context.Json)
        {
            context.WriteJson(new JsonObject
            {
                ["ok"] = report.Ok,
                ["data_dir"] = report.DataDirectory,
                ["entries"] = report.Entries,
                ["proposals"] = report.Proposals,
                ["approvals"] = report.Approvals,
                ["commits"] = report.Commits,
                ["head_version"] = report.HeadVersion,
                ["head_hash"] = report.HeadHash,
                ["state_root"] = report.StateRoot,
                ["first_bad_version"] = firstBad,
                ["checkpoints"] = new JsonArray([.. report.Checkpoints.Select(c => (JsonNode)new JsonObject { ["file"] = c.Location, ["version"] = c.Version, ["problem"] = c.Problem })]),
                ["problems"] = new JsonArray([.. report.Problems.Select(p => (JsonNode)p)]),
            });
        }
        else
        {
            context.Env.Out.WriteLine(report.ToString());
        }

        return report.Ok
            ? ExitCodes.Ok
            : throw new CliException(ExitCodes.VerificationFailed, $"verification failed at version {firstBad}: {report.Problems[0]}");
    }

    /// <summary>
    /// The first version not proven good: a log problem stops the replay, so the version after the last verified
    /// one; otherwise the oldest damaged checkpoint's version (or the version after HEAD when it cannot be told).
    /// </summary>
    internal static long? FirstBadVersion(VerificationReport report)
    {
        if (report.Ok)
        {
            return null;
        }

        var logProblem = report.Problems.Any(p => !p.StartsWith("checkpoint ", StringComparison.Ordinal));
        var badCheckpoints = report.Checkpoints.Where(c => c.Problem is not null && c.Version >= 0).Select(c => c.Version).ToList();
        return logProblem || badCheckpoints.Count == 0 ? report.HeadVersion + 1 : badCheckpoints.Min();
    }

    /// <summary>Runs long store work under a spinner on a terminal (the store reports no finer progress).</summary>
    internal static async Task<T> WithSpinnerAsync<T>(CommandContext context, string what, Func<Task<T>> work)
    {
        if (context.Json || !context.Env.Interactive)
        {
            return await work();
        }

        return await context.Env.ErrorConsole.Progress().AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(what)).IsIndeterminate();
                var result = await work();
                task.StopTask();
                return result;
            });
    }
}
