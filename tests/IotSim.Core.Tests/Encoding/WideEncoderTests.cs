using System.Globalization;
using System.Text.Json;
using IotSim.Core.Catalog;
using IotSim.Core.Encoders;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Encoders;

[Collection(SerialTestCollection.Name)]
public sealed class WideEncoderTests
{
    /// <summary>One expected wide row: every slot of one device at one timestamp, whatever the sensors' intervals.</summary>
    private sealed record Row(long Ts, int Device, SortedDictionary<int, (float Value, byte Flag)> Cells)
    {
        public IEnumerable<(int Sensor, AnomalyKind Kind)> Labels =>
            Cells.Where(c => (c.Value.Flag & SensorKernel.KindMask) != 0).Select(c => (c.Key, (AnomalyKind)(c.Value.Flag & SensorKernel.KindMask)));
    }

    /// <summary>Expected rows in output order (timestamp, device), from the engine's slots (omitted ones included).</summary>
    private static List<Row> ExpectedRows(EncodedRun run)
    {
        var rows = new SortedDictionary<(long, int), Row>();
        foreach (var ((ts, device, sensor), slot) in run.Slots)
        {
            if (!rows.TryGetValue((ts, device), out Row? row)) rows[(ts, device)] = row = new Row(ts, device, []);
            row.Cells.Add(sensor, slot);
        }
        return [.. rows.Values];
    }

    private static Scenario WideMining() => EncoderTestKit.Mining(devices: 4, seconds: 60, anomalyScale: 200) with { Shape = OutputShape.Wide };

