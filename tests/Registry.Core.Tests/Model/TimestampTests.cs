using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

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
    public void ToString_AnyInstant_IsWhatTheBclFormatWrites()
    {
        // ToString and the canonical fast path of TryParse are written digit by digit; the BCL's custom format and exact
        // parser are the reference they must match for every instant from year 1 to 9999.
        var gen = Gen.Choose(0, int.MaxValue).SelectMany(hi => Gen.Choose(0, int.MaxValue).Select(lo => ((long)hi << 31) | (uint)lo));
        const long min = -62_135_596_800_000, span = 253_402_300_799_999 - min;
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), r =>
            {
                var t = new Timestamp(min + (long)((ulong)r % (ulong)span));
                var reference = t.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                Assert.Equal(reference, t.ToString());
                Assert.True(Timestamp.TryParse(reference, out var back));
                Assert.Equal(t, back);
            }),
            maxTest: 2000);
    }

    [Fact]
    public void TryParse_CanonicalShapeWithAnyDigits_AgreesWithTheBclExactParser()
    {
        // Out-of-range fields (month 13, 30 February, hour 24, second 60, year 0) must be refused as the general parser refuses them.
        var digits = Gen.Elements("0123456789".ToCharArray());
        var gen = Gen.ArrayOf(digits, 17);
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), d =>
            {
                var text = $"{d[0]}{d[1]}{d[2]}{d[3]}-{(d[4] < '2' ? d[4] : '1')}{d[5]}-{(d[6] < '4' ? d[6] : '3')}{d[7]}T{(d[8] < '3' ? d[8] : '2')}{d[9]}:{(d[10] < '7' ? d[10] : '6')}{d[11]}:{(d[12] < '7' ? d[12] : '6')}{d[13]}.{d[14]}{d[15]}{d[16]}Z";
                var expected = DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
                Assert.Equal(expected, Timestamp.TryParse(text, out var t));
                if (expected)
                {
                    Assert.Equal(Timestamp.From(parsed), t);
                }
            }),
            maxTest: 3000);
    }

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
