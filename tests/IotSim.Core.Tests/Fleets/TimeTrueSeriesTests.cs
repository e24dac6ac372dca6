using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Tests.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Every reading is a pure function of (seed, channel, timestamp): windows, splits and dates.</summary>
public sealed class TimeTrueSeriesTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 14, 5, 37, 0, TimeSpan.Zero);

    /// <summary>Mixed intervals (1 s to 60 s), many episodes of every kind, 50 minutes across a drift knot (06:00).</summary>
    private static readonly Scenario s_base = new()
    {
        Seed = 77,
        Industries = ["mining", "data_center"],
        Devices = 5,
        Start = s_t0,
        Duration = TimeSpan.FromMinutes(50),
        Anomalies = new AnomalyOptions { ProbabilityScale = 20 },
        BatchSize = 10_000,
    };

    private static async Task<List<(long Ts, int Device, int Sensor, int ValueBits, byte Flag)>> RowsAsync(Scenario scenario)
    {
        var sink = new RecordingSink();
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded);
        return sink.Rows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(23)]
    [InlineData(49)]
    public async Task AnyTimeWindowAlone_EqualsThatWindowOfTheLongerRun(int splitMinutes)
    {
        var whole = await RowsAsync(s_base);
        TimeSpan first = TimeSpan.FromMinutes(splitMinutes);
        var a = await RowsAsync(s_base with { Duration = first });
        var b = await RowsAsync(s_base with { Start = s_t0 + first, Duration = s_base.Duration - first });
        Assert.True(whole.Count > 100_000);
        Assert.Equal(whole, [.. a, .. b]);
        // The window really contained anomalies of several kinds on both sides of the split.
        Assert.True(a.Select(r => r.Flag & SensorKernel.KindMask).Distinct().Count() >= 4);
        Assert.True(b.Select(r => r.Flag & SensorKernel.KindMask).Distinct().Count() >= 4);
    }

    [Fact]
    public async Task SplitByTimeAndByShard_UnionEqualsTheWholeRun()
    {
        var whole = await RowsAsync(s_base);
        var union = new List<(long, int, int, int, byte)>();
        foreach (var (start, minutes) in new[] { (0, 13), (13, 37) })
        {
            for (int shard = 0; shard < 3; shard++)
            {
                union.AddRange(await RowsAsync(s_base with
                {
                    Start = s_t0.AddMinutes(start),
                    Duration = TimeSpan.FromMinutes(minutes),
                    Shard = new Shard(shard, 3),
                }));
            }
        }
        Assert.Equal(whole.Order(), union.Order());
    }

    [Fact]
    public async Task DifferentDates_GiveDifferentSeries_ConsecutiveDaysJoin()
    {
        Scenario day = s_base with { Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Duration = TimeSpan.FromMinutes(5), Devices = 2 };
        var jan = await RowsAsync(day);
        var jul = await RowsAsync(day with { Start = new DateTimeOffset(2027, 7, 15, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal(jan.Count, jul.Count);
        int same = jan.Zip(jul).Count(p => p.First.ValueBits == p.Second.ValueBits);
        Assert.True(same < jan.Count / 4, $"{same} of {jan.Count} values equal on two dates");
        // Day-by-day backfills: the last minutes of one day and the first of the next are one series.
        var span = await RowsAsync(day with { Start = new DateTimeOffset(2026, 1, 1, 23, 55, 0, TimeSpan.Zero), Duration = TimeSpan.FromMinutes(10) });
        var before = await RowsAsync(day with { Start = new DateTimeOffset(2026, 1, 1, 23, 55, 0, TimeSpan.Zero) });
        var after = await RowsAsync(day with { Start = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal(span, [.. before, .. after]);
    }

    [Fact]
    public async Task AnomalousShare_DoesNotDependOnTheInterval()
    {
        // The same sensors at 100 ms and at 10 s over six hours: episodes are drawn in time, so the share of anomalous
        // readings is the share of anomalous time at both intervals.
        Scenario scenario = new()
        {
            Seed = 5,
            Industries = ["environmental"],
            Devices = 40,
            Start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromHours(6),
            Anomalies = new AnomalyOptions { ProbabilityScale = 2 },
        };
        (long fast, long fastAnomalous) = await CountAsync(scenario with { Interval = TimeSpan.FromMilliseconds(100) });
        (long slow, long slowAnomalous) = await CountAsync(scenario with { Interval = TimeSpan.FromSeconds(10) });
        double fastShare = fastAnomalous / (double)fast;
        double slowShare = slowAnomalous / (double)slow;
        Assert.InRange(fastShare, 0.01, 0.2);
        Assert.InRange(slowShare / fastShare, 0.9, 1.1);
    }

    [Fact]
    public async Task DefaultCatalog_LabelsAFewPercentOfReadings()
    {
        Scenario scenario = new()
        {
            Seed = 9,
            Industries = ["all"],
            Devices = 20,
            Start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromHours(2),
        };
        (long total, long anomalous) = await CountAsync(scenario);
        Assert.InRange(anomalous / (double)total, 0.01, 0.06);
    }

    internal static async Task<(long Total, long Anomalous)> CountAsync(Scenario scenario)
    {
        var (_, slots) = await SlotRecorder.RunAsync(scenario);
        return (slots.Count, slots.Count(x => (x.Flag & SensorKernel.KindMask) != 0));
    }
}
