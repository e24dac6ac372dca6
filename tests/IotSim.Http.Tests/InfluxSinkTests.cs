using System.Globalization;
using System.Text.Json;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Http.Tests;

/// <summary>The influx sink against real InfluxDB 1.x and VictoriaMetrics servers: every point read back equals the engine's reading.</summary>
public sealed class InfluxSinkTests(InfluxServer influx, VictoriaServer victoria) : IClassFixture<InfluxServer>, IClassFixture<VictoriaServer>
{
    private static Scenario Mining(int devices = 8, int seconds = 60) => new()
    {
        Seed = 6,
        Industries = ["mining"],
        Devices = devices,
        Start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        BatchSize = 3000,
        Anomalies = new AnomalyOptions { ProbabilityScale = 30 },
    };

    /// <summary>(time ms, device, sensor) → (value as reported, label).</summary>
    private static async Task<(RunReport Report, Dictionary<(long, string, string), (double Value, string Label)> Expected)> RunAsync(
        Scenario scenario, InfluxSinkOptions options, SinkOptions? flow = null)
    {
        var expected = new Dictionary<(long, string, string), (double, string)>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(readings =>
        {
            Fleet fleet = sim.Fleet!;
            foreach (Reading r in readings)
            {
                int precision = fleet.Precision[fleet.Sensors.ToList().FindIndex(s => s.Name == r.Sensor)];
                expected.Add((r.Timestamp.ToUnixTimeMilliseconds(), r.DeviceId, r.Sensor),
                    (float.IsNaN(r.Value) ? double.NaN : Math.Round(r.Value, precision), r.Anomaly == AnomalyKind.None ? "" : AnomalyKinds.ToName(r.Anomaly)));
            }
        }));
        sim.AddSink(new InfluxSink(options), flow ?? new SinkOptions { Type = "influx" });
        return (await sim.RunAsync(), expected);
    }

    private InfluxSinkOptions Influx(string database) => new() { Url = influx.Url, Database = database, ReadingsPerRequest = 1000 };

    [Fact]
    public async Task InfluxDB_EveryPointReadBack_EqualsTheEngine()
    {
        var (report, expected) = await RunAsync(Mining(), Influx("narrow"), new SinkOptions { Type = "influx", Parallelism = 3 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        JsonElement answer = await influx.QueryAsync("narrow", "SELECT value, anomaly, device_id, sensor FROM mining");
        JsonElement series = answer.GetProperty("results")[0].GetProperty("series")[0];
        var actual = new Dictionary<(long, string, string), (double, string)>();
        foreach (JsonElement v in series.GetProperty("values").EnumerateArray())
        {
            long ms = DateTimeOffset.Parse(v[0].GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            actual.Add((ms, v[3].GetString()!, v[4].GetString()!), (v[1].GetDouble(), v[2].ValueKind == JsonValueKind.Null ? "" : v[2].GetString()!));
        }
        Assert.Equal(expected.Count, actual.Count);
        Assert.Contains(expected.Values, e => e.Label.Length > 0);
        foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
    }

    [Fact]
    public async Task VictoriaMetrics_EverySeriesReadBack_EqualsTheEngine_Gzipped()
    {
        var (report, expected) = await RunAsync(Mining(devices: 6), new InfluxSinkOptions { Url = victoria.Url, Flavor = InfluxFlavor.VictoriaMetrics, Gzip = true, Precision = "ms" });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        var actual = new Dictionary<(long, string, string), double>();
        foreach (var (labels, values, timestamps) in await victoria.ExportAsync("{__name__=\"mining_value\"}"))
        {
            for (int i = 0; i < values.Length; i++) actual.Add((timestamps[i], labels["device_id"], labels["sensor"]), values[i]);
        }
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (key, value) in expected) Assert.Equal(value.Value, actual[key]);
    }

    [Fact]
    public async Task HostileTagValues_AreEscaped_AndReadBackAsWritten()
    {
        const string hostile = "Hostile, Town=1 a\\b \"Q\" ü";
        var identities = IdentityFile.Parse($$"""[{"location":{{JsonSerializer.Serialize(hostile)}},"latitude":10.5,"longitude":20.25,"timezone":"UTC"}]""", "ids.json");
        Scenario scenario = Mining(devices: 1, seconds: 5) with { Device = new DeviceOptions { Identities = identities }, DeviceFields = ["location"] };
        var (report, expected) = await RunAsync(scenario, Influx("hostile"));
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        JsonElement tags = await influx.QueryAsync("hostile", "SHOW TAG VALUES FROM mining WITH KEY = \"location\"");
        Assert.Equal(hostile, tags.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetString());
        JsonElement count = await influx.QueryAsync("hostile", "SELECT count(value) FROM mining");
        Assert.Equal(expected.Count, count.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt32());
    }

    [Fact]
    public async Task Wide_OnePointPerDeviceAndTimestamp_WithAFieldPerSensor()
    {
        Scenario scenario = Mining(devices: 4, seconds: 30) with { Shape = OutputShape.Wide };
        var (report, expected) = await RunAsync(scenario, Influx("wide"));
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        JsonElement rows = await influx.QueryAsync("wide", "SELECT count(crusher_1_motor_power) FROM mining");
        Assert.Equal(4 * 30, rows.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt32());
        JsonElement sum = await influx.QueryAsync("wide", "SELECT sum(sag_mill_1_speed) FROM mining");
        double expectedSum = expected.Where(e => e.Key.Item3 == "sag_mill_1_speed").Sum(e => e.Value.Value);
        Assert.Equal(expectedSum, sum.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetDouble(), 6);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
    }

    [Fact]
    public async Task TypeConflict_FailsAtOnce_WithTheServersMessage()
    {
        // A string value first makes 'value' a string field; IotSim's float points then conflict (HTTP 400).
        using (var content = new StringContent("mining,device_id=x,sensor=y,industry=mining value=\"text\" 1769904000000000000"))
        {
            await influx.QueryAsync("conflict", "CREATE DATABASE conflict");
            using HttpResponseMessage r = await influx.Http.PostAsync(new Uri(influx.Url, "write?db=conflict"), content);
            Assert.True(r.IsSuccessStatusCode);
        }
        var (report, _) = await RunAsync(Mining(devices: 2, seconds: 5), Influx("conflict"), new SinkOptions { Type = "influx", Retries = 5 });
        SinkReport sink = report.Sinks[1];
        Assert.Contains("not retried", sink.Error, StringComparison.Ordinal);
        Assert.Contains("field type conflict", sink.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.Delivered);
        Assert.Equal(report.Generated, sink.Failed);
    }

    [Fact]
    public async Task UnreachableServer_IsAClearError()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => RunAsync(Mining(devices: 1, seconds: 2), new InfluxSinkOptions { Url = new Uri("http://127.0.0.1:1/"), Timeout = TimeSpan.FromSeconds(2) }));
        Assert.Contains("cannot reach http://127.0.0.1:1", e.Message, StringComparison.Ordinal);
    }
}
