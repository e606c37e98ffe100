namespace Registry.LoadTest;

/// <summary>Workloads 5 and 6 and the memory and old-version targets, on the large data set.</summary>
public static class LargeDataPhase
{
    /// <summary>Runs the phase.</summary>
    public static Task RunAsync(RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report.Notes.Add("large-data workloads (resume, cold start, restore) are not built yet");
        return Task.CompletedTask;
    }
}
