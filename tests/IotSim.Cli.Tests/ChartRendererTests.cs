using System.Text;
using System.Xml.Linq;
using IotSim.Cli.Charts;

namespace IotSim.Cli.Tests;

public sealed class ChartRendererTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LineChart Sample()
    {
        double t0 = ChartSeries.TimeX(s_start);
        double[] x = [.. Enumerable.Range(0, 120).Select(i => t0 + i * 30_000.0)];
        double[] a = [.. Enumerable.Range(0, 120).Select(i => i is >= 40 and < 45 ? double.NaN : 20 + 5 * Math.Sin(i / 10.0))];
        double[] b = [.. Enumerable.Range(0, 120).Select(i => 18 + i * 0.05)];
        return new LineChart
        {
            Title = "ambient_temperature",
            Unit = "°C",
            Series = [new ChartSeries("dev-000000", x, a), new ChartSeries("dev-000001", x, b)],
            Spans = [new ChartSpan(t0 + 60 * 30_000.0, t0 + 70 * 30_000.0, "spike", 1)],
        };
    }

    [Theory]
    [InlineData(0, 97, 5, 20)]
    [InlineData(0, 1, 5, 0.2)]
    [InlineData(-3.2, 7.9, 6, 2)]
    [InlineData(1000, 1000.9, 4, 0.25)]
    [InlineData(0, 4.5e6, 5, 1e6)]
    public void NiceStep_CoversTheRangeInAtMostMaxTicks(double min, double max, int maxTicks, double expected)
    {
        double step = ChartTicks.NiceStep(min, max, maxTicks);
        Assert.Equal(expected, step, 9);
        Assert.True((max - min) / step <= maxTicks);
    }

    [Theory]
    [InlineData(3_600_000, 6, 600_000, "00:10")]
    [InlineData(60_000, 6, 10_000, "00:00:10")]
    [InlineData(86_400_000, 5, 6 * 3_600_000, "06:00")]
    [InlineData(7 * 86_400_000L, 4, 2 * 86_400_000, "2026-01-03")]
    public void TimeStep_IsACalendarStep_LabelledAsPreciselyAsItNeeds(long span, int maxTicks, double expected, string secondLabel)
    {
        double t0 = ChartSeries.TimeX(s_start);
        double step = ChartTicks.TimeStep(t0, t0 + span, maxTicks);
        Assert.Equal(expected, step);
        List<double> ticks = ChartTicks.Times(t0, t0 + span, step);
        Assert.Equal(t0, ticks[0]);
        Assert.Equal(secondLabel, ChartTicks.TimeLabel(ticks[1], step));
    }

    [Fact]
    public void ValueLabel_UsesTheStepsDecimals_Invariant()
    {
        Assert.Equal("0.25", ChartTicks.ValueLabel(0.25, 0.25));
        Assert.Equal("-1.5", ChartTicks.ValueLabel(-1.5, 0.5));
        Assert.Equal("300", ChartTicks.ValueLabel(300, 100));
        Assert.Equal("2M", ChartTicks.ValueLabel(2e6, 1e6));
    }

    [Fact]
    public void Svg_IsWellFormed_OnePathPerSeries_GapsBreakTheLine_SpansLabelled()
    {
        string svg = SvgChartWriter.Write([Sample(), Sample() with { Title = "second" }], new ChartGrid(2));
        XDocument doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var charts = doc.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "chart").ToList();
        Assert.Equal(["ambient_temperature", "second"], charts.Select(g => (string)g.Attribute("data-title")!));
        XElement first = charts[0];
        var paths = first.Elements(ns + "path").ToList();
        Assert.Equal(["dev-000000", "dev-000001"], paths.Select(p => (string)p.Attribute("data-series")!));
        // The NaN run splits series 0 into two pieces; series 1 is one.
        Assert.Equal(2, ((string)paths[0].Attribute("d")!).Count(c => c == 'M'));
        Assert.Equal(1, ((string)paths[1].Attribute("d")!).Count(c => c == 'M'));
        Assert.Equal(115, ((string)paths[0].Attribute("d")!).Split(' ').Length);
        XElement span = Assert.Single(first.Elements(ns + "rect"), r => (string?)r.Attribute("class") == "span");
        Assert.Equal("spike", (string)span.Attribute("data-label")!);
        Assert.Contains(first.Elements(ns + "text"), t => t.Value == "spike");
        Assert.Contains(first.Elements(ns + "text"), t => t.Value == "°C");
        Assert.Contains(first.Elements(ns + "text"), t => t.Value == "00:10");
    }

    [Fact]
    public void Svg_PathCoordinatesMapBackToTheValues()
    {
        LineChart chart = Sample();
        string svg = SvgChartWriter.Write([chart], new ChartGrid(1));
        XNamespace ns = "http://www.w3.org/2000/svg";
        XElement g = XDocument.Parse(svg).Descendants(ns + "g").Single();
        var mapping = SvgMapping.Of(g);
        string d = (string)g.Elements(ns + "path").ElementAt(1).Attribute("d")!;
        var points = SvgMapping.Points(d).Select(mapping.ToData).ToList();
        ChartSeries series = chart.Series[1];
        Assert.Equal(series.X.Count, points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            Assert.InRange(points[i].X, series.X[i] - mapping.XTolerance, series.X[i] + mapping.XTolerance);
            Assert.InRange(points[i].Y, series.Y[i] - mapping.YTolerance, series.Y[i] + mapping.YTolerance);
        }
    }

    [Fact]
    public void LongSeries_KeepFirstLowHighLastPerPixelColumn()
    {
        double[] x = [.. Enumerable.Range(0, 100_000).Select(i => (double)i)];
        double[] y = [.. Enumerable.Range(0, 100_000).Select(i => i == 50_001 ? 1000.0 : i % 7)];
        var chart = new LineChart { Title = "long", XAxis = ChartXAxis.Number, Series = [new ChartSeries("s", x, y)] };
        var frame = new ChartFrame(0, 0, 400, 200, 0, 99_999, 0, 1000);
        double[] xy = ChartRenderer.PagePoints(chart.Series[0], frame);
        Assert.InRange(xy.Length / 2, 400, 4 * 401);
        // The one outlier survives thinning.
        Assert.Contains(0.0, Enumerable.Range(0, xy.Length / 2).Select(i => Math.Round(xy[2 * i + 1], 6)));
    }

    [Fact]
    public void Png_DecodesWithValidCrcsAndFilters_DrawsSeriesColours_IsDeterministic()
    {
        byte[] png = RasterCanvas.RenderPng([Sample()], new ChartGrid(1), scale: 2);
        PngTestDecoder.Image image = PngTestDecoder.Decode(png);
        (int w, int h) = new ChartGrid(1).Size(1);
        Assert.Equal(2 * w, image.Width);
        Assert.Equal(2 * h, image.Height);
        Assert.Equal((byte)255, image.Pixel(0, 0).R);
        var colours = new HashSet<(byte, byte, byte)>();
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++) colours.Add(image.Pixel(x, y));
        }
        ChartColor s0 = ChartPalette.Series(0), s1 = ChartPalette.Series(1);
        Assert.Contains((s0.R, s0.G, s0.B), colours);
        Assert.Contains((s1.R, s1.G, s1.B), colours);
        Assert.True(colours.Count > 20, "anti-aliasing and the span's tint give intermediate colours");
        Assert.Contains(image.Filters, f => f != 0);
        Assert.Equal(png, RasterCanvas.RenderPng([Sample()], new ChartGrid(1), scale: 2));
    }

    [Fact]
    public void Crc32_MatchesTheCheckValue()
    {
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(PngTestDecoder.Crc32(Encoding.ASCII.GetBytes("IEND")), PngEncoder.Crc32(Encoding.ASCII.GetBytes("IEND")));
    }

    [Fact]
    public void BitmapFont_HasEveryPrintableAsciiGlyph_AndTheUnitsSymbols()
    {
        for (char c = '!'; c <= '~'; c++)
        {
            Assert.True(BitmapFont.Glyph(c).ToArray().Any(b => b != 0), $"glyph of '{c}' is empty");
        }
        foreach (char c in "°²³µ")
        {
            Assert.False(BitmapFont.Glyph(c).SequenceEqual(BitmapFont.Glyph('?')), $"glyph of '{c}'");
        }
        Assert.True(BitmapFont.Glyph('\u4e00').SequenceEqual(BitmapFont.Glyph('?')));
    }

    [Fact]
    public void Html_IsSelfContained_AndEscapesText()
    {
        string html = HtmlChartPage.Write("a <b> & c", [("Seed", "42")], [SvgChartWriter.Write([Sample()], new ChartGrid(1))]);
        Assert.Contains("<title>a &lt;b&gt; &amp; c</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg xmlns=", html, StringComparison.Ordinal);
    }
}
