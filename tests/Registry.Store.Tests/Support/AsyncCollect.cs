namespace Registry.Store.Tests.Support;

/// <summary>
/// Collects an async sequence (System.Linq.Async and .NET 10's System.Linq.AsyncEnumerable both define ToListAsync,
/// and FASTER's System.Interactive.Async dependency brings the former in, so the extension call is ambiguous).
/// </summary>
internal static class AsyncCollect
{
    public static async Task<List<T>> CollectAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
