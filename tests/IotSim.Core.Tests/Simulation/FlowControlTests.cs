using System.Collections.Concurrent;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

/// <summary>Per-sink backpressure, retries and parallel writers, with a deliberately slow sink.</summary>
public sealed class FlowControlTests
{
    private const int Capacity = 3;

    private static readonly Scenario s_scenario = new()
    {
        Industries = ["mining"],
        Devices = 10,
        Interval = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromMinutes(10),
        BatchSize = 1_000,
    };

    private static async Task<(SinkReport Report, List<long> Seen, long Batches)> RunSlowAsync(Backpressure policy)
    {
        var seen = new List<long>();
        var slow = new CallbackSink(async (batch, _) =>
        {
            seen.Add(batch.Sequence);
            await Task.Delay(5, CancellationToken.None);
        });
        long batches = 0;
        var counter = new CallbackSink((batch, _) =>
        {
            batches = Math.Max(batches, batch.Sequence + 1);
            return ValueTask.CompletedTask;
        }, "counter");
        RunReport report = await new Simulator(s_scenario)
            .AddSink(slow, new SinkOptions { Type = "api", QueueCapacity = Capacity, Backpressure = policy })
            .AddSink(counter, new SinkOptions { Type = "api", QueueCapacity = 64 })
            .RunAsync();
        return (report.Sinks[0], seen, batches);
    }

    [Fact]
    public async Task Block_DropsNothing()
    {
        var (r, seen, batches) = await RunSlowAsync(Backpressure.Block);
        Assert.Equal(0, r.Dropped);
        Assert.Equal(r.Generated, r.Delivered);
        Assert.Equal(batches, seen.Count);
    }

    [Fact]
    public async Task Block_HoldsTheGeneratorWithinItsFixedBatchPool()
    {
        // Memory under block is bounded by construction: batches come from a fixed pool, so the generator can run at
        // most the pool ahead of the slowest sink. Seen from the slow sink: the lead and the distinct batch objects.
        var batches = new HashSet<ReadingBatch>(ReferenceEqualityComparer.Instance);
        long produced = 0;
        long consumed = 0;
        long maxLead = 0;
        var slow = new CallbackSink(async (batch, _) =>
        {
            lock (batches)
            {
                batches.Add(batch);
                consumed++;
                maxLead = Math.Max(maxLead, Interlocked.Read(ref produced) - consumed);
            }
            await Task.Delay(2, CancellationToken.None);
        });
        var fast = new CallbackSink((batch, _) =>
        {
            Interlocked.Increment(ref produced);
            return ValueTask.CompletedTask;
        }, "fast");
        Scenario scenario = s_scenario with
        {
            Duration = TimeSpan.FromMinutes(3),
            Sinks = [new SinkOptions { Type = "api", QueueCapacity = Capacity }, new SinkOptions { Type = "api", Name = "fast", QueueCapacity = Capacity }],
        };
        int pool = FleetPlan.Create(scenario, scenario.Start ?? DateTimeOffset.UnixEpoch).PoolBatches;
        RunReport report = await new Simulator(s_scenario with { Duration = scenario.Duration })
            .AddSink(slow, new SinkOptions { Type = "api", QueueCapacity = Capacity })
            .AddSink(fast, new SinkOptions { Type = "api", QueueCapacity = Capacity })
            .RunAsync();
        Assert.Equal(report.Generated, report.Sinks[0].Delivered);
        Assert.True(consumed > 3 * pool, $"the run must outlast the pool many times over ({consumed} batches, pool {pool})");
        Assert.InRange(batches.Count, 1, pool);
        Assert.InRange(maxLead, 0, pool);
    }

    [Fact]
    public async Task DropNewest_KeepsTheFirstBatches_AndCountsEveryDroppedReading()
    {
        var (r, seen, batches) = await RunSlowAsync(Backpressure.DropNewest);
        Assert.True(r.Dropped > 0, "a 5 ms sink behind a fast generator must drop");
        Assert.Equal(r.Generated, r.Delivered + r.Dropped);
        Assert.Equal(0, r.Failed);
        // The batches that first filled the queue are never the ones dropped.
        Assert.Equal(Enumerable.Range(0, Capacity).Select(i => (long)i), seen.Take(Capacity));
        Assert.True(seen.Count < batches);
    }

    [Fact]
    public async Task DropOldest_KeepsTheNewestBatches_AndCountsEveryDroppedReading()
    {
        var (r, seen, batches) = await RunSlowAsync(Backpressure.DropOldest);
        Assert.True(r.Dropped > 0, "a 5 ms sink behind a fast generator must drop");
        Assert.Equal(r.Generated, r.Delivered + r.Dropped);
        // What was queued at the end is the newest, and all of it is delivered.
        Assert.Equal(Enumerable.Range((int)batches - Capacity, Capacity).Select(i => (long)i), seen.TakeLast(Capacity));
        Assert.True(seen.Count < batches);
    }

