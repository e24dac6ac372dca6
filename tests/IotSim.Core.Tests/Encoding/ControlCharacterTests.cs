using System.Globalization;
using System.Text;
using System.Text.Json;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Encoders;

/// <summary>
/// Texts with line breaks, tabs, quotes, backslashes and other control characters must reach JSON Lines escaped
/// (one parseable line per row) and CSV quoted, through the file and console sinks, and read back exactly.
/// </summary>
[Collection(SerialTestCollection.Name)]
public sealed class ControlCharacterTests
{
    private const string OddName = "line\nbreak\ttab \"quote\" back\\slash \u0001 bell\u0007 end";
    private const string OddIndustry = "plant\n7\t\\ \u0001";
    private const string OddUnit = "m\\s\n\t\"\u0001";
    private const string CrName = "carriage\rreturn";
    private const string NewlineName = "two\nlines";
    private const string OddPrefix = "id\n\"\\\t\u0001";

    private static Scenario Scenario(OutputShape shape) => new()
    {
        Industries = [],
        CustomSensors =
        [
            new SensorDefinition { Name = OddName, Industry = OddIndustry, Type = SensorType.Temperature, Unit = OddUnit, Min = -10, Max = 10, Nominal = 0, NoiseStd = 2, Precision = 2 },
            new SensorDefinition { Name = NewlineName, Industry = "plain", Type = SensorType.Humidity, Unit = "%", Min = 0, Max = 100, Nominal = 50, NoiseStd = 5, Precision = 1 },
            new SensorDefinition { Name = CrName, Industry = "a,b", Type = SensorType.Pressure, Unit = "\r", Min = 0, Max = 10, Nominal = 5, NoiseStd = 1, Precision = 3 },
        ],
        Devices = 3,
        Duration = TimeSpan.FromSeconds(10),
        Seed = 5,
        Shape = shape,
        Device = new DeviceOptions { IdPrefix = OddPrefix },
        Anomalies = TestAnomalies.Dense(50),
    };

    /// <summary>Outputs of one run through every text sink of <paramref name="shape"/>, by sink name, with the callback truth.</summary>
    private static async Task<(Dictionary<string, string> Outputs, List<Reading> Truth, Fleet Fleet)> RunAllSinksAsync(OutputShape shape)
    {
        using var dir = new TempDirectory();
        var files = new Dictionary<string, FileSink>
        {
            ["file-csv"] = new FileSink(new FileSinkOptions { Name = "file-csv", Format = "csv", Path = Path.Combine(dir.Path, "csv") }, shape),
            ["file-jsonl"] = new FileSink(new FileSinkOptions { Name = "file-jsonl", Format = "jsonl", Path = Path.Combine(dir.Path, "jsonl") }, shape),
        };
        var consoles = new Dictionary<string, MemoryStream> { ["console-json"] = new(), ["console-text"] = new() };
        var truth = new List<Reading>();
        var sim = new Simulator(Scenario(shape));
        foreach (FileSink sink in files.Values) sim.AddSink(sink);
        sim.AddSink(new ConsoleSink(consoles["console-json"], "json", shape, "console-json"));
        if (shape == OutputShape.Wide)
        {
            // Wide console text is wide CSV.
            sim.AddSink(new ConsoleSink(consoles["console-text"], "text", shape, "console-text"));
        }
        sim.AddSink(new CallbackSink(r => truth.AddRange(r), "truth"));
        RunReport report = await sim.RunAsync();
        Assert.True(report.Succeeded, string.Join("; ", report.Sinks.Select(s => s.Error)));
        Assert.Contains(truth, r => r.Anomaly != AnomalyKind.None);
        var outputs = new Dictionary<string, string>();
        foreach (var (name, sink) in files)
        {
            outputs[name] = Encoding.UTF8.GetString(File.ReadAllBytes(Assert.Single(sink.Files)));
        }
        outputs["console-json"] = Encoding.UTF8.GetString(consoles["console-json"].ToArray());
        if (shape == OutputShape.Wide) outputs["console-text"] = Encoding.UTF8.GetString(consoles["console-text"].ToArray());
        return (outputs, truth, sim.Fleet!);
    }

    private static string Value(Reading r, Fleet fleet) =>
        EncoderTestKit.Fixed(r.Value, EncoderTestKit.PrecisionOf(fleet, r.Industry, r.Sensor));

    /// <summary>JSON Lines text as its lines, each a JSON object without raw control characters.</summary>
    private static List<JsonElement> JsonRows(string text)
    {
        var rows = new List<JsonElement>();
        foreach (string line in EncoderTestKit.Lines(text))
        {
            Assert.DoesNotContain(line, c => c < 0x20);
            using var doc = JsonDocument.Parse(line);
            rows.Add(doc.RootElement.Clone());
        }
        return rows;
    }

