using System.Globalization;
using System.Text.Json;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Encoders;

[Collection(SerialTestCollection.Name)]
public sealed class NarrowEncoderTests
{
    private static void AssertCsvMatches(EncodedRun run)
    {
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        Assert.Equal(["timestamp", "device_id", "industry", "sensor", "value", "unit", "status_code", "anomaly"], records[0]);
        Assert.Equal(run.Report.Generated, records.Count - 1);
        for (int i = 0; i < run.Readings.Count; i++)
        {
            Reading r = run.Readings[i];
            string[] f = records[i + 1];
            int precision = EncoderTestKit.PrecisionOf(run.Fleet, r.Industry, r.Sensor);
            Assert.Equal(
                [EncoderTestKit.Iso(r.Timestamp), r.DeviceId, r.Industry, r.Sensor, EncoderTestKit.Fixed(r.Value, precision), r.Unit, r.Anomaly == AnomalyKind.None ? "0" : "1", EncoderTestKit.Label(r.Anomaly)],
                f);
            Assert.Equal(Math.Round((decimal)(double)r.Value, precision), decimal.Parse(f[4], CultureInfo.InvariantCulture));
        }
    }

    private static void AssertJsonMatches(EncodedRun run)
    {
        string[] lines = EncoderTestKit.Lines(run.Text);
        Assert.Equal(run.Report.Generated, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Reading r = run.Readings[i];
            using var doc = JsonDocument.Parse(lines[i]);
            JsonElement o = doc.RootElement;
            Assert.Equal(["timestamp", "device_id", "industry", "sensor", "value", "unit", "status_code", "anomaly"], o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(EncoderTestKit.Iso(r.Timestamp), o.GetProperty("timestamp").GetString());
            Assert.Equal(r.DeviceId, o.GetProperty("device_id").GetString());
            Assert.Equal(r.Industry, o.GetProperty("industry").GetString());
            Assert.Equal(r.Sensor, o.GetProperty("sensor").GetString());
            int precision = EncoderTestKit.PrecisionOf(run.Fleet, r.Industry, r.Sensor);
            Assert.Equal(decimal.Parse(EncoderTestKit.Fixed(r.Value, precision), CultureInfo.InvariantCulture), o.GetProperty("value").GetDecimal());
            Assert.Equal(r.Unit, o.GetProperty("unit").GetString());
            Assert.Equal(r.Anomaly == AnomalyKind.None ? 0 : 1, o.GetProperty("status_code").GetInt32());
            JsonElement anomaly = o.GetProperty("anomaly");
            if (r.Anomaly == AnomalyKind.None) Assert.Equal(JsonValueKind.Null, anomaly.ValueKind);
            else Assert.Equal(EncoderTestKit.Label(r.Anomaly), anomaly.GetString());
        }
    }

    [Fact]
    public async Task Csv_Mining_EveryRowEqualsTheCallbackReading()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(), NarrowEncoder.Csv);
        Assert.True(run.Fleet.Groups.Count > 1);
        AssertCsvMatches(run);
        Assert.StartsWith("timestamp,device_id,industry,sensor,value,unit,status_code,anomaly\n2026-01-01T00:00:00.000Z,dev-000000,mining,crusher_1_motor_power,", run.Text);
    }

    [Fact]
    public async Task Csv_ManyAnomalies_LabelsAppearInRows()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(devices: 10, seconds: 60, anomalyScale: 200), NarrowEncoder.Csv);
        AssertCsvMatches(run);
        Assert.True(run.Report.Omitted > 0);
        List<string[]> rows = EncoderTestKit.ParseCsv(run.Text);
        var labels = rows.Skip(1).Select(f => f[7]).Where(l => l.Length > 0).ToHashSet();
        Assert.True(labels.Count >= 3, string.Join(",", labels));
        Assert.Subset(AnomalyKinds.Names.ToHashSet(), labels);
    }

    [Fact]
    public async Task Csv_NegativeValuesPrecisionZeroAndQuotedTexts_RoundTrip()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Awkward(), NarrowEncoder.Csv);
        AssertCsvMatches(run);
        Assert.Contains(run.Readings, r => r.Value < 0 && r.Value > -1 && r.Sensor == "freezer_temp");
        Assert.Contains(run.Readings, r => r.Value < 0 && r.Sensor.StartsWith("door", StringComparison.Ordinal));
        Assert.Contains("\"cold,chain\",\"door \"\"A\"\" count\",", run.Text);
        Assert.Contains(",\"mm,abs\",", run.Text);
        Assert.All(EncoderTestKit.ParseCsv(run.Text).Where(f => f[3] == "door \"A\" count"), f => Assert.DoesNotContain('.', f[4]));
    }

    [Fact]
    public async Task JsonLines_Mining_EveryObjectEqualsTheCallbackReading()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(anomalyScale: 200), NarrowEncoder.JsonLines);
        AssertJsonMatches(run);
        Assert.Contains(run.Readings, r => r.Anomaly != AnomalyKind.None);
        Assert.StartsWith("{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"device_id\":\"dev-000000\",\"industry\":\"mining\",\"sensor\":\"crusher_1_motor_power\",\"value\":", run.Text);
    }

    [Fact]
    public async Task JsonLines_EscapedTextsAndNegativeValues_RoundTrip()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Awkward(), NarrowEncoder.JsonLines);
        AssertJsonMatches(run);
        Assert.Contains("\"sensor\":\"door \\\"A\\\" count\"", run.Text);
        Assert.Contains("\"sensor\":\"offset\\\\mm\"", run.Text);
    }

    [Fact]
    public async Task Text_Mining_OneAlignedLinePerReading()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(EncoderTestKit.Mining(anomalyScale: 200), NarrowEncoder.Text);
        string[] lines = EncoderTestKit.Lines(run.Text);
        Assert.Equal(run.Report.Generated, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Reading r = run.Readings[i];
            var def = run.Fleet.Sensors.Single(s => s.Name == r.Sensor);
            string expected = $"{EncoderTestKit.Iso(r.Timestamp)} {r.DeviceId} [{r.Industry}/{r.Sensor}] {EncoderTestKit.Fixed(r.Value, def.Precision),10} {r.Unit} ({Catalog.SensorTypes.ToName(def.Type)})"
                + (r.Anomaly == AnomalyKind.None ? "" : " ANOMALY=" + EncoderTestKit.Label(r.Anomaly));
            Assert.Equal(expected, lines[i]);
        }
        Assert.Matches(@"^2026-01-01T00:00:00\.000Z dev-000000 \[mining/crusher_1_motor_power\] +\d+\.\d kW \(power\)$", lines[0]);
        Assert.Contains(lines, l => l.Contains(" ANOMALY=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_DeviceIdPrefixWithComma_IsQuoted_AndLongIndicesKeepAllDigits()
    {
        Scenario scenario = EncoderTestKit.Mining(seconds: 1) with { Device = new DeviceOptions { IdPrefix = "plant,7" } };
        EncodedRun run = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        AssertCsvMatches(run);
        Assert.Contains(",\"plant,7-000002\",", run.Text);
        var fleet = IotSim.Core.Simulation.Fleet.Build(scenario with { Devices = 1_234_567 });
        Assert.Equal("plant,7-1234566", fleet.DeviceId(1_234_566));
    }

    [Fact]
    public void EncodeDevices_RangeNotOnDeviceBoundary_Throws()
    {
        var batch = EncoderTestKit.Batch(EncoderTestKit.Mining(), 4096);
        var encoder = NarrowEncoder.Csv(batch.Fleet);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.EncodeDevices(batch, batch.Segments[0], 1, 3, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.EncodeDevices(batch, batch.Segments[0], 0, batch.Segments[0].ChannelCount + 1, output));
    }

    [Fact]
    public void EncodeDevices_ChunksConcatenated_EqualWholeSegment()
    {
        var batch = EncoderTestKit.Batch(EncoderTestKit.Mining(devices: 20, anomalyScale: 200), 1 << 16);
        var encoder = NarrowEncoder.JsonLines(batch.Fleet);
        var whole = new System.Buffers.ArrayBufferWriter<byte>();
        var parts = new System.Buffers.ArrayBufferWriter<byte>();
        encoder.Encode(batch, whole);
        foreach (var segment in batch.Segments)
        {
            int perDevice = batch.Fleet.Groups[segment.Group].SensorsPerDevice;
            for (int from = 0; from < segment.ChannelCount; from += 3 * perDevice)
            {
                encoder.EncodeDevices(batch, segment, from, Math.Min(3 * perDevice, segment.ChannelCount - from), parts);
            }
        }
        Assert.True(whole.WrittenCount > 0);
        Assert.True(whole.WrittenSpan.SequenceEqual(parts.WrittenSpan));
    }
}
