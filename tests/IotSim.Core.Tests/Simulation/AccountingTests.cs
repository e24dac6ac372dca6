using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

/// <summary>Generated = delivered + dropped + failed, with delivered meaning confirmed by the sink.</summary>
public sealed class AccountingTests
{
    private static readonly Scenario s_scenario = new()
    {
        Industries = ["mining"],
        Devices = 20,
        Interval = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromMinutes(5),
        BatchSize = 5_000,
    };

    private const int ENOSPC = 28;

    [Fact]
    public async Task Run_PermanentError_IsNotRetried_AndNothingIsDelivered()
    {
        int calls = 0;
        var sink = new CallbackSink((_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new IOException("No space left on device", ENOSPC);
        }, "full");
        RunReport report = await new Simulator(s_scenario).AddSink(sink).RunAsync();
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Equal(1, calls);
        Assert.Equal(0, r.Delivered);
        Assert.Equal(r.Generated, r.Failed);
        Assert.Contains("No space left on device", r.Error);
        Assert.Contains("not retried", r.Error);
    }

    [Fact]
    public async Task Run_FinallyFailedBatch_IsNotCountedAsDelivered()
    {
        int calls = 0;
        long accepted = 0;
        var sink = new CallbackSink((batch, _) =>
        {
            // The third batch fails on every attempt; the others succeed.
            if (Interlocked.Increment(ref calls) is >= 3 and <= 6) throw new IOException("transient");
            accepted += batch.Readings;
            return ValueTask.CompletedTask;
        });
        RunReport report = await new Simulator(s_scenario).AddSink(sink).RunAsync();
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Equal(accepted, r.Delivered);
        Assert.True(r.Failed > 0);
        Assert.Equal(r.Generated, r.Delivered + r.Dropped + r.Failed);
        Assert.Contains("4 attempts", r.Error);
    }

    [Fact]
    public async Task Run_KeepsTheFirstRootCause_NotTheConsequence()
    {
        int calls = 0;
        var sink = new CallbackSink((_, _) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new IOException("the real cause")
                : throw new SinkFaultedException("refusing after an earlier partial write"));
        RunReport report = await new Simulator(s_scenario).AddSink(sink).RunAsync();
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Contains("the real cause", r.Error);
        Assert.DoesNotContain("refusing", r.Error);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Run_DeliveredIsWhatTheSinkConfirms_TheRestIsFailed()
    {
        var sink = new HalfConfirmingSink();
        RunReport report = await new Simulator(s_scenario).AddSink(sink).RunAsync();
        SinkReport r = Assert.Single(report.Sinks);
        Assert.Equal(report.Generated, sink.Accepted);
        Assert.Equal(sink.Accepted / 2, r.Delivered);
        Assert.Equal(r.Generated - r.Delivered, r.Failed);
        Assert.Equal("half of it", r.Location);
    }

    [Fact]
    public async Task Run_AbortDelivery_CountsQueuedBatchesAsFailed_AndCompletesTheSink()
    {
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        int batches = 0;
        var slow = new CallbackSink(async (batch, token) =>
        {
            if (Interlocked.Increment(ref batches) == 3)
            {
                await stop.CancelAsync();
                await abort.CancelAsync();
            }
            await Task.Delay(20, CancellationToken.None);
        });
        var simulator = new Simulator(s_scenario with { Duration = TimeSpan.FromHours(1) }).AddSink(slow, queueCapacity: 8);
        RunReport report = await simulator.RunAsync(stop.Token, abort.Token);
        SinkReport r = Assert.Single(report.Sinks);
        Assert.True(report.Interrupted);
        Assert.Equal(r.Generated, r.Delivered + r.Dropped + r.Failed);
        Assert.True(r.Failed > 0, "queued batches were abandoned, so some readings must be failed");
        Assert.Contains("interrupted", r.Error);
    }

    [Fact]
    public async Task Run_AbortWhileQueueing_EverySinkCountsEveryGeneratedReading()
    {
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        int writes = 0;
        var slow = new CallbackSink(async (_, _) =>
        {
            if (Interlocked.Increment(ref writes) == 2)
            {
                await stop.CancelAsync();
                await abort.CancelAsync();
            }
            await Task.Delay(20, CancellationToken.None);
        }, "slow");
        var fast = new NullSink("fast");
        RunReport report = await new Simulator(s_scenario with { Duration = TimeSpan.FromHours(1) })
            .AddSink(fast, queueCapacity: 1).AddSink(slow, queueCapacity: 1).RunAsync(stop.Token, abort.Token);
        Assert.All(report.Sinks, r =>
        {
            Assert.Equal(report.Generated, r.Generated);
            Assert.Equal(r.Generated, r.Delivered + r.Dropped + r.Failed);
        });
    }

    [Fact]
    public async Task Run_AbortWithASinkStuckInAWrite_TheOtherSinksStillComplete()
    {
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        bool fileCompletedWhileStuck = false;
        int writes = 0;
        var stuck = new CallbackSink(async (_, _) =>
        {
            if (Interlocked.Increment(ref writes) != 2) return;
            // The file sink must hold data before the abort, or there is nothing for it to complete.
            for (int i = 0; i < 500 && Directory.GetFiles(dir.Path).Length == 0; i++) await Task.Delay(10, CancellationToken.None);
            await stop.CancelAsync();
            await abort.CancelAsync();
            // Ignores cancellation, like a write blocked on a pipe; meanwhile the file sink must complete.
            for (int i = 0; i < 300 && !fileCompletedWhileStuck; i++)
            {
                fileCompletedWhileStuck = Directory.GetFiles(dir.Path, "*.csv").Length == 1;
                await Task.Delay(10, CancellationToken.None);
            }
        }, "stuck");
        var file = new FileSink(new FileSinkOptions { Path = dir.Path });
        RunReport report = await new Simulator(s_scenario with { Duration = TimeSpan.FromHours(1) })
            .AddSink(stuck).AddSink(file).RunAsync(stop.Token, abort.Token);
        Assert.True(fileCompletedWhileStuck, "the file sink waited for the stuck sink before completing");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));
        Assert.Equal(report.Sinks[1].Delivered, File.ReadLines(Directory.GetFiles(dir.Path).Single()).LongCount() - 1);
    }

    [Fact]
    public async Task Run_RealtimeStartMonthsAhead_WaitsWithoutError_AndStopsOnCancel()
    {
        var scenario = new Scenario
        {
            Industries = ["environmental"],
            Mode = TimeMode.Realtime,
            Start = DateTimeOffset.UtcNow.AddDays(60),
            Duration = TimeSpan.FromSeconds(1),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        RunReport report = await new Simulator(scenario).AddSink(new NullSink()).RunAsync(cts.Token);
        Assert.True(report.Interrupted);
        Assert.Equal(0, report.Generated);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public async Task Run_ReportsSetupTimeSeparately()
    {
        RunReport report = await new Simulator(s_scenario).AddSink(new NullSink()).RunAsync();
        Assert.True(report.Setup > TimeSpan.Zero);
        Assert.False(report.Interrupted);
    }

    /// <summary>Accepts every batch but confirms only half of the readings, like a broker acknowledging part of them.</summary>
    private sealed class HalfConfirmingSink : IReadingSink
    {
        public long Accepted { get; private set; }

        public string Name => "half";

        public long? ConfirmedReadings => Accepted / 2;

        public string? Location => "half of it";

        public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
        {
            Accepted += batch.Readings;
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