    [Theory]
    [InlineData("file-jsonl")]
    [InlineData("console-json")]
    public async Task NarrowJsonLines_ControlCharacters_OneParseableLinePerReading_ExactStrings(string sink)
    {
        var (outputs, truth, fleet) = await RunAllSinksAsync(OutputShape.Narrow);
        List<JsonElement> rows = JsonRows(outputs[sink]);
        Assert.Equal(truth.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Reading r = truth[i];
            JsonElement o = rows[i];
            Assert.Equal(r.DeviceId, o.GetProperty("device_id").GetString());
            Assert.Equal(r.Industry, o.GetProperty("industry").GetString());
            Assert.Equal(r.Sensor, o.GetProperty("sensor").GetString());
            Assert.Equal(r.Unit, o.GetProperty("unit").GetString());
            Assert.Equal(Value(r, fleet), o.GetProperty("value").GetRawText());
        }
        Assert.Contains(truth, r => r.Sensor == OddName && r.Industry == OddIndustry && r.Unit == OddUnit);
        Assert.StartsWith(OddPrefix + "-", truth[0].DeviceId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NarrowCsv_ControlCharacters_QuotedFieldsRoundTrip()
    {
        var (outputs, truth, fleet) = await RunAllSinksAsync(OutputShape.Narrow);
        List<string[]> records = EncoderTestKit.ParseCsv(outputs["file-csv"]);
        Assert.Equal(["timestamp", "device_id", "industry", "sensor", "value", "unit", "status_code", "anomaly"], records[0]);
        Assert.Equal(truth.Count, records.Count - 1);
        for (int i = 0; i < truth.Count; i++)
        {
            Reading r = truth[i];
            Assert.Equal([EncoderTestKit.Iso(r.Timestamp), r.DeviceId, r.Industry, r.Sensor, Value(r, fleet), r.Unit, r.Anomaly == AnomalyKind.None ? "0" : "1", EncoderTestKit.Label(r.Anomaly)], records[i + 1]);
        }
    }

    [Theory]
    [InlineData("file-jsonl")]
    [InlineData("console-json")]
    public async Task WideJsonLines_ControlCharacters_OneParseableLinePerRow_ExactKeysAndIds(string sink)
    {
        var (outputs, truth, fleet) = await RunAllSinksAsync(OutputShape.Wide);
        List<JsonElement> rows = JsonRows(outputs[sink]);
        var expected = truth.GroupBy(r => (r.Timestamp, r.Device)).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Sensor));
        // One sensor interval: a row per device per tick, even when every reading of the row was omitted.
        Assert.Equal(10 * 3, rows.Count);
        int checkedRows = 0;
        foreach (JsonElement o in rows)
        {
            var timestamp = DateTimeOffset.Parse(o.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
            string deviceId = o.GetProperty("device_id").GetString()!;
            Assert.StartsWith(OddPrefix + "-", deviceId, StringComparison.Ordinal);
            int device = int.Parse(deviceId[(OddPrefix.Length + 1)..], CultureInfo.InvariantCulture);
            Assert.Equal(fleet.DeviceId(device), deviceId);
            string[] sensorKeys = [.. o.EnumerateObject().Select(p => p.Name).Where(n => fleet.Sensors.Any(s => s.Name == n))];
            if (!expected.TryGetValue((timestamp, device), out var cells))
            {
                Assert.Empty(sensorKeys);
                continue;
            }
            Assert.Equal(cells.Keys.Order(StringComparer.Ordinal), sensorKeys.Order(StringComparer.Ordinal));
            foreach (var (sensor, reading) in cells)
            {
                Assert.Equal(Value(reading, fleet), o.GetProperty(sensor).GetRawText());
            }
            checkedRows++;
        }
        Assert.Equal(expected.Count, checkedRows);
        Assert.Contains(expected.Values, cells => cells.ContainsKey(OddName) && cells.ContainsKey(CrName));
    }

    [Theory]
    [InlineData("file-csv")]
    [InlineData("console-text")]
    public async Task WideCsv_ControlCharacters_QuotedHeaderAndIdsRoundTrip(string sink)
    {
        var (outputs, truth, fleet) = await RunAllSinksAsync(OutputShape.Wide);
        List<string[]> records = EncoderTestKit.ParseCsv(outputs[sink]);
        string[] header = ["timestamp", "device_id", "manufacturer", "model", "firmware", OddName, NewlineName, CrName, "anomaly_flag", "anomaly_type", "anomalies"];
        Assert.Equal(header, records[0]);
        Assert.Equal(10 * 3, records.Count - 1);
        var expected = truth.GroupBy(r => (EncoderTestKit.Iso(r.Timestamp), r.DeviceId)).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Sensor));
        foreach (string[] row in records.Skip(1))
        {
            Assert.Equal(header.Length, row.Length);
            Assert.StartsWith(OddPrefix + "-", row[1], StringComparison.Ordinal);
            var cells = expected.GetValueOrDefault((row[0], row[1])) ?? [];
            for (int s = 0; s < 3; s++)
            {
                Assert.Equal(cells.TryGetValue(header[5 + s], out Reading r) ? Value(r, fleet) : "", row[5 + s]);
            }
            // The label cell quotes the odd names too: every pair names one of the three sensors.
            foreach (string pair in row[^1].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Contains(pair[..pair.LastIndexOf(':')], header[5..8]);
            }
            foreach (Reading r in cells.Values.Where(r => r.Anomaly != AnomalyKind.None))
            {
                Assert.Contains(r.Sensor + ":" + EncoderTestKit.Label(r.Anomaly), row[^1].Split(';'));
            }
        }
        Assert.Equal(expected.Keys.Order(), records.Skip(1).Select(f => (f[0], f[1])).Where(expected.ContainsKey).Order());
    }
}
