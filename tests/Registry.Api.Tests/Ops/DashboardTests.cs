using System.Text;
using System.Text.Json;

namespace Registry.Api.Tests.Ops;

/// <summary>ops/grafana/svc-registry.json: a well-formed dashboard whose queries are valid PromQL and show every alerted metric.</summary>
public sealed class DashboardTests
{
    [Fact]
    public void Dashboard_PanelsHaveUniqueIds_AndDoNotOverlap()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(OpsFiles.DashboardPath));
        var root = document.RootElement;
        Assert.Equal("svc-registry", root.GetProperty("uid").GetString());
        var panels = OpsFiles.Panels(root).ToList();
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var cells = new HashSet<(int X, int Y)>();
        foreach (var panel in panels)
        {
            var grid = panel.GetProperty("gridPos");
            int x = grid.GetProperty("x").GetInt32(), y = grid.GetProperty("y").GetInt32(), w = grid.GetProperty("w").GetInt32(), h = grid.GetProperty("h").GetInt32();
            Assert.True(x >= 0 && w > 0 && x + w <= 24, $"panel '{panel.GetProperty("title")}' is outside the 24-column grid");
            for (var dx = 0; dx < w; dx++)
            {
                for (var dy = 0; dy < h; dy++)
                {
                    Assert.True(cells.Add((x + dx, y + dy)), $"panel '{panel.GetProperty("title")}' overlaps another at ({x + dx},{y + dy})");
                }
            }
        }
    }

    [Fact]
    public async Task Dashboard_EveryQuery_IsValidPromQl()
    {
        // promtool has no expression checker of its own: each query becomes a recording rule.
        var queries = OpsFiles.DashboardQueries();
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries");
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < queries.Count; i++)
        {
            rules.Append("      - record: dashboard:query_").Append(i).Append("\n        expr: ")
                .Append(JsonSerializer.Serialize(queries[i].Expr)).Append('\n');
        }

        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-dashboard-").FullName, "dashboard-queries.yml");
        await File.WriteAllTextAsync(path, rules.ToString());
        var (exit, stdout, stderr) = await OpsTool.RunAsync("promtool", ["check", "rules", path]);
        Assert.True(exit == 0, stdout + stderr);
    }

    [Fact]
    public void Dashboard_ShowsEveryMetricTheAlertsWatch()
    {
        var shown = OpsFiles.DashboardQueries().SelectMany(q => PromQl.MetricNames(q.Expr)).ToHashSet();
        var alerted = OpsFiles.Alerts().SelectMany(a => PromQl.MetricNames(a.Expr)).ToHashSet();
        Assert.Empty(alerted.Except(shown));
    }
}
