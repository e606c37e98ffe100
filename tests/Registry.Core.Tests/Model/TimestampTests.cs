using Registry.Core.Model;

namespace Registry.Core.Tests.Model;

public sealed class TimestampTests
{
    [Theory]
    [InlineData("2030-01-02T03:04:05Z", "2030-01-02T03:04:05.000Z")]
    [InlineData("2030-01-02T03:04:05.5Z", "2030-01-02T03:04:05.500Z")]
    [InlineData("2030-01-02T03:04:05.123Z", "2030-01-02T03:04:05.123Z")]
    [InlineData("2030-01-02T03:04:05.1239Z", "2030-01-02T03:04:05.123Z")]
    [InlineData("2030-01-02t03:04:05z", "2030-01-02T03:04:05.000Z")]
    [InlineData("2030-01-02T03:04:05+01:00", "2030-01-02T02:04:05.000Z")]
    [InlineData("2030-01-02T00:30:00-05:30", "2030-01-02T06:00:00.000Z")]
    [InlineData("2030-01-02T03:04:05-00:00", "2030-01-02T03:04:05.000Z")]
    public void TryParse_Rfc3339_NormalisesToUtcMilliseconds(string text, string canonical)
    {
        Assert.True(Timestamp.TryParse(text, out var t));
        Assert.Equal(canonical, t.ToString());
        Assert.True(Timestamp.TryParse(canonical, out var again));
        Assert.Equal(t, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2030-01-02")]
    [InlineData("2030-01-02T03:04:05")]
    [InlineData("2030-01-02T03:04:05.5")]
    [InlineData("2030-01-02 03:04:05Z")]
    [InlineData("2030-01-02T03:04Z")]
    [InlineData("2030-02-30T00:00:00Z")]
    [InlineData("2030-01-02T24:00:00Z")]
    [InlineData("2030-01-02T03:04:05+0100")]
    [InlineData("2030-01-02T03:04:05,5Z")]
    [InlineData("1700000000")]
    public void TryParse_NotRfc3339DateTime_ReturnsFalse(string? text) => Assert.False(Timestamp.TryParse(text, out _));

    [Fact]
    public void Order_Timestamps_FollowMilliseconds()
    {
        var a = new Timestamp(1000);
        var b = a.Add(TimeSpan.FromMilliseconds(1));
        var a2 = new Timestamp(1000);
        Assert.True(a < b && b > a && a <= a2 && b >= a && !(b <= a));
        Assert.Equal(-1, a.CompareTo(b));
        Assert.Equal("1970-01-01T00:00:01.001Z", b.ToString());
    }
}
