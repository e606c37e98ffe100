using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.LoadTest.Results;

/// <summary>Writes perf/results/&lt;date&gt;.md and .json (same day: overwritten) and perf/results/latest.md.</summary>
public static class ReportFiles
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes the files; returns the markdown path. A smoke run writes only under <c>smoke-</c> names.</summary>
    public static string Write(RunReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var stem = report.Mode == "full" ? report.Date : $"smoke-{report.Date}";
        var markdown = MarkdownReport.Render(report);
        var md = Path.Combine(directory, stem + ".md");
        File.WriteAllText(md, markdown);
        File.WriteAllText(Path.Combine(directory, stem + ".json"), JsonSerializer.Serialize(report, s_json) + "\n");
        if (report.Mode == "full")
        {
            File.WriteAllText(Path.Combine(directory, "latest.md"), markdown);
        }

        return md;
    }
}
