using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Tests.Kernels;

namespace IotSim.Core.Tests.Simulation;

public sealed class DeterminismTests
{
    private static readonly Scenario s_base = new()
    {
        Seed = 2024,
        Industries = ["mining", "data_center"],
        Devices = 7,
        Duration = TimeSpan.FromSeconds(130),
        Anomalies = TestAnomalies.Dense(50),
        BatchSize = 100_000,
    };

    private static async Task<RecordingSink> RunAsync(Scenario scenario)
    {
        var sink = new RecordingSink();
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded);
        Assert.Equal(report.Generated, sink.Rows.Count);
        return sink;
    }

    [Fact]
    public async Task Run_SameSeed_SameOutput_DifferentSeed_DifferentOutput()
    {
        var a = await RunAsync(s_base);
        var b = await RunAsync(s_base);
        var c = await RunAsync(s_base with { Seed = 2025 });
        Assert.Equal(a.Rows, b.Rows);
        Assert.NotEqual(a.Rows.Select(r => r.ValueBits), c.Rows.Select(r => r.ValueBits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(4099)]
    public async Task Run_AnyBatchSize_SameOutput(int batchSize)
    {
        var reference = await RunAsync(s_base);
        var other = await RunAsync(s_base with { BatchSize = batchSize });
        Assert.Equal(reference.Rows, other.Rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task Run_AnyThreadCount_SameOutput(int threads)
    {
        Scenario big = s_base with { Devices = 700, Duration = TimeSpan.FromSeconds(20), BatchSize = 1 << 16 };
        var reference = await RunAsync(big with { Threads = 1, Simd = SimdWidth.Scalar });
        var other = await RunAsync(big with { Threads = threads });
        Assert.Equal(reference.Rows, other.Rows);
    }

    [Fact]
    public async Task Run_EverySimdWidth_AcceleratedOrNot_SameOutput()
    {
        var reference = await RunAsync(s_base with { Simd = SimdWidth.Scalar });
        foreach (SimdWidth width in KernelTestData.AllWidths)
        {
            var other = await RunAsync(s_base with { Simd = width });
            Assert.Equal(reference.Rows, other.Rows);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Run_UnionOfShards_EqualsUnshardedRun(int shards)
    {
        var whole = await RunAsync(s_base);
        var union = new List<(long, int, int, int, byte)>();
        for (int i = 0; i < shards; i++)
        {
            var part = await RunAsync(s_base with { Shard = new Shard(i, shards) });
            (int lo, int hi) = new Shard(i, shards).DeviceRange(s_base.Devices);
            Assert.All(part.Rows, r => Assert.InRange(r.Device, lo, hi - 1));
            union.AddRange(part.Rows);
        }
        Assert.Equal(whole.Rows.Order(), union.Order());
    }

    [Fact]
    public async Task Run_OutputIsInTimestampOrder_AndEachSensorReportsAtItsInterval()
    {
        var run = await RunAsync(s_base with { Anomalies = new AnomalyOptions { Enabled = false } });
        for (int i = 1; i < run.Rows.Count; i++)
        {
            Assert.True(run.Rows[i - 1].Ts <= run.Rows[i].Ts);
        }
        var fleet = Fleet.Build(s_base);
        long start = Fleet.DefaultBackfillStart.ToUnixTimeMilliseconds();
        foreach (var byChannel in run.Rows.GroupBy(r => (r.Device, r.Sensor)))
        {
            SensorDefinition def = fleet.Sensors[byChannel.Key.Sensor];
            long intervalMs = (long)def.Interval.TotalMilliseconds;
            long[] ts = [.. byChannel.Select(r => r.Ts)];
            Assert.Equal((130_000 + intervalMs - 1) / intervalMs, ts.Length);
            for (int k = 0; k < ts.Length; k++) Assert.Equal(start + k * intervalMs, ts[k]);
        }
    }

    [Fact]
    public async Task Run_AnomaliesDisabled_NoLabels_AndEnabled_LabelsAppear()
    {
        var off = await RunAsync(s_base with { Anomalies = new AnomalyOptions { Enabled = false } });
        Assert.All(off.Rows, r => Assert.Equal(0, r.Flag));
        var on = await RunAsync(s_base);
        Assert.Contains(on.Rows, r => r.Flag != 0);
    }

    [Fact]
    public async Task Run_ValuesStayWithinSensorRange()
    {
        var run = await RunAsync(s_base);
        var fleet = Fleet.Build(s_base);
        foreach (var r in run.Rows)
        {
            SensorDefinition def = fleet.Sensors[r.Sensor];
            float v = BitConverter.Int32BitsToSingle(r.ValueBits);
            Assert.InRange(v, (float)def.Min, (float)def.Max);
        }
    }
}
