namespace Registry.LoadTest.Systems;

/// <summary>taskset CPU lists ("0", "2-3", "0,2-3").</summary>
public static class CpuList
{
    /// <summary>How many CPUs the list names (1 when null).</summary>
    public static int Count(string? list) => list is null ? 1 : list.Split(',').Sum(part =>
    {
        var range = part.Split('-');
        return range.Length == 2 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture) + 1 : 1;
    });
}
