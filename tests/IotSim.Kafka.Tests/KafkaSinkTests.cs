using System.Text.Json;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Kafka.Tests;

/// <summary>The kafka sink against librdkafka's mock cluster: a consumer reads back every message.</summary>
public sealed class KafkaSinkTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private static Scenario Mining() => new()
    {
        Seed = 21,
        Industries = ["mining"],
        Devices = 10,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(60),
        Anomalies = new AnomalyOptions { ProbabilityScale = 20 },
    };

    private List<(string Key, string Value)> ConsumeAll(string topic, long expected) =>
        [.. TopicReader.ReadAll(_cluster.Bootstraps, topic, ms => ms.Count >= expected)
            .Select(m => (m.Key is null ? "" : System.Text.Encoding.UTF8.GetString(m.Key), System.Text.Encoding.UTF8.GetString(m.Value)))];

    [Fact]
    public async Task Json_EveryReadingIsOneMessage_KeyedByDevice_ReadBackWhole()
    {
        _cluster.CreateTopic("plant.mining", 8);
        var readings = new List<Reading>();
        var sim = new Simulator(Mining());
        sim.AddSink(new CallbackSink(r => readings.AddRange(r)));
        sim.AddSink(new KafkaSink(new KafkaSinkOptions
        {
            Brokers = _cluster.Bootstraps,
            Topic = "plant.{industry}",
            Properties = new Dictionary<string, string> { ["acks"] = "all", ["linger.ms"] = "5", ["enable.idempotence"] = "true" },
        }));
        RunReport report = await sim.RunAsync();
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        var messages = ConsumeAll("plant.mining", report.Generated);
        Assert.Equal(report.Generated, messages.Count);
        var expected = readings.Select(r => $"{r.Timestamp.ToUnixTimeMilliseconds()}|{r.DeviceId}|{r.Sensor}|{r.Anomaly}").Order(StringComparer.Ordinal).ToList();
        var actual = messages.Select(m =>
        {
            using var doc = JsonDocument.Parse(m.Value);
            JsonElement o = doc.RootElement;
            Assert.Equal(o.GetProperty("device_id").GetString(), m.Key);
            string anomaly = o.GetProperty("anomaly").ValueKind == JsonValueKind.Null ? "None" : AnomalyKindName(o.GetProperty("anomaly").GetString()!);
            return $"{DateTimeOffset.Parse(o.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()}|{m.Key}|{o.GetProperty("sensor").GetString()}|{anomaly}";
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task BrokersDownAndUp_WithIdempotence_NothingLostOrDuplicated()
    {
        _cluster.CreateTopic("outage", 6);
        Task? restore = null;
        int batches = 0;
        var sim = new Simulator(Mining() with { BatchSize = 1000 });
        sim.AddSink(new CallbackSink((_, _) =>
        {
            if (++batches == 3)
            {
                for (int b = 1; b <= 3; b++) _cluster.SetBroker(b, up: false);
                restore = Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(_ =>
                {
                    for (int b = 1; b <= 3; b++) _cluster.SetBroker(b, up: true);
                }, TaskScheduler.Default);
            }
            return ValueTask.CompletedTask;
        }), new SinkOptions { Type = "api", QueueCapacity = 1 });
        sim.AddSink(new KafkaSink(new KafkaSinkOptions
        {
            Brokers = _cluster.Bootstraps,
            Topic = "outage",
            Properties = new Dictionary<string, string> { ["enable.idempotence"] = "true", ["acks"] = "all", ["message.timeout.ms"] = "60000" },
        }));
        RunReport report = await sim.RunAsync();
        if (restore is not null) await restore;
        Assert.NotNull(restore);
        // Nothing could be acknowledged while every broker was down: the run waited for them to come back.
        Assert.True(report.Wall >= TimeSpan.FromSeconds(1.5), $"{report.Wall}");
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        var messages = ConsumeAll("outage", report.Generated);
        Assert.Equal(report.Generated, messages.Count);
        Assert.Equal(messages.Count, messages.Select(m => m.Value).Distinct().Count());
    }

    private static string AnomalyKindName(string label) => AnomalyKinds.TryParse(label, out AnomalyKind kind) ? kind.ToString() : label;

    [Fact]
    public async Task AnInvalidProperty_StopsTheRunBeforeGenerating_WithLibrdkafkasMessage()
    {
        var sink = new KafkaSink(new KafkaSinkOptions { Brokers = _cluster.Bootstraps, Properties = new Dictionary<string, string> { ["acks"] = "sometimes" } });
        var e = await Assert.ThrowsAsync<ConfigException>(() => new Simulator(Mining()).AddSink(sink).RunAsync());
        Assert.Contains("acks", e.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka refuses the configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableBroker_FailsEveryReading_WithTheReason()
    {
        var sink = new KafkaSink(new KafkaSinkOptions { Brokers = "127.0.0.1:1", Properties = new Dictionary<string, string> { ["message.timeout.ms"] = "1500" } });
        RunReport report = await new Simulator(Mining() with { Duration = TimeSpan.FromSeconds(3) }).AddSink(sink).RunAsync();
        Assert.NotNull(report.Sinks[0].Error);
        Assert.Equal(0, report.Sinks[0].Delivered);
        Assert.Equal(report.Generated, report.Sinks[0].Failed);
    }
}
