namespace Registry.Store.Tests.Support;

/// <summary>Damages files on disk the way bit rot, a torn write or a careless operator would.</summary>
internal static class FileSurgery
{
    /// <summary>Inverts every bit of the byte at <paramref name="offset"/>.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        Assert.True(value >= 0, $"offset {offset} is past the end of {path}");
        stream.Position = offset;
        stream.WriteByte((byte)~value);
    }

    /// <summary>Cuts <paramref name="path"/> to <paramref name="length"/> bytes.</summary>
    public static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        Assert.True(length < stream.Length, $"{path} is already {stream.Length} bytes");
        stream.SetLength(length);
    }
}
