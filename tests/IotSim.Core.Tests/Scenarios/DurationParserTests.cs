using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Scenarios;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("5m", 3_000_000_000L)]
    [InlineData("1h", 36_000_000_000L)]
    [InlineData("1d", 864_000_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("1d2h3m4s5ms", 937_840_050_000L)]
    [InlineData("1h 30m", 54_000_000_000L)]
    [InlineData(" 2s ", 20_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("0.5ms", 5_000L)]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("90", 900_000_000L)]
    [InlineData("0.25", 2_500_000L)]
    [InlineData("0", 0L)]
    [InlineData("01:30:00", 54_000_000_000L)]
    [InlineData("00:00:01.5", 15_000_000L)]
    [InlineData("36:00:00", 1_296_000_000_000L)]
    [InlineData("0.00000001", 0L)]
    [InlineData("0.00000005", 1L)]
    public void TryParse_ValidForms_GiveTicks(string text, long ticks)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan d));
        Assert.Equal(ticks, d.Ticks);
        Assert.Equal(TimeSpan.FromTicks(ticks), DurationParser.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("abc")]
    [InlineData("-1s")]
    [InlineData("-5")]
    [InlineData("1e3")]
    [InlineData("1h30")]
    [InlineData("30s1h")]
    [InlineData("5m5m")]
    [InlineData("1 h")]
    [InlineData("1w")]
    [InlineData("1.2.3s")]
    [InlineData(".5s")]
    [InlineData("5.s")]
    [InlineData("1:30")]
    [InlineData("1:2:3")]
    [InlineData("00:60:00")]
    [InlineData("00:00:60")]
    [InlineData("00:00:00:00")]
    [InlineData("99999999999999999999999999999d")]
    [InlineData("999999999999d")]
    [InlineData("1e400")]
    public void TryParse_InvalidForms_ReturnFalse(string? text)
    {
        Assert.False(DurationParser.TryParse(text, out TimeSpan d));
        Assert.Equal(TimeSpan.Zero, d);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithHint()
    {
        var ex = Assert.Throws<FormatException>(() => DurationParser.Parse("soon"));

        Assert.Contains("1h30m", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(5_000_000L, "500ms")]
    [InlineData(54_000_000_000L, "1h30m")]
    [InlineData(937_840_050_000L, "1d2h3m4s5ms")]
    [InlineData(5_000L, "0.5ms")]
    [InlineData(10_000_001L, "1s0.0001ms")]
    [InlineData(-300_000_000L, "-30s")]
    public void Format_WritesUnitForm(long ticks, string expected)
    {
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_RoundTripsThroughTryParse()
    {
        var rng = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            var d = TimeSpan.FromTicks(rng.NextInt64(0, TimeSpan.FromDays(400).Ticks));
            Assert.True(DurationParser.TryParse(DurationParser.Format(d), out TimeSpan back), DurationParser.Format(d));
            Assert.Equal(d, back);
        }
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("0", 0L)]
    [InlineData("100B", 100L)]
    [InlineData("1KB", 1024L)]
    [InlineData("100MB", 104_857_600L)]
    [InlineData("2GB", 2_147_483_648L)]
    [InlineData("1.5 GB", 1_610_612_736L)]
    [InlineData("64kb", 65_536L)]
    [InlineData(" 8 Mb ", 8_388_608L)]
    public void TryParseSize_ValidForms_GiveBytes(string text, long bytes)
    {
        Assert.True(DurationParser.TryParseSize(text, out long b));
        Assert.Equal(bytes, b);
        Assert.Equal(bytes, DurationParser.ParseSize(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("0.1KB")]
    [InlineData("10TB")]
    [InlineData("10 M")]
    [InlineData("1e6")]
    [InlineData("99999999999GB")]
    public void TryParseSize_InvalidForms_ReturnFalse(string? text)
    {
        Assert.False(DurationParser.TryParseSize(text, out long b));
        Assert.Equal(0, b);
    }

    [Fact]
    public void ParseSize_Invalid_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => DurationParser.ParseSize("big"));

        Assert.Contains("KB, MB or GB", ex.Message, StringComparison.Ordinal);
    }
}
