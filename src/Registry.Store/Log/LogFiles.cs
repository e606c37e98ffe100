namespace Registry.Store.Log;

/// <summary>Finds a log's segment files (<c>base.N</c>) in a directory.</summary>
internal static class LogFiles
{
    /// <summary>The segment files of <paramref name="baseName"/> in <paramref name="directory"/>, ordered by segment number.</summary>
    public static IReadOnlyList<FileInfo> ListSegments(string directory, string baseName)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return new DirectoryInfo(directory)
            .EnumerateFiles(baseName + ".*")
            .Select(f => (File: f, Ok: long.TryParse(f.Name.AsSpan(baseName.Length + 1), out var n), Number: n))
            .Where(x => x.Ok && x.Number >= 0)
            .OrderBy(x => x.Number)
            .Select(x => x.File)
            .ToArray();
    }
}
