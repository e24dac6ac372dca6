using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

public sealed class RateModeTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10_000 * 10 + (90_000 * 10 * 10 / (2.0 * 60)))]
    [InlineData(60, 10_000 * 60 + (90_000 * 60 / 2.0))]
    [InlineData(90, 10_000 * 60 + (90_000 * 60 / 2.0) + (100_000 * 30))]
    public void Ramp_ReadingsBy_IsTheIntegralOfTheRate(double seconds, double expected)
    {
        var ramp = new RateProfile { Profile = "ramp", From = 10_000, To = 100_000, Over = TimeSpan.FromMinutes(1) };
        Assert.Equal(expected, ramp.ReadingsBy(TimeSpan.FromSeconds(seconds)), 6);
        Assert.Equal(seconds >= 60 ? 100_000 : 10_000 + (90_000 * seconds / 60), ramp.RateAt(TimeSpan.FromSeconds(seconds)), 6);
    }

    [Fact]
    public void StepsAndBurst_FollowTheirShape_AndIntegrateConsistently()
    {
        var steps = new RateProfile { Profile = "steps", Steps = [(1000, TimeSpan.FromSeconds(10)), (5000, TimeSpan.FromSeconds(5))] };
        Assert.Equal(1000, steps.RateAt(TimeSpan.FromSeconds(9.9)));
        Assert.Equal(5000, steps.RateAt(TimeSpan.FromSeconds(12)));
        Assert.Equal(5000, steps.RateAt(TimeSpan.FromSeconds(100)));
        Assert.Equal((1000 * 10) + (5000 * 5) + (5000 * 5), steps.ReadingsBy(TimeSpan.FromSeconds(20)), 6);

        var burst = new RateProfile { Profile = "burst", From = 100, Peak = 1000, Every = TimeSpan.FromSeconds(10), Length = TimeSpan.FromSeconds(2) };
        Assert.Equal(1000, burst.RateAt(TimeSpan.FromSeconds(11)));
        Assert.Equal(100, burst.RateAt(TimeSpan.FromSeconds(13)));
        Assert.Equal(2 * ((1000 * 2) + (100 * 8)) + (1000 * 1), burst.ReadingsBy(TimeSpan.FromSeconds(21)), 6);
        // The integral agrees with a fine Riemann sum of the rate for every profile.
        foreach (RateProfile p in new[] { steps, burst, new RateProfile { Profile = "ramp", From = 5, To = 50, Over = TimeSpan.FromSeconds(7) } })
        {
            double sum = 0;
            for (int i = 0; i < 30_000; i++) sum += p.RateAt(TimeSpan.FromSeconds((i + 0.5) / 1000)) / 1000;
            Assert.Equal(p.ReadingsBy(TimeSpan.FromSeconds(30)), sum, 0);
        }
    }

    [Fact]
    public async Task RateRun_ProducesTheSameReadingsAsTheBackfillOfTheSameRange()
    {
        var backfill = new Scenario
        {
            Industries = ["environmental"],
            Devices = 20,
            Interval = TimeSpan.FromSeconds(1),
            Start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(50),
        };
        Scenario rate = backfill with { Mode = TimeMode.Rate, Rate = RateProfile.Constant(20_000) };
        Assert.Equal(await RowsAsync(backfill), await RowsAsync(rate));
    }

    [Fact]
    public async Task RealtimeWithSpeed_ReplaysTheSameReadings_AndIsPacedFasterThanTheWallClock()
    {
        var backfill = new Scenario
        {
            Industries = ["environmental"],
            Devices = 3,
            Interval = TimeSpan.FromSeconds(1),
            Start = DateTimeOffset.UtcNow.AddDays(-1),
            Duration = TimeSpan.FromSeconds(40),
        };
        Scenario fast = backfill with { Mode = TimeMode.Realtime, Speed = 20 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<string> replay = await RowsAsync(fast);
        clock.Stop();
        Assert.Equal(await RowsAsync(backfill), replay);
        // 40 s of data at 20x: the last tick (39 s) is due 1.95 s after the start, so the run cannot end sooner,
        // although its timestamps lie a day in the past (a plain realtime run would emit them at once).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Loader_ReadsProfiles_AndRefusesMissingOrForeignKeys()
    {
        Scenario ramp = ScenarioLoader.Load("time:\n  mode: rate\n  rate: {profile: ramp, from: 1000, to: 5000, over: 1m}\n", "r.yaml", null);
        Assert.Equal(TimeMode.Rate, ramp.Mode);
        Assert.Equal(new RateProfile { Profile = "ramp", From = 1000, To = 5000, Over = TimeSpan.FromMinutes(1) }, ramp.Rate);
        Scenario constant = ScenarioLoader.Load("time:\n  mode: rate\n  rate: 2500\n", "r.yaml", null);
        Assert.Equal(2500, constant.RateOrDefault.MaxRate);
        Scenario steps = ScenarioLoader.Load("time:\n  rate:\n    profile: steps\n    steps:\n      - {rate: 10, hold: 1s}\n      - {rate: 20, hold: 2s}\n", "r.yaml", null);
        Assert.Equal(2, steps.RateOrDefault.Steps.Count);

        ConfigException missing = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("time:\n  rate: {profile: ramp, from: 1}\n", "r.yaml", null));
        Assert.Contains("needs from, to, over", missing.Problem);
        ConfigException foreign = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("time:\n  rate: {profile: burst, base: 1, peak: 2, every: 1s, length: 1s, to: 3}\n", "r.yaml", null));
        Assert.Contains("'to' does not apply to a burst profile", foreign.Problem);
        ConfigException zero = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("time:\n  rate: 0\n", "r.yaml", null));
        Assert.Equal(2, zero.Line);
    }

    private static async Task<List<string>> RowsAsync(Scenario scenario)
    {
        var rows = new List<string>();
        var sink = new CallbackSink(readings =>
        {
            foreach (Reading r in readings) rows.Add($"{r.Timestamp:O} {r.DeviceId} {r.Sensor} {r.Value:R} {r.Anomaly}");
        });
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded);
        return rows;
    }
}
