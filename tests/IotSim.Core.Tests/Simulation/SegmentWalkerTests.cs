using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

public sealed class SegmentWalkerTests
{
    // Mixed intervals, a shard that starts mid-fleet, small batches that cut segments, and frequent missing data.
    private static readonly Scenario s_scenario = new()
    {
        Industries = ["mining"],
        Devices = 9,
        Shard = new Shard(1, 3),
        Duration = TimeSpan.FromSeconds(30),
        BatchSize = 37,
        Anomalies = TestAnomalies.Dense(),
    };

    [Fact]
    public async Task RowsAndColumns_EqualTheReadingsOfTheBatch()
    {
        var expected = new List<string>();
        var rows = new List<string>();
        var columns = new List<string>();
        var reference = new CallbackSink(readings =>
        {
            foreach (Reading r in readings) expected.Add($"{r.Timestamp.ToUnixTimeMilliseconds()} {r.Device} {r.Sensor} {r.Value:R} {r.Anomaly}");
        });
        var walking = new CallbackSink((batch, _) =>
        {
            var walker = new SegmentWalker(batch);
            while (walker.MoveNext())
            {
                rows.Add($"{walker.TimestampMs} {walker.Device} {batch.Fleet.Sensors[walker.Sensor].Name} {walker.Value:R} {walker.Anomaly}");
            }
            var cursor = new SegmentWalker(batch);
            long[] ts = new long[5];
            int[] device = new int[5], sensor = new int[5];
            float[] value = new float[5];
            var anomaly = new AnomalyKind[5];
            int n;
            while ((n = cursor.FillColumns(ts, device, sensor, value, anomaly)) > 0)
            {
                for (int i = 0; i < n; i++) columns.Add($"{ts[i]} {device[i]} {batch.Fleet.Sensors[sensor[i]].Name} {value[i]:R} {anomaly[i]}");
            }
            return ValueTask.CompletedTask;
        });
        RunReport report = await new Simulator(s_scenario).AddSink(reference).AddSink(walking).RunAsync();
        Assert.True(report.Succeeded, string.Join("; ", report.Sinks.Select(x => x.Error)));
        Assert.True(report.Omitted > 0, "the scenario must omit readings to test skipping them");
        Assert.Equal(report.Generated, expected.Count);
        Assert.Equal(expected, rows);
        Assert.Equal(expected, columns);
    }

    [Fact]
    public async Task Walk_AllocatesNothing()
    {
        Fleet fleet = Fleet.Build(s_scenario with { BatchSize = 10_000 });
        var pool = new ReadingBatchPool(fleet, 1, fleet.BatchCapacity);
        ReadingBatch batch = await pool.RentAsync(CancellationToken.None);
        new BatchPlanner(fleet).Fill(batch, singleTimestamp: false);
        new BatchComputer(fleet, SimdWidth.Auto, 1).Compute(batch);
        long sum = 0;
        AllocationAssert.SteadyStateIsAllocationFree(() =>
        {
            var walker = new SegmentWalker(batch);
            while (walker.MoveNext()) sum += walker.Device + walker.Sensor;
        }, callsPerRound: 20);
        Assert.True(sum > 0);
    }
}