    [Fact]
    public async Task Retries_ThenFailure_ExactAttemptsAndFailedCount()
    {
        int attempts = 0;
        var broken = new CallbackSink((_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new IOException("connection reset");
        });
        RunReport report = await new Simulator(s_scenario)
            .AddSink(broken, new SinkOptions { Type = "api", Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(2) })
            .RunAsync();
        SinkReport r = report.Sinks[0];
        Assert.Equal(3, attempts);
        Assert.Equal(0, r.Delivered);
        Assert.Equal(r.Generated, r.Failed);
        Assert.Contains("3 attempts", r.Error);
    }

    [Fact]
    public async Task ParallelWriters_DeliverEveryBatchExactlyOnce()
    {
        var seen = new ConcurrentDictionary<long, int>();
        long readings = 0;
        var sink = new CallbackSink(async (batch, _) =>
        {
            seen.AddOrUpdate(batch.Sequence, 1, (_, n) => n + 1);
            Interlocked.Add(ref readings, batch.Readings);
            await Task.Yield();
        });
        RunReport report = await new Simulator(s_scenario)
            .AddSink(sink, new SinkOptions { Type = "api", Parallelism = 4, QueueCapacity = 8 })
            .RunAsync();
        SinkReport r = report.Sinks[0];
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.Equal(Enumerable.Range(0, seen.Count).Select(i => (long)i), seen.Keys.Order());
        Assert.Equal(report.Generated, readings);
        Assert.Equal(r.Generated, r.Delivered);
    }

    [Fact]
    public async Task FlushInterval_FlushesAfterIdlePeriods_NotAfterEveryBatch()
    {
        var sink = new FlushCountingSink();
        var scenario = new Scenario { Industries = ["environmental"], Mode = TimeMode.Realtime, Duration = TimeSpan.FromSeconds(4) };
        RunReport report = await new Simulator(scenario)
            .AddSink(sink, new SinkOptions { Type = "api", FlushInterval = TimeSpan.FromMilliseconds(20) })
            .RunAsync();
        Assert.True(report.Succeeded);
        // Realtime batches come a second apart, so the sink idles (and is flushed) between them. The gaps are wide
        // against the interval so that a busy machine, whose timers fire late, still sees at least one flush.
        Assert.InRange(sink.Flushes, 1, sink.Writes);

        var busy = new FlushCountingSink();
        await new Simulator(s_scenario).AddSink(busy, new SinkOptions { Type = "api" }).RunAsync();
        Assert.Equal(0, busy.Flushes);
    }

    [Theory]
    [InlineData(1L, 1000, 1)]
    [InlineData(2500L, 1000, 3)]
    [InlineData(3000L, 1000, 3)]
    [InlineData(10_000_000_000L, 1000, 1024)]
    public void MaxBuffer_IsWholeEngineBatches(long readings, int batch, int expected) =>
        Assert.Equal(expected, new SinkOptions { Type = "api", MaxBuffer = readings }.QueueBatches(batch));

    [Fact]
    public void Loader_ParallelismOnAnOrderedSink_IsRefusedAtItsLine()
    {
        ConfigException ex = Assert.Throws<ConfigException>(() =>
            ScenarioLoader.Load("sinks:\n  - type: file\n    parallelism: 4\n", "p.yaml", null));
        Assert.Equal(3, ex.Line);
        Assert.Contains("one writer", ex.Problem);
        Scenario ok = ScenarioLoader.Load("sinks:\n  - type: null\n    parallelism: 4\n    backpressure: drop_oldest\n    retries: 0\n", "p.yaml", null);
        Assert.Equal(4, ok.Sinks[0].Parallelism);
        Assert.Equal(Backpressure.DropOldest, ok.Sinks[0].Backpressure);
        Assert.Equal(0, ok.Sinks[0].Retries);
        Scenario buffered = ScenarioLoader.Load("sinks:\n  - type: file\n    max_buffer: 50000\n    flush_interval: 250ms\n", "p.yaml", null);
        Assert.Equal(50_000, buffered.Sinks[0].MaxBuffer);
        Assert.Equal(TimeSpan.FromMilliseconds(250), buffered.Sinks[0].FlushInterval);
    }

    private sealed class FlushCountingSink : IReadingSink
    {
        public int Writes { get; private set; }

        public int Flushes { get; private set; }

        public string Name => "flushing";

        public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
        {
            Writes++;
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
