using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry log [--from N] [--limit N]</c>.</summary>
internal static class LogCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var from = new Option<long>("--from") { Description = "First version", DefaultValueFactory = _ => 1 };
        var limit = new Option<int>("--limit") { Description = "How many records (1-1000)", DefaultValueFactory = _ => 100 };
        var command = new Command("log", "Show commit records in order") { from, limit };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var (first, count) = (context.Get(from), context.Get(limit));
            if (first < 1 || count is < 1 or > 1000)
            {
                throw CliException.Usage("--from must be >= 1 and --limit 1 to 1000");
            }

            var records = await context.Client().GetLogAsync(first, count, cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonArray([.. records.Select(JsonViews.Of)]));
                return ExitCodes.Ok;
            }

            var table = CommandContext.Table("version", "committed_at", "hash", "approvals", "changes");
            foreach (var record in records)
            {
                CommandContext.Row(
                    table,
                    record.Version.ToString(CultureInfo.InvariantCulture),
                    record.CommittedAt.ToString(),
                    record.Hash.ToString(),
                    string.Join(", ", record.Approvals.Select(a => a.SignerId)),
                    string.Join("; ", record.Proposal.Changes.Select(JsonViews.Summary)));
            }

            context.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
