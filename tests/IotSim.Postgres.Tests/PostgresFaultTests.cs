using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Postgres.Tests;

/// <summary>The server goes down during a run (<c>pg_ctl stop -m fast</c>): retried COPYs deliver everything exactly once, or the failure is counted exactly.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFaultTests(PostgresServer server)
{
    private static Scenario Fleet() => new()
    {
        Seed = 8,
        Industries = ["mining"],
        Devices = 40,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromMinutes(4),
        BatchSize = 2000,
    };

    /// <summary>Runs with a second sink that stops the server when the run is under way (at its 5th batch), and restarts it after <paramref name="downFor"/> (never when null).</summary>
    private async Task<RunReport> RunWithOutageAsync(string db, SinkOptions flow, TimeSpan? downFor)
    {
        Task? restart = null;
        int batches = 0;
        var sim = new Simulator(Fleet());
        sim.AddSink(new CallbackSink((batch, _) =>
        {
            if (++batches == 5)
            {
                server.StopAsync().GetAwaiter().GetResult();
                if (downFor is { } d) restart = Task.Delay(d, CancellationToken.None).ContinueWith(_ => server.StartAsync(), TaskScheduler.Default).Unwrap();
            }
            return ValueTask.CompletedTask;
        }), new SinkOptions { Type = "api", QueueCapacity = 1 });
        sim.AddSink(new PostgresSink(new PostgresSinkOptions { ConnectionString = server.ConnectionString(db), RowsPerCopy = 500 }), flow);
        try
        {
            return await sim.RunAsync();
        }
        finally
        {
            if (restart is not null) await restart;
        }
    }

    [Fact]
    public async Task ServerDownAndUp_WithBlockAndRetries_EveryReadingArrivesExactlyOnce()
    {
        string db = await server.CreateDatabaseAsync();
        try
        {
            RunReport report = await RunWithOutageAsync(db, new SinkOptions
            {
                Type = "postgres",
                Retries = 40,
                RetryDelay = TimeSpan.FromMilliseconds(100),
                RetryMaxDelay = TimeSpan.FromMilliseconds(500),
                QueueCapacity = 2,
            }, TimeSpan.FromSeconds(2));
            SinkReport sink = report.Sinks[1];
            Assert.Null(sink.Error);
            Assert.Equal(report.Generated, sink.Delivered);
            Assert.Equal([report.Generated.ToString(System.Globalization.CultureInfo.InvariantCulture)], await server.QueryAsync("SELECT count(*) FROM readings", db));
            Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM (SELECT time, device_id, sensor FROM readings GROUP BY 1, 2, 3 HAVING count(*) > 1) d", db));
        }
        finally
        {
            await server.EnsureRunningAsync();
        }
    }

    [Fact]
    public async Task ServerDownForGood_TooFewRetries_CountsExactlyWhatDidNotArrive()
    {
        string db = await server.CreateDatabaseAsync();
        RunReport report;
        try
        {
            report = await RunWithOutageAsync(db, new SinkOptions { Type = "postgres", Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(20), QueueCapacity = 2 }, downFor: null);
        }
        finally
        {
            await server.EnsureRunningAsync();
        }
        SinkReport sink = report.Sinks[1];
        Assert.NotNull(sink.Error);
        Assert.True(sink.Failed > 0);
        long rows = long.Parse((await server.QueryAsync("SELECT count(*) FROM readings", db))[0]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rows, sink.Delivered);
        Assert.Equal(report.Generated, sink.Delivered + sink.Failed + sink.Dropped);
    }
}
