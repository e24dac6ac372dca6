using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

public sealed class SimulatorTests
{
    private static readonly Scenario s_scenario = new()
    {
        Industries = ["mining"],
        Devices = 50,
        Interval = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromMinutes(10),
        BatchSize = 10_000,
    };

    [Fact]
    public async Task Run_SinkFailsOnce_IsRetried_AndEverythingIsDelivered()
    {
        int calls = 0;
        long seen = 0;
        var sink = new CallbackSink((batch, _) =>
        {
            if (Interlocked.Increment(ref calls) == 3) throw new IOException("transient");
            seen += batch.Readings;
            return ValueTask.CompletedTask;
        });
        RunReport report = await new Simulator(s_scenario).AddSink(sink).RunAsync();
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Null(r.Error);
        Assert.Equal(report.Generated, r.Delivered);
        Assert.Equal(report.Generated, seen);
        Assert.Equal(0, r.Failed);
    }

    [Fact]
    public async Task Run_SinkAlwaysFails_IsReportedAndCountedAsFailed_OtherSinkUnaffected()
    {
        var broken = new CallbackSink((_, _) => throw new IOException("disk full"), "broken");
        var healthy = new NullSink();
        RunReport report = await new Simulator(s_scenario).AddSink(broken).AddSink(healthy).RunAsync();
        Assert.False(report.Succeeded);
        SinkReport b = report.Sinks[0];
        Assert.Contains("disk full", b.Error);
        Assert.Contains("4 attempts", b.Error);
        Assert.Equal(b.Generated, b.Delivered + b.Dropped + b.Failed);
        Assert.True(b.Failed > 0);
        SinkReport h = report.Sinks[1];
        Assert.Null(h.Error);
        Assert.Equal(h.Generated, h.Delivered);
        Assert.Equal(healthy.Readings, h.Delivered);
        Assert.Equal(report.Generated, h.Generated);
    }

    [Fact]
    public async Task Run_Cancelled_StopsGenerating_AndDeliversWhatWasQueued()
    {
        using var cts = new CancellationTokenSource();
        int batches = 0;
        var slow = new CallbackSink(async (batch, _) =>
        {
            if (Interlocked.Increment(ref batches) == 5) await cts.CancelAsync();
            await Task.Delay(5, CancellationToken.None);
        });
        RunReport report = await new Simulator(s_scenario).AddSink(slow).RunAsync(cts.Token);
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Null(r.Error);
        Assert.True(report.Generated < Fleet.Build(s_scenario).PlannedReadings);
        Assert.Equal(report.Generated, r.Delivered);
        Assert.Equal(0, r.Failed);
    }

    [Fact]
    public async Task Run_Realtime_IsPacedToTheWallClock()
    {
        var scenario = new Scenario { Industries = ["environmental"], Devices = 2, Mode = TimeMode.Realtime, Duration = TimeSpan.FromSeconds(3) };
        var stamps = new List<(long Ts, DateTimeOffset Seen)>();
        var sink = new CallbackSink((batch, _) =>
        {
            stamps.Add((batch.Segments[0].TimestampMs, DateTimeOffset.UtcNow));
            return ValueTask.CompletedTask;
        });
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.Equal(3 * 2 * 5, report.Generated);
        Assert.Equal(3, stamps.Count);
        foreach (var (ts, seen) in stamps)
        {
            // Never delivered before its timestamp (pacing), with a small margin for clock granularity.
            Assert.True(seen.ToUnixTimeMilliseconds() >= ts - 20, $"reading for {ts} delivered at {seen.ToUnixTimeMilliseconds()}");
        }
        // Tick 2 is 2 s after a start truncated to the second, so at least 1 s of waiting.
        Assert.True(report.Wall >= TimeSpan.FromSeconds(0.9), $"a 3 s realtime run took {report.Wall}");
    }
}
