using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Models;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry tail</c> (commits, through <see cref="RegistryClient.WatchAsync"/>) and
/// <c>ronctl tail --topic registry</c> (bus events: from the NDJSON bus socket when <c>--bus-sock</c> or
/// <c>RON_BUS_SOCK</c> names one, else synthesised from the commit stream).
/// </summary>
internal static class TailCommand
{
    public static Command CreateRegistryTail(CliEnvironment env, GlobalOptions global)
    {
        var (from, count) = (FromOption(), CountOption());
        var command = new Command("tail", "Follow commits as they happen (reconnects, resumes, never repeats or skips a version)") { from, count };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            await foreach (var commit in WatchAsync(context, context.Get(from), context.Get(count), cancel))
            {
                if (context.Json)
                {
                    context.WriteJsonLine(JsonViews.Of(commit));
                }
                else
                {
                    context.Env.Out.WriteLine($"v{commit.Version} {commit.Hash} {commit.CommittedAt} {string.Join("; ", commit.Changes.Select(JsonViews.Summary))}");
                }

                await context.Env.Out.FlushAsync(cancel);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateTopicTail(CliEnvironment env, GlobalOptions global)
    {
        var topic = new Option<string>("--topic") { Description = "Bus topic: registry, health, kernel, or all (only registry without a bus socket; --from applies to the stream only)", DefaultValueFactory = _ => "registry" };
        var busSock = new Option<string?>("--bus-sock") { Description = "The service's bus socket [env RON_BUS_SOCK]; without one, /registry/stream is followed" };
        var (from, count) = (FromOption(), CountOption());
        var command = new Command("tail", "Follow bus events (registry.updated after each commit)") { topic, busSock, from, count };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var wanted = context.Get(topic)!;
            var socket = context.Get(busSock) ?? context.Env.Variable("RON_BUS_SOCK");
            if (!string.IsNullOrEmpty(socket))
            {
                return await TailSocketAsync(context, context.Env.ResolvePath(socket), wanted, context.Get(count), cancel);
            }

            if (wanted != "registry")
            {
                throw CliException.Usage($"topic '{wanted}' is only on the bus socket: give --bus-sock or set RON_BUS_SOCK");
            }

            await foreach (var commit in WatchAsync(context, context.Get(from), context.Get(count), cancel))
            {
                var line = new JsonObject
                {
                    ["at"] = commit.CommittedAt.ToString(),
                    ["hash"] = commit.Hash.ToString(),
                    ["topic"] = "registry",
                    ["type"] = "registry.updated",
                    ["version"] = commit.Version,
                };
                Print(context, line);
                await context.Env.Out.FlushAsync(cancel);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<long?> FromOption() => new("--from") { Description = "Start after this version (default: HEAD now, i.e. new commits only)" };

    private static Option<int?> CountOption() => new("--count", "-n") { Description = "Exit after this many events" };

    private static async IAsyncEnumerable<CommitEvent> WatchAsync(CommandContext context, long? from, int? count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        var client = context.Client();
        var start = from ?? (await client.GetHeadAsync(cancel)).Version;
        var seen = 0;
        var options = new WatchOptions
        {
            OnReconnect = (attempt, reason) => context.Env.Error.WriteLine($"ronctl: reconnecting (attempt {attempt}): {reason.Message}"),
        };
        await foreach (var commit in client.WatchAsync(start, options, cancel))
        {
            yield return commit;
            if (count is { } limit && ++seen >= limit)
            {
                yield break;
            }
        }
    }

    private static async Task<int> TailSocketAsync(CommandContext context, string path, string topic, int? count, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
        }
        catch (SocketException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"bus socket '{path}': {ex.Message}");
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var seen = 0;
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            JsonObject? @event;
            try
            {
                @event = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            var eventTopic = @event?["topic"]?.GetValue<string>();
            if (@event is null || (topic != "all" && eventTopic != topic && eventTopic != "bus"))
            {
                continue;
            }

            Print(context, @event);
            await context.Env.Out.FlushAsync(cancel);
            if (eventTopic != "bus" && count is { } limit && ++seen >= limit)
            {
                return ExitCodes.Ok;
            }
        }

        throw new CliException(ExitCodes.Unreachable, $"bus socket '{path}' closed (the service stopped)");
    }

    private static void Print(CommandContext context, JsonObject @event)
    {
        if (context.Json)
        {
            context.WriteJsonLine(@event);
            return;
        }

        var parts = new List<string> { @event["at"]?.ToString() ?? "-", @event["type"]?.ToString() ?? "?" };
        foreach (var key in new[] { "version", "hash", "corr_id", "detail" })
        {
            if (@event[key] is { } value)
            {
                parts.Add($"{key}={Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }
        }

        context.Env.Out.WriteLine(string.Join(' ', parts));
    }
}
