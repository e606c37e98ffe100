using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Registry.Api.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Registry.Api.Tests;

/// <summary>
/// The log line format RUNBOOK.md's <c>jq</c> and <c>grep</c> queries read, through Serilog and Microsoft.Extensions.Logging
/// as the service logs: one flat JSON object per line with <c>ts</c>, <c>level</c>, <c>msg</c>, <c>logger</c>, <c>event_id</c>,
/// <c>corr_id</c> and the message's properties.
/// </summary>
public sealed partial class FlatJsonFormatterTests
{
    [Fact]
    public void Line_IsOneFlatJsonObject_WithTheRunbookFieldsAndABareMessage()
    {
        var lines = Log(logger =>
        {
            using (Serilog.Context.LogContext.PushProperty("corr_id", "corr-7"))
            {
                logger.Log(LogLevel.Information, new EventId(10), "ready=1 service=svc-registry role=read-plane version={Version} hash={Hash}", 3L, "sha256:ab");
            }
        });

        var line = Assert.Single(lines);
        Assert.DoesNotContain('\n', line.TrimEnd('\n'));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Matches(Timestamp(), json.GetProperty("ts").GetString());
        Assert.Equal("info", json.GetProperty("level").GetString());
        Assert.Equal("ready=1 service=svc-registry role=read-plane version=3 hash=sha256:ab", json.GetProperty("msg").GetString());
        Assert.Equal("svc-registry", json.GetProperty("logger").GetString());
        Assert.Equal(10, json.GetProperty("event_id").GetInt32());
        Assert.Equal("corr-7", json.GetProperty("corr_id").GetString());
        Assert.Equal(3, json.GetProperty("Version").GetInt64());
        Assert.Equal("sha256:ab", json.GetProperty("Hash").GetString());
        Assert.All(json.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Object, p.Value.ValueKind));
    }

    [Fact]
    public void Levels_AreTheRunbookNames_AndExceptionsAreOneField()
    {
        var lines = Log(logger =>
        {
            logger.LogTrace("t");
            logger.LogDebug("d");
            logger.LogInformation("i");
            logger.LogWarning("w");
            logger.LogError(new InvalidOperationException("boom"), "e");
            logger.LogCritical("c");
        });

        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["trace", "debug", "info", "warn", "error", "fatal"], parsed.Select(j => j.GetProperty("level").GetString()));
        Assert.Contains("System.InvalidOperationException: boom", parsed[4].GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunbookJqQuery_SelectsTheErrorAndFatalLines_AndSkipsSystemdLines()
    {
        var lines = Log(logger =>
        {
            logger.LogInformation("shutdown_complete=1 service=svc-registry");
            logger.LogError("unhandled error corr_id={CorrId}", "c-1");
            logger.LogCritical("svc-registry cannot start: {Reason}", "invalid configuration");
        });
        var journal = "Started svc-registry.service - svc-registry.\n" + string.Concat(lines);

        // RUNBOOK.md section 5: journalctl -u svc-registry --since -1h -o cat | jq -cR 'fromjson? | select(.level == "error" or .level == "fatal")'
        var (exit, output) = await AdminTests.RunAsync("jq", ["-cR", "fromjson? | select(.level == \"error\" or .level == \"fatal\")"], journal);
        Assert.Equal(0, exit);
        var selected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("msg").GetString());
        Assert.Equal(["unhandled error corr_id=c-1", "svc-registry cannot start: invalid configuration"], selected);
    }

    private static List<string> Log(Action<Microsoft.Extensions.Logging.ILogger> write)
    {
        var sink = new FormattingSink();
        using (var serilog = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger())
        using (var factory = new SerilogLoggerFactory(serilog))
        {
            write(factory.CreateLogger("svc-registry"));
        }

        return sink.Lines;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Timestamp();

    private sealed class FormattingSink : ILogEventSink
    {
        private readonly FlatJsonFormatter _formatter = new();

        public List<string> Lines { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            _formatter.Format(logEvent, text);
            Lines.Add(text.ToString());
        }
    }
}
