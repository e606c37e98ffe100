namespace Registry.Testing;

/// <summary>Waiting on a condition that a process does not announce: polled, with a deadline.</summary>
internal static class Poll
{
    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="every"/> until it holds; past <paramref name="deadline"/>
    /// calls <paramref name="timedOut"/>, which throws what the caller reports.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, TimeSpan every, Action timedOut)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(timedOut);
        var until = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow >= until)
            {
                timedOut();
            }

            await Task.Delay(every);
        }
    }
}
