using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

/// <summary>Hot reload: new sensor parameters and anomaly settings from the next batch on; structural changes refused.</summary>
public sealed class ReloadTests
{
    private static Scenario Flat(double nominal) => new()
    {
        Industries = [],
        CustomSensors = [new SensorDefinition { Name = "level", Type = SensorType.Level, Unit = "m", Min = 0, Max = 100, Nominal = nominal, NoiseStd = 0, DriftRate = 0, Precision = 1 }],
        // A manufacturer outside the catalog has no calibration error: every reading is exactly the nominal.
        Device = new DeviceOptions { Manufacturer = "Acme", Model = "Gauge", Firmware = "1.0" },
        Devices = 3,
        Interval = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromMinutes(30),
        BatchSize = 30,
        Anomalies = new AnomalyOptions { Enabled = false },
    };

    [Fact]
    public async Task Reload_NewNominal_AppliesFromTheRecordedTimestamp_AndStructuralChangesAreRefused()
    {
        Simulator? sim = null;
        var values = new List<(long Ts, float Value)>();
        string? refused = null, accepted = "not tried";
        var sink = new CallbackSink((batch, _) =>
        {
            foreach (BatchSegment seg in batch.Segments)
            {
                for (int i = 0; i < seg.ChannelCount; i++) values.Add((seg.TimestampMs, batch.Values[seg.Offset + i]));
            }
            if (batch.Sequence == 20)
            {
                refused = sim!.TryReload(Flat(50) with { Devices = 4 });
                accepted = sim.TryReload(Flat(50));
            }
            return ValueTask.CompletedTask;
        });
        sim = new Simulator(Flat(10));
        // A small queue: the generator is at most a few batches ahead of the sink when the reload is asked for.
        RunReport report = await sim.AddSink(sink, new SinkOptions { Type = "api", QueueCapacity = 1 }).RunAsync();
        Assert.True(report.Succeeded);
        Assert.Contains("fleet.devices cannot change while running", refused, StringComparison.Ordinal);
        Assert.Null(accepted);
        ReloadRecord reload = Assert.Single(report.Reloads);
        long from = reload.EffectiveFrom.ToUnixTimeMilliseconds();
        Assert.All(values.Where(v => v.Ts < from), v => Assert.Equal(10f, v.Value));
        Assert.All(values.Where(v => v.Ts >= from), v => Assert.Equal(50f, v.Value));
        Assert.InRange(values.Count(v => v.Ts >= from), 1, values.Count - 21 * 30);
    }

    [Fact]
    public async Task Reload_AnomalySettings_TakeEffect_AndAnInvalidScenarioIsRefusedWithItsReason()
    {
        Simulator? sim = null;
        string? invalid = null, accepted = "not tried";
        var flags = new List<(long Ts, byte Flag)>();
        Scenario noisy = Flat(40) with { Anomalies = TestAnomalies.Dense(500) };
        var sink = new CallbackSink((batch, _) =>
        {
            if (batch.Sequence == 5)
            {
                invalid = sim!.TryReload(noisy with { Anomalies = new AnomalyOptions { ProbabilityScale = -1 } });
                accepted = sim.TryReload(noisy with { Anomalies = new AnomalyOptions { Enabled = false } });
            }
            foreach (BatchSegment seg in batch.Segments)
            {
                for (int i = 0; i < seg.ChannelCount; i++) flags.Add((seg.TimestampMs, batch.Flags[seg.Offset + i]));
            }
            return ValueTask.CompletedTask;
        });
        sim = new Simulator(noisy);
        RunReport report = await sim.AddSink(sink, new SinkOptions { Type = "api", QueueCapacity = 1 }).RunAsync();
        Assert.True(report.Succeeded);
        Assert.Contains("probability_scale", invalid, StringComparison.Ordinal);
        Assert.Null(accepted);
        long from = Assert.Single(report.Reloads).EffectiveFrom.ToUnixTimeMilliseconds();
        Assert.Contains(flags, f => f.Ts < from && f.Flag != 0);
        Assert.All(flags.Where(f => f.Ts >= from), f => Assert.Equal(0, f.Flag));
        Assert.True(flags.Count(f => f.Ts >= from) > 1000);
    }
}

/// <summary>Reloading a scenario that re-reads the same identity file is not a structural change.</summary>
public sealed class ReloadIdentityTests
{
    [Fact]
    public void ReloadBlocker_SameIdentitiesReadAgain_IsNoChange_OtherIdentitiesAre()
    {
        const string Json = """[{"id":"A_1","location":"Tokyo"},{"id":"B_2","location":"Paris"}]""";
        Scenario scenario = new() { Industries = ["environmental"], Devices = 2, Device = new DeviceOptions { Identities = IdentityFile.Parse(Json, "ids.json") } };
        Fleet fleet = Fleet.Build(scenario);
        Scenario reread = scenario with { Device = new DeviceOptions { Identities = IdentityFile.Parse(Json, "ids.json") } };
        Assert.Null(fleet.ReloadBlocker(reread, [.. fleet.Sensors]));
        Scenario moved = scenario with { Device = new DeviceOptions { Identities = IdentityFile.Parse(Json.Replace("Paris", "Lima", StringComparison.Ordinal), "ids.json") } };
        Assert.Equal("fleet.device", fleet.ReloadBlocker(moved, [.. fleet.Sensors]));
    }
}
