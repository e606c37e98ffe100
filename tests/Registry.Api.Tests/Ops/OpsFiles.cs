using System.Text.Json;
using System.Text.RegularExpressions;

namespace Registry.Api.Tests.Ops;

/// <summary>Reads the ops/ files the checks share: alert rules, their unit tests, the dashboard.</summary>
internal static partial class OpsFiles
{
    public static string AlertsPath => OpsTool.RepoFile("ops", "prometheus", "alerts.yml");

    public static string AlertTestsPath => OpsTool.RepoFile("ops", "prometheus", "alerts.test.yml");

    public static string DashboardPath => OpsTool.RepoFile("ops", "grafana", "svc-registry.json");

    /// <summary>Each alert of alerts.yml with its expression (block scalars joined into one line).</summary>
    public static IReadOnlyList<(string Alert, string Expr)> Alerts()
    {
        var lines = File.ReadAllLines(AlertsPath);
        var alerts = new List<(string, string)>();
        string? alert = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (AlertLine().Match(lines[i]) is { Success: true } named)
            {
                alert = named.Groups[1].Value;
                continue;
            }

            if (ExprLine().Match(lines[i]) is not { Success: true } expr || alert is null)
            {
                continue;
            }

            var indent = expr.Groups["indent"].Value.Length;
            var inline = expr.Groups["value"].Value.Trim();
            var text = new List<string>();
            if (inline is "|" or ">" or "|-" or ">-")
            {
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].TakeWhile(c => c == ' ').Count() > indent))
                {
                    text.Add(lines[++i].Trim());
                }
            }
            else
            {
                text.Add(inline);
            }

            alerts.Add((alert, string.Join(' ', text).Trim()));
            alert = null;
        }

        return alerts;
    }

    /// <summary>Every query of the dashboard, with Grafana's variables replaced so PromQL tools accept it.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(DashboardPath));
        var queries = new List<(string, string)>();
        foreach (var panel in Panels(document.RootElement))
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!
                    .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
                    .Replace("$__range", "1h", StringComparison.Ordinal)
                    .Replace("$instance", ".*", StringComparison.Ordinal);
                queries.Add((panel.GetProperty("title").GetString()!, expr));
            }
        }

        return queries;
    }

    /// <summary>All panels, including those nested in collapsed rows.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"^\s*-\s*alert:\s*(\S+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^(?<indent>\s*)expr:\s*(?<value>.*)$")]
    private static partial Regex ExprLine();
}
