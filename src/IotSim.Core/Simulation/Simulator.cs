using System.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Core.Simulation;

/// <summary>
/// Runs a scenario: builds the fleet, generates batches with the SIMD kernels and fans each batch out to every
/// sink by reference (no copies). Backfill runs as fast as the slowest sink takes it; realtime is paced to the
/// wall clock.
/// </summary>
/// <example>
/// <code>
/// var sim = new Simulator(new Scenario { Industries = ["mining"], Devices = 10, Duration = TimeSpan.FromMinutes(5) });
/// sim.AddSink(new CallbackSink(readings => Console.WriteLine(readings.Count)));
/// RunReport report = await sim.RunAsync();
/// </code>
/// </example>
public sealed class Simulator
{
    private readonly List<(IReadingSink Sink, int QueueCapacity)> _sinks = [];

    /// <summary>Creates a simulator for <paramref name="scenario"/>; sinks are added with <see cref="AddSink"/>.</summary>
    public Simulator(Scenario scenario)
    {
        Scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
    }

    /// <summary>The scenario being run.</summary>
    public Scenario Scenario { get; }

    /// <summary>The fleet, available once <see cref="RunAsync"/> has started (or after <see cref="Build"/>).</summary>
    public Fleet? Fleet { get; private set; }

    /// <summary>Adds a sink with a queue of <paramref name="queueCapacity"/> batches.</summary>
    public Simulator AddSink(IReadingSink sink, int queueCapacity = 4)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sinks.Add((sink, queueCapacity));
        return this;
    }

    /// <summary>Builds the fleet without running (validates the scenario and allocates state).</summary>
    public Fleet Build(DateTimeOffset? now = null) => Fleet ??= Fleet.Build(Scenario, now);

    /// <summary>
    /// Runs to the end of the scenario's time range, or until <paramref name="cancellationToken"/> is cancelled,
    /// in which case generation stops, queued batches are delivered and sinks are completed.
    /// </summary>
    public async Task<RunReport> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_sinks.Count == 0)
        {
            throw new InvalidOperationException("add at least one sink before running");
        }
        Fleet fleet = Build();
        bool realtime = Scenario.Mode == TimeMode.Realtime;
        var computer = new BatchComputer(fleet, Scenario.Simd, Scenario.Threads);
        var planner = new BatchPlanner(fleet);
        int maxPerDevice = fleet.Groups.Max(g => g.SensorsPerDevice);
        long planned = fleet.PlannedReadings;
        int capacity = (int)Math.Max(maxPerDevice, Math.Min(Math.Max(1, Scenario.BatchSize), Math.Min(planned, fleet.ChannelCount * 64L)));
        var runners = new List<SinkRunner>(_sinks.Count);
        int poolSize = 2;
        foreach (var (sink, queue) in _sinks)
        {
            runners.Add(new SinkRunner(sink, queue));
            poolSize = Math.Max(poolSize, queue + 2);
        }
        var pool = new ReadingBatchPool(fleet, poolSize, capacity);
        var clock = Stopwatch.StartNew();
        long generated = 0, omitted = 0, sequence = 0;
        var opened = new List<SinkRunner>();
        try
        {
            foreach (SinkRunner runner in runners)
            {
                await runner.OpenAsync(fleet, cancellationToken).ConfigureAwait(false);
                opened.Add(runner);
            }
            while (!planner.Finished && !cancellationToken.IsCancellationRequested && !runners.TrueForAll(r => r.Failed))
            {
                ReadingBatch batch;
                try
                {
                    batch = await pool.RentAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                planner.Fill(batch, realtime);
                if (realtime && !await WaitUntilAsync(batch.Segments[0].TimestampMs, cancellationToken).ConfigureAwait(false))
                {
                    pool.Return(batch);
                    break;
                }
                computer.Compute(batch);
                batch.Sequence = sequence++;
                batch.SetReferences(runners.Count);
                generated += batch.Readings;
                omitted += batch.Omitted;
                foreach (SinkRunner runner in runners)
                {
                    await runner.EnqueueAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (SinkRunner runner in opened)
            {
                await runner.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            for (int i = 0; i < _sinks.Count; i++)
            {
                try
                {
                    await _sinks[i].Sink.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    runners[i].RecordError($"{_sinks[i].Sink.Name}: closing failed: {ex.Message}");
                }
            }
        }
        clock.Stop();
        return new RunReport(generated, omitted, fleet.ChannelCount, clock.Elapsed, computer.Width,
            Scenario.Threads <= 0 ? Environment.ProcessorCount : Scenario.Threads,
            [.. runners.Select(r => r.Report())]);
    }

    private static async Task<bool> WaitUntilAsync(long timestampMs, CancellationToken cancellationToken)
    {
        long delay = timestampMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (delay <= 0) return true;
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
