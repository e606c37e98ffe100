using System.Globalization;

namespace Registry.Cli.Infrastructure;

/// <summary>Durations on the command line: <c>90s</c>, <c>15m</c>, <c>24h</c>, <c>7d</c> (a bare number is seconds).</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(unit) && text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw CliException.Usage($"{option} '{text}' is not a duration (e.g. 90s, 15m, 24h, 7d)");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw CliException.Usage($"{option} '{text}': unit must be s, m, h or d"),
        };
    }
}
