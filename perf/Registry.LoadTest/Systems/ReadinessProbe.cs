using System.Diagnostics;
using System.Net;

namespace Registry.LoadTest.Systems;

/// <summary>Polls a readiness URL every 2 ms until it answers 200 (and its body passes a check).</summary>
public static class ReadinessProbe
{
    private static readonly HttpClient s_client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Milliseconds from <paramref name="startedAt"/> until <paramref name="url"/> answered ready.</summary>
    /// <exception cref="TimeoutException">Not ready in <paramref name="timeout"/>, or the process died.</exception>
    public static async Task<double> WaitAsync(Uri url, long startedAt, TimeSpan timeout, Func<string, bool>? bodyOk, Func<bool> exited, string what)
    {
        while (true)
        {
            try
            {
                using var response = await s_client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK && (bodyOk is null || bodyOk(await response.Content.ReadAsStringAsync())))
                {
                    return Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A probe timed out while the server was busy starting.
            }

            if (exited())
            {
                throw new TimeoutException($"{what} exited before it was ready");
            }

            if (Stopwatch.GetElapsedTime(startedAt) > timeout)
            {
                throw new TimeoutException($"{what} was not ready after {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(2);
        }
    }
}
