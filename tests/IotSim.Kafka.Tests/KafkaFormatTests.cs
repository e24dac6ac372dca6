using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Kafka.Tests;

/// <summary>The device-json and columnar formats, keys and headers, read back from librdkafka's mock cluster.</summary>
public sealed class KafkaFormatTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private static Scenario Fleet(params string[] industries) => new()
    {
        Seed = 5,
        Industries = industries,
        Devices = 12,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(40),
        Anomalies = new AnomalyOptions { ProbabilityScale = 30 },
        BatchSize = 2000,
    };

    private List<Message<byte[]?, byte[]>> Consume(string topic, Func<List<Message<byte[]?, byte[]>>, bool> done) => TopicReader.ReadAll(_cluster.Bootstraps, topic, done);

    private static string Header(Message<byte[]?, byte[]> m, string name) =>
        m.Headers?.TryGetLastBytes(name, out byte[] v) == true ? Encoding.UTF8.GetString(v) : "(missing)";

    private static async Task<(RunReport Report, List<Reading> Readings)> Run(Scenario scenario, KafkaSinkOptions options)
    {
        var readings = new List<Reading>();
        RunReport report = await new Simulator(scenario).AddSink(new CallbackSink(r => readings.AddRange(r))).AddSink(new KafkaSink(options)).RunAsync();
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        Assert.Equal(0, report.Sinks[1].Failed);
        return (report, readings);
    }

    private static string Row(long ms, string device, string sensor, string anomaly) => $"{ms}|{device}|{sensor}|{anomaly}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Columnar_FramesHoldExactlyTheEnginesReadings(bool lz4)
    {
        string topic = "frames-" + lz4;
        _cluster.CreateTopic(topic, 4);
        var (report, readings) = await Run(Fleet("mining"), new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = topic, Format = "columnar", FrameReadings = 700, FrameLz4 = lz4 });
        var frames = Consume(topic, ms => ms.Sum(m => ColumnarFrame.Read(m.Value).Value.Length) >= report.Generated);
        var decoded = frames.Select(m => ColumnarFrame.Read(m.Value)).ToList();
        Assert.All(frames, m => Assert.Null(m.Key));
        Assert.All(decoded, f => Assert.InRange(f.Value.Length, 1, 700));
        // The codec byte says what the body is: LZ4 when asked for (the columns compress well), raw otherwise.
        Assert.All(frames, m => Assert.Equal(lz4 ? 1 : 0, m.Value[5]));
        var expected = readings.Select(r => Row(r.Timestamp.ToUnixTimeMilliseconds(), r.DeviceId, r.Sensor, AnomalyKinds.ToName(r.Anomaly)) + "|" + BitConverter.SingleToInt32Bits(r.Value)).Order(StringComparer.Ordinal).ToList();
        var actual = decoded.SelectMany(f => Enumerable.Range(0, f.Value.Length).Select(i => Row(f.TimestampMs[i], f.DeviceId[i], f.Sensor[i], f.Anomaly[i]) + "|" + BitConverter.SingleToInt32Bits(f.Value[i]))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Contains(readings, r => r.Anomaly != AnomalyKind.None);
        // Headers name the run.
        Assert.All(frames, m =>
        {
            Assert.Equal("5", Header(m, "iotsim.seed"));
            Assert.Equal("0/1", Header(m, "iotsim.shard"));
            Assert.Equal("scenario", Header(m, "iotsim.scenario"));
        });
    }

    [Fact]
    public async Task Columnar_WithATopicPerIndustry_SplitsFramesByTheReadingsIndustry()
    {
        _cluster.CreateTopic("plant.mining", 2);
        _cluster.CreateTopic("plant.utilities", 2);
        var (report, readings) = await Run(Fleet("mining", "utilities"), new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "plant.{industry}", Format = "columnar" });
        foreach (string industry in new[] { "mining", "utilities" })
        {
            var mine = readings.Where(r => r.Industry == industry).ToList();
            var frames = Consume("plant." + industry, ms => ms.Sum(m => ColumnarFrame.Read(m.Value).Value.Length) >= mine.Count);
            var sensors = frames.SelectMany(m => ColumnarFrame.Read(m.Value).Sensor).ToList();
            Assert.Equal(mine.Count, sensors.Count);
            Assert.Equal(mine.Select(r => r.Sensor).Distinct().Order(StringComparer.Ordinal), sensors.Distinct().Order(StringComparer.Ordinal));
        }
        Assert.Equal(report.Generated, readings.Count);
    }

    [Fact]
    public async Task DeviceJson_OneMessagePerDeviceAndTimestamp_WithEverySensorDue()
    {
        _cluster.CreateTopic("rows", 6);
        Scenario scenario = Fleet("mining");
        var (report, readings) = await Run(scenario, new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "rows", Format = "device-json" });
        var expectedRows = readings.GroupBy(r => (r.Timestamp, r.DeviceId)).ToList();
        var messages = Consume("rows", ms => ms.Count >= expectedRows.Count);
        Assert.Equal(expectedRows.Count, messages.Count);
        var expected = readings.Select(r => Row(r.Timestamp.ToUnixTimeMilliseconds(), r.DeviceId, r.Sensor, "")).Order(StringComparer.Ordinal).ToList();
        var actual = new List<string>();
        var sensorNames = Core.Simulation.Fleet.Build(scenario).Sensors.Select(s => s.Name).ToHashSet();
        foreach (var m in messages)
        {
            using var doc = JsonDocument.Parse(m.Value);
            JsonElement o = doc.RootElement;
            string device = o.GetProperty("device_id").GetString()!;
            Assert.Equal(device, Encoding.UTF8.GetString(m.Key!));
            Assert.Equal("5", Header(m, "iotsim.seed"));
            long ms = DateTimeOffset.Parse(o.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            foreach (JsonProperty p in o.EnumerateObject().Where(p => sensorNames.Contains(p.Name)))
            {
                actual.Add(Row(ms, device, p.Name, ""));
            }
        }
        actual.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.True(report.Generated > expectedRows.Count * 5, "rows hold several sensors each");
    }

    [Fact]
    public async Task DeviceJson_WithLateAndDuplicatedMessages_CountsEveryReadingOfEveryRow()
    {
        _cluster.CreateTopic("dirty", 4);
        Scenario scenario = Fleet("mining") with { Dirty = new DirtyOptions { Late = 0.05, Duplicates = 0.05, MaxDelay = TimeSpan.FromSeconds(5) } };
        var (report, readings) = await Run(scenario, new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "dirty", Format = "device-json", Key = "none" });
        // Rows in delivery order: a new (timestamp, device), or a sensor the current row already has (a duplicate
        // delivered right after its original), starts one.
        int rows = 0;
        (DateTimeOffset, string)? current = null;
        var sensors = new HashSet<string>();
        foreach (var r in readings)
        {
            if (current != (r.Timestamp, r.DeviceId) || !sensors.Add(r.Sensor))
            {
                rows++;
                current = (r.Timestamp, r.DeviceId);
                sensors = [r.Sensor];
            }
        }
        var messages = Consume("dirty", ms => ms.Count >= rows);
        Assert.All(messages, m => Assert.Null(m.Key));
        Assert.Equal(rows, messages.Count);
        Assert.True(readings.Count > readings.Select(r => (r.Timestamp, r.DeviceId, r.Sensor)).Distinct().Count(), "some readings were duplicated");
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
    }

    [Fact]
    public async Task Json_KeyedBySensor_WithHeadersOnRequest()
    {
        _cluster.CreateTopic("bysensor", 4);
        var (report, _) = await Run(Fleet("mining") with { Duration = TimeSpan.FromSeconds(5) }, new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "bysensor", Key = "sensor", Headers = true, Format = "csv" });
        var messages = Consume("bysensor", ms => ms.Count >= report.Generated);
        Assert.Equal(report.Generated, messages.Count);
        Assert.All(messages, m =>
        {
            string[] cells = Encoding.UTF8.GetString(m.Value).Split(',');
            Assert.Equal(cells[3], Encoding.UTF8.GetString(m.Key!));
            Assert.Equal("0/1", Header(m, "iotsim.shard"));
        });
    }

    [Fact]
    public async Task Csv_ACellWithANewline_StaysInOneMessage()
    {
        _cluster.CreateTopic("quoted", 2);
        var sensor = new Core.Catalog.SensorDefinition { Name = "level", Type = Core.Catalog.SensorType.Level, Unit = "m\nabove sea", Min = 0, Max = 100, Nominal = 50, NoiseStd = 1, DriftRate = 0, Precision = 1, Industry = "custom" };
        Scenario scenario = Fleet("mining") with { Industries = [], CustomSensors = [sensor], Devices = 3, Duration = TimeSpan.FromSeconds(10) };
        var (report, readings) = await Run(scenario, new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "quoted", Format = "csv" });
        var messages = Consume("quoted", ms => ms.Count >= report.Generated);
        Assert.Equal(report.Generated, messages.Count);
        Assert.All(messages, m =>
        {
            string text = Encoding.UTF8.GetString(m.Value);
            Assert.Contains("\"m\nabove sea\"", text, StringComparison.Ordinal);
            Assert.StartsWith(Encoding.UTF8.GetString(m.Key!), text.Split(',')[1], StringComparison.Ordinal);
        });
        Assert.Equal(readings.Count, messages.Count);
    }

    [Fact]
    public async Task Json_WithoutHeadersByDefault()
    {
        _cluster.CreateTopic("plain", 2);
        var (report, _) = await Run(Fleet("mining") with { Duration = TimeSpan.FromSeconds(3) }, new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "plain" });
        var messages = Consume("plain", ms => ms.Count >= report.Generated);
        Assert.Equal(report.Generated, messages.Count);
        Assert.All(messages, m => Assert.True(m.Headers is null || m.Headers.Count == 0));
    }

    [Fact]
    public async Task DeviceJson_WithSeveralIndustriesAndATopicPerIndustry_IsRefused()
    {
        var sink = new KafkaSink(new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Topic = "p.{industry}", Format = "device-json" });
        var e = await Assert.ThrowsAsync<ConfigException>(() => new Simulator(Fleet("mining", "utilities")).AddSink(sink).RunAsync());
        Assert.Contains("{industry}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("columnar", "device")]
    [InlineData("columnar", "sensor")]
    [InlineData("device-json", "sensor")]
    public void KeysAFormatCannotHave_AreRefused(string format, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => new KafkaSink(new KafkaSinkOptions { Brokers = "x", Format = format, Key = key }));
        Assert.Contains("key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedFrames_AreRefused()
    {
        Assert.Throws<InvalidDataException>(() => ColumnarFrame.Read("ISF0 and more bytes here"u8));
        Assert.Throws<InvalidDataException>(() => ColumnarFrame.Read("ISF1"u8));
        byte[] frame = new byte[ColumnarFrame.HeaderBytes + 4];
        BitConverter.TryWriteBytes(frame, ColumnarFrame.Magic);
        frame[4] = 1;
        BitConverter.TryWriteBytes(frame.AsSpan(8), 1); // one reading
        BitConverter.TryWriteBytes(frame.AsSpan(12), 4);
        BitConverter.TryWriteBytes(frame.AsSpan(16), 4);
        Assert.Throws<InvalidDataException>(() => ColumnarFrame.Read(frame)); // body ends before its columns
    }
}
