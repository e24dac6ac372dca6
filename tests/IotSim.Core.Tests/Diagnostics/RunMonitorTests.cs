using System.Diagnostics.Metrics;
using IotSim.Core.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Diagnostics;

/// <summary>The IotSim meter and the monitor that reads it: the figures equal the run's own accounting.</summary>
public sealed class RunMonitorTests
{
    private static Scenario Mining() => new()
    {
        Seed = 5,
        Industries = ["mining"],
        Devices = 20,
        Interval = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromMinutes(10),
        BatchSize = 2000,
        Anomalies = new AnomalyOptions { ProbabilityScale = 40 },
    };

    [Fact]
    public async Task Monitor_CountsLatenciesAndAnomalies_EqualTheRun()
    {
        var anomalies = new Dictionary<string, long>(StringComparer.Ordinal);
        var simulator = new Simulator(Mining());
        simulator.AddSink(new CallbackSink(readings =>
        {
            foreach (Reading r in readings)
            {
                if (r.Anomaly != AnomalyKind.None) anomalies[AnomalyKinds.ToName(r.Anomaly)] = anomalies.GetValueOrDefault(AnomalyKinds.ToName(r.Anomaly)) + 1;
            }
        }, "counting"));
        // A slow sink: every write takes at least 2 ms, so its latency percentiles have a floor.
        simulator.AddSink(new CallbackSink(async (_, ct) => await Task.Delay(2, ct), "slow"));
        using var monitor = new RunMonitor(simulator);
        RunReport report = await simulator.RunAsync();
        Assert.True(report.Succeeded);

        RunSnapshot last = monitor.Latest!;
        Assert.Equal(2, last.Sinks.Count);
        foreach (SinkReport expected in report.Sinks)
        {
            SinkSnapshot s = Assert.Single(last.Sinks, x => x.Name == expected.Name);
            Assert.Equal(expected.Generated, s.Generated);
            Assert.Equal(expected.Delivered, s.Delivered);
            Assert.Equal(0, s.Failed);
            Assert.True(s.Total.Count > 10, $"{s.Name}: {s.Total.Count} writes timed");
        }
        SinkSnapshot slow = last.Sinks.Single(s => s.Name == "slow");
        Assert.True(slow.Total.P50 >= 2, $"p50 {slow.Total.P50} ms");
        Assert.True(slow.Total.Max >= slow.Total.P99 && slow.Total.P99 >= slow.Total.P50);
        Assert.Equal(report.Generated, last.Generated);
        Assert.Equal(1.0, last.Progress);
        Assert.Equal(TimeSpan.Zero, last.Eta);
        // Missing-data readings are anomalies too but never reach a sink: compare the kinds the sink saw.
        Assert.NotEmpty(anomalies);
        foreach (var (kind, count) in anomalies) Assert.Equal(count, last.Anomalies[kind]);
    }

    [Fact]
    public async Task TheMeter_IsNamedIotSim_AndOtherListenersSeeIt()
    {
        var simulator = new Simulator(Mining() with { Duration = TimeSpan.FromSeconds(30) });
        simulator.AddSink(new NullSink());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long generated = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "IotSim" && ReferenceEquals(instrument.Meter.Scope, simulator)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (seen) seen.Add(instrument.Name);
            if (instrument.Name == IotSimMetrics.Generated) Interlocked.Exchange(ref generated, value);
        });
        listener.Start();
        simulator.OnFinishing(listener.RecordObservableInstruments);
        RunReport report = await simulator.RunAsync();
        Assert.Contains(IotSimMetrics.Delivered, seen);
        Assert.Contains(IotSimMetrics.Reloads, seen);
        Assert.Equal(report.Generated, Interlocked.Read(ref generated));
    }

    [Fact]
    public void AnomalyCounter_EqualsACountByHand_AtEveryLengthAndOffset()
    {
        var random = new Random(3);
        byte[] flags = new byte[1000];
        for (int i = 0; i < flags.Length; i++)
        {
            flags[i] = random.Next(10) switch
            {
                0 => (byte)random.Next(1, 8),
                1 => (byte)(ReadingFlags.Omitted | random.Next(1, 8)),
                2 => (byte)(ReadingFlags.Omitted | ReadingFlags.Held | random.Next(1, 8)), // held: counted with its copy
                _ => 0,
            };
        }
        foreach (int start in new[] { 0, 1, 31 })
        {
            foreach (int length in new[] { 0, 5, 32, 33, 63, 64, 500, 1000 - start })
            {
                ReadOnlySpan<byte> span = flags.AsSpan(start, length);
                long[] counts = new long[AnomalyKinds.Count];
                AnomalyCounter.Add(span, counts);
                long[] byHand = new long[AnomalyKinds.Count];
                foreach (byte f in span)
                {
                    if ((f & ReadingFlags.KindMask) != 0 && (f & ReadingFlags.Held) == 0) byHand[f & ReadingFlags.KindMask]++;
                }
                Assert.Equal(byHand, counts);
            }
        }
    }
}
