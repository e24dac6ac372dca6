using System.Xml.Linq;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli.Tests;

public sealed class PreviewTests : IDisposable
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-preview-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A mining fleet of 5 devices with anomalies 40 times as likely as the catalog's, so 10 minutes hold several episodes.</summary>
    private string AnomalousScenario()
    {
        string path = Path.Combine(_dir, "anomalous.yaml");
        File.WriteAllText(path, """
            seed: 11
            fleet:
              industries: [mining]
              devices: 5
              interval: 2s
            time:
              start: 2026-03-01T06:00:00Z
              duration: 10m
            anomalies:
              probability_scale: 40
            sinks:
              - type: console
            """);
        return path;
    }

    private static async Task<List<Reading>> EngineReadingsAsync(string scenarioPath)
    {
        Scenario scenario = ScenarioLoader.LoadFile(scenarioPath, SinkRegistry.CreateDefault()) with { Sinks = [] };
        var readings = new List<Reading>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(batch => readings.AddRange(batch)));
        RunReport report = await sim.RunAsync();
        Assert.True(report.Succeeded);
        return readings;
    }

    [Fact]
    public async Task Svg_OneChartPerSensor_OnePathPerDevice_PointsAndAnomalySpansAreTheEngines()
    {
        string scenario = AnomalousScenario();
        string output = Path.Combine(_dir, "p.svg");
        string[] sensors = ["crusher_1_vibration", "crusher_1_motor_power", "crusher_1_bearing_temp"];
        CliResult r = await CliHarness.RunAsync("preview", scenario, "--sensors", string.Join(',', sensors), "--devices", "3", "-o", output);
        Assert.True(r.ExitCode == 0, r.Error);

        XDocument doc = XDocument.Load(output);
        var charts = doc.Descendants(s_svg + "g").Where(g => (string?)g.Attribute("class") == "chart").ToList();
        Assert.Equal(sensors, charts.Select(g => (string)g.Attribute("data-title")!));

        // What a full run of the same scenario (all 5 devices) generates, for the charted devices and sensors.
        List<Reading> engine = await EngineReadingsAsync(scenario);
        string[] devices = ["dev-000000", "dev-000001", "dev-000002"];
        int anomalous = 0;
        for (int c = 0; c < sensors.Length; c++)
        {
            XElement chart = charts[c];
            SvgMapping mapping = SvgMapping.Of(chart);
            var paths = chart.Elements(s_svg + "path").Where(p => (string?)p.Attribute("class") == "series").ToList();
            Assert.Equal(devices, paths.Select(p => (string)p.Attribute("data-series")!));
            for (int d = 0; d < devices.Length; d++)
            {
                var expected = engine.Where(x => x.Sensor == sensors[c] && x.DeviceId == devices[d]).OrderBy(x => x.Timestamp).ToList();
                Assert.Equal(300, expected.Count);
                var points = SvgMapping.Points((string)paths[d].Attribute("d")!).Select(mapping.ToData).ToList();
                Assert.Equal(expected.Count, points.Count);
                for (int i = 0; i < points.Count; i++)
                {
                    Assert.InRange(points[i].X, expected[i].Timestamp.ToUnixTimeMilliseconds() - mapping.XTolerance, expected[i].Timestamp.ToUnixTimeMilliseconds() + mapping.XTolerance);
                    Assert.InRange(points[i].Y, expected[i].Value - mapping.YTolerance - 1e-3, expected[i].Value + mapping.YTolerance + 1e-3);
                }
                var spans = chart.Elements(s_svg + "rect").Where(e => (string?)e.Attribute("class") == "span" && ((string)e.Element(s_svg + "title")!).StartsWith(devices[d] + ":", StringComparison.Ordinal)).ToList();
                foreach (Reading reading in expected.Where(x => x.Anomaly != AnomalyKind.None))
                {
                    anomalous++;
                    long t = reading.Timestamp.ToUnixTimeMilliseconds();
                    string kind = AnomalyKinds.ToName(reading.Anomaly);
                    Assert.Contains(spans, s => (string)s.Attribute("data-label")! == kind && (double)s.Attribute("data-x0")! <= t && t <= (double)s.Attribute("data-x1")!);
                }
                // And every span is an injected episode: its first reading carries the kind.
                foreach (XElement span in spans)
                {
                    long t0 = (long)(double)span.Attribute("data-x0")!;
                    Assert.Contains(expected, x => x.Timestamp.ToUnixTimeMilliseconds() == t0 && AnomalyKinds.ToName(x.Anomaly) == (string)span.Attribute("data-label")!);
                }
                foreach (string label in spans.Select(s => (string)s.Attribute("data-label")!).Distinct())
                {
                    Assert.Contains(chart.Elements(s_svg + "text"), t => t.Value == label);
                }
            }
        }
        Assert.True(anomalous > 0, "the scenario should inject anomalies into the charted channels");
        Assert.Contains("anomaly episode", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_FirstThreeDevices_FirstFourSensors_AtMostAnHour()
    {
        string yaml = Path.Combine(_dir, "long.yaml");
        File.WriteAllText(yaml, "fleet: {industries: [mining], devices: 8, interval: 1m}\ntime: {start: 2026-05-01T00:00:00Z, duration: 6h}\n");
        string output = Path.Combine(_dir, "d.svg");
        CliResult r = await CliHarness.RunAsync("preview", yaml, "-o", output);
        Assert.True(r.ExitCode == 0, r.Error);
        var charts = XDocument.Load(output).Descendants(s_svg + "g").Where(g => (string?)g.Attribute("class") == "chart").ToList();
        Assert.Equal(4, charts.Count);
        Assert.All(charts, c => Assert.Equal(3, c.Elements(s_svg + "path").Count()));
        long start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal($"{start} {start + 3_600_000}", (string)charts[0].Attribute("data-x")!);
        Assert.Contains("2026-05-01T00:00:00Z to 2026-05-01T01:00:00Z", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Png_DecodesWithValidCrcsAndFilters_HasChartPixels_IsDeterministic()
    {
        string scenario = AnomalousScenario();
        string a = Path.Combine(_dir, "a.png"), b = Path.Combine(_dir, "b.png");
        Assert.Equal(0, (await CliHarness.RunAsync("preview", scenario, "-o", a)).ExitCode);
        Assert.Equal(0, (await CliHarness.RunAsync("preview", scenario, "--threads", "1", "-o", b)).ExitCode);
        byte[] png = await File.ReadAllBytesAsync(a);
        Assert.Equal(png, await File.ReadAllBytesAsync(b));
        PngTestDecoder.Image image = PngTestDecoder.Decode(png);
        Assert.Equal((2 * 1040, 2 * 560), (image.Width, image.Height));
        int background = 0, series0 = 0;
        var c0 = Charts.ChartPalette.Series(0);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var p = image.Pixel(x, y);
                if (p == (255, 255, 255)) background++;
                if (p == (c0.R, c0.G, c0.B)) series0++;
            }
        }
        Assert.InRange(background, image.Width * image.Height / 2, image.Width * image.Height - 1);
        Assert.True(series0 > 1000, $"{series0} pixels of the first device's colour");
    }

    [Fact]
    public async Task Html_OpensInHeadlessChromium_WithTheCharts()
    {
        HeadlessChromium.AssertInstalled();
        string scenario = AnomalousScenario();
        string html = Path.Combine(_dir, "p.html");
        CliResult r = await CliHarness.RunAsync("preview", scenario, "-o", html);
        Assert.True(r.ExitCode == 0, r.Error);
        string text = await File.ReadAllTextAsync(html);
        Assert.Contains(scenario, text, StringComparison.Ordinal);
        Assert.Contains("<dt>Seed</dt><dd>11</dd>", text, StringComparison.Ordinal);
        Assert.Contains("dev-000000, dev-000001, dev-000002", text, StringComparison.Ordinal);
        Assert.Contains("2026-03-01T06:00:00Z to 2026-03-01T06:10:00Z", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        // Same scenario, same bytes.
        string again = Path.Combine(_dir, "again.html");
        Assert.Equal(0, (await CliHarness.RunAsync("preview", scenario, "-o", again)).ExitCode);
        Assert.Equal(text, await File.ReadAllTextAsync(again));

        string screenshot = Path.Combine(_dir, "shot.png");
        string profile = Path.Combine(_dir, "profile");
        string url = new Uri(html).AbsoluteUri;
        (int shotCode, _, string shotError) = await HeadlessChromium.RunAsync($"--screenshot={screenshot}", "--window-size=1200,900", $"--user-data-dir={profile}", url);
        Assert.True(shotCode == 0, shotError);
        Assert.True(File.Exists(screenshot), "no screenshot: " + shotError);
        PngTestDecoder.Image shot = PngTestDecoder.Decode(await File.ReadAllBytesAsync(screenshot));
        Assert.Equal((1200, 900), (shot.Width, shot.Height));
        Assert.True(Enumerable.Range(0, 200).Select(i => shot.Pixel(100 + i * 5, 300)).Distinct().Count() > 2, "the screenshot shows more than a blank page");

        (int domCode, string dom, string domError) = await HeadlessChromium.RunAsync("--dump-dom", $"--user-data-dir={profile}", url);
        Assert.True(domCode == 0, domError);
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"chart\"", dom, StringComparison.Ordinal);
        Assert.Contains("crusher_1_motor_power", dom, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.svg", "--sensors", "crusher_1_vibraton", "'--sensors': no sensor 'crusher_1_vibraton' in this fleet (did you mean 'crusher_1_vibration'?); allowed: crusher_1_motor_power")]
    [InlineData("x.jpg", "--devices", "2", "'-o': 'x.jpg' has no chart extension; allowed extensions: .html, .svg, .png")]
    [InlineData("x.png", "--devices", "0", "'--devices': '0' is not a device count of this fleet; allowed: 1 to 5")]
    [InlineData("x.html", "--devices", "6", "'--devices': '6' is not a device count of this fleet; allowed: 1 to 5")]
    [InlineData("x.svg", "--duration", "11m", "'--duration': 11m is longer than a preview charts; allowed: up to 10m")]
    public async Task BadInput_Exit2_NamesTheOptionAndAllowedValues_WritesNothing(string file, string option, string value, string expected)
    {
        string scenario = AnomalousScenario();
        string output = Path.Combine(_dir, file);
        CliResult r = await CliHarness.RunAsync("preview", scenario, option, value, "-o", output);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Error, StringComparison.Ordinal);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.Equal(["anomalous.yaml"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }
}
