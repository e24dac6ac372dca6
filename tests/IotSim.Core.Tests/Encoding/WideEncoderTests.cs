using System.Globalization;
using System.Text.Json;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Encoders;

[Collection(SerialTestCollection.Name)]
public sealed class WideEncoderTests
{
    /// <summary>One expected wide row: the readings of one device at one tick of one interval group.</summary>
    private sealed record Row(long Ts, int Group, int Device, Dictionary<string, Reading> Cells, AnomalyKind FirstKind);

    /// <summary>
    /// Expected rows in output order (timestamp, group, device), built from the callback readings; every
    /// (tick, device) of every group has a row, even when all its readings were omitted.
    /// </summary>
    private static List<Row> ExpectedRows(EncodedRun run)
    {
        Fleet fleet = run.Fleet;
        var groupOf = new Dictionary<string, int>();
        for (int g = 0; g < fleet.Groups.Count; g++)
        {
            foreach (int s in fleet.Groups[g].SensorIndices) groupOf[fleet.Sensors[s].Name] = g;
        }
        var rows = new Dictionary<(long, int, int), Row>();
        long start = fleet.Start.ToUnixTimeMilliseconds();
        for (int g = 0; g < fleet.Groups.Count; g++)
        {
            for (long t = 0; t < fleet.Groups[g].TickCount; t++)
            {
                for (int d = fleet.FirstDevice; d < fleet.EndDevice; d++)
                {
                    long ts = start + t * fleet.Groups[g].IntervalMs;
                    rows[(ts, g, d)] = new Row(ts, g, d, [], AnomalyKind.None);
                }
            }
        }
        foreach (Reading r in run.Readings)
        {
            var key = (r.Timestamp.ToUnixTimeMilliseconds(), groupOf[r.Sensor], r.Device);
            Row row = rows[key];
            row.Cells.Add(r.Sensor, r);
            if (row.FirstKind == AnomalyKind.None && r.Anomaly != AnomalyKind.None) rows[key] = row with { FirstKind = r.Anomaly };
        }
        return [.. rows.Values.OrderBy(r => r.Ts).ThenBy(r => r.Group).ThenBy(r => r.Device)];
    }

    [Fact]
    public async Task Csv_Mining_OneRowPerDeviceAndGroupTick_WithEveryCell()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(devices: 4, seconds: 60, anomalyScale: 200), WideEncoder.Csv);
        Fleet fleet = run.Fleet;
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        string[] names = [.. fleet.Sensors.Select(s => s.Name)];
        Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", .. names, "anomaly_flag", "anomaly_type"], records[0]);
        List<Row> expected = ExpectedRows(run);
        Assert.Equal(fleet.Groups.Sum(g => g.TickCount * 4), expected.Count);
        Assert.Equal(expected.Count, records.Count - 1);
        Assert.Contains(expected, r => r.FirstKind != AnomalyKind.None);
        Assert.Contains(expected, r => r.Cells.Count < fleet.Groups[r.Group].SensorsPerDevice);
        for (int i = 0; i < expected.Count; i++)
        {
            Row row = expected[i];
            string[] f = records[i + 1];
            Assert.Equal(names.Length + 7, f.Length);
            var (manufacturer, model, firmware) = fleet.DeviceIdentity(row.Device);
            Assert.Equal([EncoderTestKit.Iso(DateTimeOffset.FromUnixTimeMilliseconds(row.Ts)), fleet.DeviceId(row.Device), manufacturer, model, firmware], f[..5]);
            for (int s = 0; s < names.Length; s++)
            {
                string cell = row.Cells.TryGetValue(names[s], out Reading r) ? EncoderTestKit.Fixed(r.Value, fleet.Precision[s]) : "";
                Assert.Equal(cell, f[5 + s]);
            }
            Assert.Equal(row.FirstKind == AnomalyKind.None ? "0" : "1", f[^2]);
            Assert.Equal(EncoderTestKit.Label(row.FirstKind), f[^1]);
        }
    }

    [Fact]
    public async Task JsonLines_Mining_ObjectsHoldPresentSensorsOnly()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(devices: 4, seconds: 60, anomalyScale: 200), WideEncoder.JsonLines);
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
            string[] sensorKeys = [.. fleet.Sensors.Select(s => s.Name).Where(row.Cells.ContainsKey)];
            Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", .. sensorKeys, "anomaly_flag", "anomaly_type"],
                o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(EncoderTestKit.Iso(DateTimeOffset.FromUnixTimeMilliseconds(row.Ts)), o.GetProperty("timestamp").GetString());
            Assert.Equal((fleet.DeviceId(row.Device), manufacturer, model, firmware),
                (o.GetProperty("device_id").GetString(), o.GetProperty("manufacturer").GetString(), o.GetProperty("model").GetString(), o.GetProperty("firmware").GetString()));
            foreach (string key in sensorKeys)
            {
                int precision = fleet.Precision[fleet.Sensors.ToList().FindIndex(s => s.Name == key)];
                Assert.Equal(decimal.Parse(EncoderTestKit.Fixed(row.Cells[key].Value, precision), CultureInfo.InvariantCulture), o.GetProperty(key).GetDecimal());
            }
            Assert.Equal(row.FirstKind == AnomalyKind.None ? 0 : 1, o.GetProperty("anomaly_flag").GetInt32());
            JsonElement type = o.GetProperty("anomaly_type");
            if (row.FirstKind == AnomalyKind.None) Assert.Equal(JsonValueKind.Null, type.ValueKind);
            else Assert.Equal(EncoderTestKit.Label(row.FirstKind), type.GetString());
        }
    }

    [Fact]
    public async Task Csv_CustomSensors_NegativeAndPrecisionZero_QuotedHeader()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Awkward() with
        {
            // Identities outside the catalog have no anomaly factor, so anomalies are off here.
            Device = new DeviceOptions { Manufacturer = "Acme, Inc.", Model = "Cold \"9\"", Firmware = "1.0" },
            Anomalies = new AnomalyOptions { Enabled = false },
        }, WideEncoder.Csv);
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        Assert.Equal(["timestamp", "device_id", "manufacturer", "model", "firmware", "freezer_temp", "door \"A\" count", "offset\\mm", "anomaly_flag", "anomaly_type"], records[0]);
        Assert.StartsWith("timestamp,device_id,manufacturer,model,firmware,freezer_temp,\"door \"\"A\"\" count\",offset\\mm,", run.Text);
        Assert.Equal(ExpectedRows(run).Count, records.Count - 1);
        Assert.All(records.Skip(1), f => Assert.Equal(["Acme, Inc.", "Cold \"9\"", "1.0"], f[2..5]));
        Assert.Contains(",\"Acme, Inc.\",\"Cold \"\"9\"\"\",1.0,", run.Text);
        Assert.Contains(records.Skip(1), f => f[5].StartsWith("-0.", StringComparison.Ordinal));
        Assert.Contains(records.Skip(1), f => f[6].StartsWith('-') && !f[6].Contains('.', StringComparison.Ordinal));
        // The 2 s sensor has its own rows, with the 1 s columns empty.
        Assert.Contains(records.Skip(1), f => f[5] == "" && f[6] == "" && f[7] != "");
    }
}