    [Fact]
    public async Task Csv_Mining_OneRowPerDeviceAndTimestamp_WithEveryCellAndPerSensorLabels()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(WideMining(), WideEncoder.Csv);
        Fleet fleet = run.Fleet;
        Assert.True(fleet.Groups.Count > 1, "mixed intervals");
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        string[] names = [.. fleet.Sensors.Select(s => s.Name)];
        Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", .. names, "anomaly_flag", "anomaly_type", "anomalies"], records[0]);
        List<Row> expected = ExpectedRows(run);
        // One row per (timestamp, device): 60 one-second timestamps × 4 devices.
        Assert.Equal(60 * 4, expected.Count);
        Assert.Equal(expected.Count, records.Count - 1);
        Assert.Contains(expected, r => r.Labels.Count() > 1);
        Assert.Contains(expected, r => r.Labels.Any(l => l.Kind == AnomalyKind.MissingData));
        Assert.Contains(expected, r => r.Cells.Count < names.Length);
        for (int i = 0; i < expected.Count; i++)
        {
            Row row = expected[i];
            string[] f = records[i + 1];
            Assert.Equal(names.Length + 8, f.Length);
            var (manufacturer, model, firmware) = fleet.DeviceIdentity(row.Device);
            Assert.Equal([EncoderTestKit.Iso(DateTimeOffset.FromUnixTimeMilliseconds(row.Ts)), fleet.DeviceId(row.Device), manufacturer, model, firmware], f[..5]);
            for (int s = 0; s < names.Length; s++)
            {
                bool present = row.Cells.TryGetValue(s, out var cell) && (cell.Flag & SensorKernel.OmittedFlag) == 0;
                Assert.Equal(present ? EncoderTestKit.Fixed(cell.Value, fleet.Precision[s]) : "", f[5 + s]);
            }
            var labels = row.Labels.ToList();
            Assert.Equal(labels.Count == 0 ? "0" : "1", f[^3]);
            Assert.Equal(labels.Count == 0 ? "" : EncoderTestKit.Label(labels[0].Kind), f[^2]);
            Assert.Equal(string.Join(';', labels.Select(l => names[l.Sensor] + ":" + EncoderTestKit.Label(l.Kind))), f[^1]);
        }
    }

    [Fact]
    public async Task JsonLines_Mining_ObjectsHoldPresentSensorsOnly_AndALabelObject()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(WideMining(), WideEncoder.JsonLines);
        Fleet fleet = run.Fleet;
        List<Row> expected = ExpectedRows(run);
        string[] lines = EncoderTestKit.Lines(run.Text);
        Assert.Equal(expected.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Row row = expected[i];
            using var doc = JsonDocument.Parse(lines[i]);
            JsonElement o = doc.RootElement;
            var (manufacturer, model, firmware) = fleet.DeviceIdentity(row.Device);
            int[] present = [.. row.Cells.Where(c => (c.Value.Flag & SensorKernel.OmittedFlag) == 0).Select(c => c.Key)];
            string[] sensorKeys = [.. present.Select(s => fleet.Sensors[s].Name)];
            Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", .. sensorKeys, "anomaly_flag", "anomaly_type", "anomalies"],
                o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(EncoderTestKit.Iso(DateTimeOffset.FromUnixTimeMilliseconds(row.Ts)), o.GetProperty("timestamp").GetString());
            Assert.Equal((fleet.DeviceId(row.Device), manufacturer, model, firmware),
                (o.GetProperty("device_id").GetString(), o.GetProperty("manufacturer").GetString(), o.GetProperty("model").GetString(), o.GetProperty("firmware").GetString()));
            foreach (int s in present)
            {
                Assert.Equal(decimal.Parse(EncoderTestKit.Fixed(row.Cells[s].Value, fleet.Precision[s]), CultureInfo.InvariantCulture),
                    o.GetProperty(fleet.Sensors[s].Name).GetDecimal());
            }
            var labels = row.Labels.ToList();
            Assert.Equal(labels.Count == 0 ? 0 : 1, o.GetProperty("anomaly_flag").GetInt32());
            JsonElement type = o.GetProperty("anomaly_type");
            if (labels.Count == 0) Assert.Equal(JsonValueKind.Null, type.ValueKind);
            else Assert.Equal(EncoderTestKit.Label(labels[0].Kind), type.GetString());
            Assert.Equal(labels.Select(l => (fleet.Sensors[l.Sensor].Name, EncoderTestKit.Label(l.Kind))),
                o.GetProperty("anomalies").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)));
        }
    }

    [Theory]
    [InlineData("device_id")]
    [InlineData("anomalies")]
    [InlineData("temperature")]
    public void WideShape_SensorNamedLikeAFixedColumnOrAnotherSensor_IsRefused(string name)
    {
        var scenario = new Scenario
        {
            Industries = ["environmental"],
            Shape = OutputShape.Wide,
            CustomSensors = [new SensorDefinition { Name = name, Type = SensorType.Level, Unit = "m", Min = 0, Max = 10, Nominal = 5 }],
        };
        var error = Assert.Throws<ConfigException>(() => Fleet.Build(scenario));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(name == "temperature" ? "used twice" : "fixed column of the wide shape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_CustomSensors_NegativeAndPrecisionZero_QuotedHeader()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Awkward() with
        {
            // Identities outside the catalog have no anomaly factor, so anomalies are off here.
            Device = new DeviceOptions { Manufacturer = "Acme, Inc.", Model = "Cold \"9\"", Firmware = "1.0" },
            Anomalies = new AnomalyOptions { Enabled = false },
            Shape = OutputShape.Wide,
        }, WideEncoder.Csv);
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", "freezer_temp", "door \"A\" count", "offset\\mm", "anomaly_flag", "anomaly_type", "anomalies"], records[0]);
        Assert.StartsWith("timestamp,device_id,manufacturer,model,firmware,freezer_temp,\"door \"\"A\"\" count\",offset\\mm,", run.Text);
        Assert.Equal(ExpectedRows(run).Count, records.Count - 1);
        Assert.All(records.Skip(1), f => Assert.Equal(["Acme, Inc.", "Cold \"9\"", "1.0"], f[2..5]));
        Assert.Contains(",\"Acme, Inc.\",\"Cold \"\"9\"\"\",1.0,", run.Text);
        Assert.Contains(records.Skip(1), f => f[5].StartsWith("-0.", StringComparison.Ordinal));
        Assert.Contains(records.Skip(1), f => f[6].StartsWith('-') && !f[6].Contains('.', StringComparison.Ordinal));
        // One row per device per second; the 2 s sensor is empty every other second.
        Assert.Equal(30 * 4, records.Count - 1);
        Assert.Equal(15 * 4, records.Skip(1).Count(f => f[7] == ""));
    }
}
