using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>C2SP tlog-tiles path encoding: the spec's example index, partial widths, entry bundles and refusals.</summary>
public sealed class TilePathTests
{
    [Theory]
    [InlineData("0/000", 0, 0L, 256)]
    [InlineData("1/x001/x234/067", 1, 1234067L, 256)]
    [InlineData("2/005.p/17", 2, 5L, 17)]
    [InlineData("entries/x001/000.p/255", -1, 1000L, 255)]
    [InlineData("63/999", 63, 999L, 256)]
    public void TryParse_SpecPaths_RoundTrip(string path, int level, long index, int width)
    {
        Assert.True(TilePath.TryParse(path, out var tile));
        Assert.Equal(new TilePath(level, index, width), tile);
        Assert.Equal(path, tile.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("00/000")]
    [InlineData("64/000")]
    [InlineData("0/00")]
    [InlineData("0/0000")]
    [InlineData("0/001/234")]
    [InlineData("0/x001")]
    [InlineData("0/000.p/0")]
    [InlineData("0/000.p/256")]
    [InlineData("0/000.p/07")]
    [InlineData("0/000.p")]
    [InlineData("0/x00a/000")]
    [InlineData("entries")]
    [InlineData("-1/000")]
    public void TryParse_NotATilePath_IsFalse(string path) => Assert.False(TilePath.TryParse(path, out _));
}
