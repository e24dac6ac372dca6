using System.Globalization;
using System.Text.RegularExpressions;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Encoders;

/// <summary>InfluxDB line protocol, parsed back and compared with the engine's readings.</summary>
[Collection(SerialTestCollection.Name)]
public sealed partial class LineEncoderTests
{
    [GeneratedRegex(@"^(?<m>[^,]+),device_id=(?<d>[^,]+),sensor=(?<s>[^,]+),industry=(?<i>[^ ]+) (?:value=(?<v>-?[0-9.]+)|null=true)(?:,anomaly=""(?<a>[a-z_]+)"")? (?<t>[0-9]+)$")]
    private static partial Regex NarrowLine();

    [Fact]
    public async Task Narrow_EveryLineIsItsReading_InNanoseconds()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(anomalyScale: 100) with { Dirty = new DirtyOptions { Nulls = 0.05, ClockSkew = 0.5 } }, f => new LineEncoder(f));
        string[] lines = EncoderTestKit.Lines(run.Text);
        Assert.Equal(run.Readings.Count, lines.Length);
        int nulls = 0, labelled = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            Reading r = run.Readings[i];
            Match m = NarrowLine().Match(lines[i]);
            Assert.True(m.Success, lines[i]);
            Assert.Equal([r.Industry, r.DeviceId, r.Sensor, r.Industry], [m.Groups["m"].Value, m.Groups["d"].Value, m.Groups["s"].Value, m.Groups["i"].Value]);
            Assert.Equal(r.Timestamp.ToUnixTimeMilliseconds() * 1_000_000, long.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture));
            if (float.IsNaN(r.Value))
            {
                nulls++;
                Assert.False(m.Groups["v"].Success);
            }
            else
            {
                Assert.Equal(EncoderTestKit.Fixed(r.Value, EncoderTestKit.PrecisionOf(run.Fleet, r.Industry, r.Sensor)), m.Groups["v"].Value);
            }
            Assert.Equal(r.Anomaly == AnomalyKind.None ? "" : EncoderTestKit.Label(r.Anomaly), m.Groups["a"].Value);
            labelled += m.Groups["a"].Success ? 1 : 0;
        }
        Assert.True(nulls > 0 && labelled > 0);
    }

    [Fact]
    public async Task Wide_OnePointPerDeviceAndTimestamp_FieldsForDueSensors()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(anomalyScale: 100) with { Shape = OutputShape.Wide }, f => new LineEncoder(f, precision: "ms"));
        string[] lines = EncoderTestKit.Lines(run.Text);
        var points = lines.Select(l => l.Split(' ')).ToList();
        Assert.Equal(points.Count, points.Select(p => p[0] + p[^1]).Distinct().Count());
        var fields = new Dictionary<(string, string, long), string>();
        foreach (string[] p in points)
        {
            string device = p[0].Split(',')[1]["device_id=".Length..];
            long ms = long.Parse(p[^1], CultureInfo.InvariantCulture);
            foreach (string f in string.Join(' ', p[1..^1]).Split(','))
            {
                string[] kv = f.Split('=', 2);
                if (kv[0] != "anomalies") fields.Add((device, kv[0], ms), kv[1]);
            }
        }
        Assert.Equal(run.Readings.Count, fields.Count);
        foreach (Reading r in run.Readings)
        {
            Assert.Equal(EncoderTestKit.Fixed(r.Value, EncoderTestKit.PrecisionOf(run.Fleet, r.Industry, r.Sensor)), fields[(r.DeviceId, r.Sensor, r.Timestamp.ToUnixTimeMilliseconds())]);
        }
        Assert.Contains(lines, l => l.Contains(",anomalies=\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a b,c=d", "a\\ b\\,c\\=d", "a\\ b\\,c=d")]
    [InlineData("x\\y", "x\\y", "x\\y")]
    [InlineData("end\\", "end/", "end/")]
    [InlineData("a\\ b", "a/\\ b", "a/\\ b")]
    [InlineData("line\nbreak", "line\\ break", "line\\ break")]
    public void Escaping_FollowsTheProtocol(string text, string tag, string measurement)
    {
        Assert.Equal(tag, LineEncoder.EscapeTag(text));
        Assert.Equal(measurement, LineEncoder.EscapeMeasurement(text));
    }
}
