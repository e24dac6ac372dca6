using System.Diagnostics;
using IotSim.Core.Catalog;
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
    private readonly List<(IReadingSink Sink, SinkOptions Options)> _sinks = [];
    private readonly List<ReloadRecord> _reloads = [];
    private (Scenario Scenario, List<SensorDefinition> Sensors, DateTimeOffset RequestedAt)? _pendingReload;
    private volatile List<SinkRunner>? _runners;
    private readonly long[] _anomalies = new long[AnomalyKinds.Count];
    private readonly List<Action> _finishing = [];
    private Action<ReadingBatch>? _tap;
    private long _lagMicros;
    private long _progressPpm = -1;
    private long _reloadCount;

    /// <summary>Creates a simulator for <paramref name="scenario"/>; sinks are added with <see cref="AddSink(IReadingSink, SinkOptions)"/>.</summary>
    public Simulator(Scenario scenario)
    {
        Scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
    }

    /// <summary>The scenario being run.</summary>
    public Scenario Scenario { get; }

    /// <summary>
    /// Asks a running (or built) simulation to take <paramref name="updated"/> from its next batch on: anomaly
    /// settings, the sensors' normal parameters (nominal, noise, drift, cycle, anomaly probability and magnitude), the
    /// rate profile and the realtime speed. Returns null when accepted, else why not (the scenario is invalid, or it
    /// changes something fixed while running, such as devices, sensors' names and intervals, time range or sinks);
    /// then nothing changes. Thread-safe.
    /// </summary>
    public string? TryReload(Scenario updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        Fleet fleet = Fleet ?? throw new InvalidOperationException("build or run the simulation before reloading it");
        List<SensorDefinition> sensors;
        try
        {
            sensors = FleetPlan.Create(updated).Sensors.ToList();
        }
        catch (ConfigException e)
        {
            return e.Message;
        }
        if (fleet.ReloadBlocker(updated, sensors) is { } blocker)
        {
            return $"{blocker} cannot change while running (restart to change it); the running settings stay";
        }
        lock (_reloads)
        {
            _pendingReload = (updated, sensors, DateTimeOffset.UtcNow);
        }
        return null;
    }

    /// <summary>The fleet, available once <see cref="RunAsync(CancellationToken)"/> has started (or after <see cref="Build"/>).</summary>
    public Fleet? Fleet { get; private set; }

    /// <summary>Adds a sink with a queue of <paramref name="queueCapacity"/> batches.</summary>
    public Simulator AddSink(IReadingSink sink, int queueCapacity = 4) =>
        AddSink(sink, new SinkOptions { Type = "api", QueueCapacity = queueCapacity });

    /// <summary>
    /// Adds a sink run with the flow control of <paramref name="options"/> (its type, name and settings are not used
    /// here): queue capacity, backpressure policy, retries and parallel writers.
    /// </summary>
    public Simulator AddSink(IReadingSink sink, SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        _sinks.Add((sink, options));
        return this;
    }

    /// <summary>The sinks added so far, in order (e.g. for a monitoring endpoint that asks them for statistics).</summary>
    public IReadOnlyList<IReadingSink> Sinks => [.. _sinks.Select(s => s.Sink)];

    /// <summary>Time spent building the fleet (checking the scenario and initialising channel state).</summary>
    public TimeSpan Setup { get; private set; }

    /// <summary>Builds the fleet without running (validates the scenario, checks memory and allocates state).</summary>
    public Fleet Build(DateTimeOffset? now = null)
    {
        if (Fleet is null)
        {
            long started = Stopwatch.GetTimestamp();
            Fleet = Fleet.Build(Scenario, now);
            Setup = Stopwatch.GetElapsedTime(started);
        }
        return Fleet;
    }

    /// <summary>
    /// Runs to the end of the scenario's time range, or until <paramref name="cancellationToken"/> is cancelled, in
    /// which case generation stops, queued batches are still delivered and sinks are completed.
    /// </summary>
    public Task<RunReport> RunAsync(CancellationToken cancellationToken = default) => RunAsync(cancellationToken, CancellationToken.None);

    /// <summary>
    /// Runs like <see cref="RunAsync(CancellationToken)"/>; when <paramref name="abortDelivery"/> is cancelled as well,
    /// queued batches are no longer delivered (they count as failed), writes in progress are asked to stop, and the
    /// sinks complete what they already hold.
    /// </summary>
    public async Task<RunReport> RunAsync(CancellationToken stopGenerating, CancellationToken abortDelivery)
    {
        if (_sinks.Count == 0)
        {
            throw new InvalidOperationException("add at least one sink before running");
        }
        Fleet fleet = Build();
        bool realtime = Scenario.Mode == TimeMode.Realtime;
        var computer = new BatchComputer(fleet, Scenario.Simd, Scenario.Threads);
        var planner = new BatchPlanner(fleet);
        int capacity = fleet.BatchCapacity;
        var runners = new List<SinkRunner>(_sinks.Count);
        int poolSize = 2;
        using var metrics = new Diagnostics.RunMetrics(this);
        Array.Clear(_anomalies);
        Interlocked.Exchange(ref _lagMicros, 0);
        long startMs = fleet.Start.ToUnixTimeMilliseconds();
        long spanMs = fleet.End is { } endAt ? endAt.ToUnixTimeMilliseconds() - startMs : 0;
        Interlocked.Exchange(ref _progressPpm, spanMs > 0 ? 0 : -1);
        foreach (var (sink, options) in _sinks)
        {
            SinkOptions sized = options with { QueueCapacity = options.QueueBatches(capacity), MaxBuffer = null };
            runners.Add(new SinkRunner(sink, sized, metrics));
            // Every queued batch, one being written per writer, and one being generated.
            poolSize = Math.Max(poolSize, sized.QueueCapacity + Math.Max(1, sized.Parallelism) + 1);
        }
        _runners = runners;
        // The sinks added through the API may queue more batches than the scenario's sinks the plan was checked with.
        fleet.Plan.CheckMemory(FleetPlan.AvailableBytes, poolSize);
        var pool = new ReadingBatchPool(fleet, poolSize, capacity);
        using DirtyDelivery? dirty = Scenario.Dirty.Enabled ? new DirtyDelivery(fleet) : null;
        var clock = Stopwatch.StartNew();
        long generated = 0, omitted = 0, sequence = 0;
        RateProfile? rate = Scenario.Mode == TimeMode.Rate ? Scenario.RateOrDefault : null;
        var perSecond = new List<long>();
        long paced = 0;
        (TimeSpan Elapsed, long Paced) rateOrigin = (TimeSpan.Zero, 0);
        double speed = Scenario.Speed;
        long wallStartMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long simStartMs = fleet.Start.ToUnixTimeMilliseconds();
        bool stoppedEarly = false;
        TimeSpan generationTime = TimeSpan.Zero;
        var opened = new List<SinkRunner>();
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(stopGenerating, abortDelivery);
        using CancellationTokenRegistration onAbort = abortDelivery.Register(() => runners.ForEach(r => r.Abort()));
        try
        {
            foreach (SinkRunner runner in runners)
            {
                await runner.OpenAsync(fleet, stop.Token).ConfigureAwait(false);
                opened.Add(runner);
            }
            while (!stop.IsCancellationRequested && !runners.TrueForAll(r => r.Failed))
            {
                // After the time range, batches only carry dirty delivery's late copies still pending.
                bool closing = planner.Finished;
                if (closing && dirty?.HasPending != true) break;
                ReadingBatch batch;
                try
                {
                    batch = await pool.RentAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    stoppedEarly = true;
                    break;
                }
                if (closing)
                {
                    dirty!.Drain(batch, long.MaxValue);
                }
                else
                {
                    // Late copies go at the end of a batch, so with late delivery a batch holds one timestamp at most:
                    // a copy then follows exactly the readings of its due time.
                    planner.Fill(batch, realtime || Scenario.Dirty.Late > 0);
                }
                bool ready = closing || (rate is not null
                    ? await WaitForBudgetAsync(rate, clock, rateOrigin.Elapsed, paced + batch.Count - rateOrigin.Paced, stop.Token).ConfigureAwait(false)
                    : !realtime || await WaitUntilAsync(WallTime(batch.Segments[0].TimestampMs, simStartMs, wallStartMs, speed), stop.Token).ConfigureAwait(false));
                if (!ready)
                {
                    pool.Return(batch);
                    stoppedEarly = true;
                    break;
                }
                if (!closing)
                {
                    long due = batch.Segments[0].TimestampMs;
                    if (spanMs > 0) Interlocked.Exchange(ref _progressPpm, Math.Clamp((due - startMs) * 1_000_000 / spanMs, 0, 1_000_000));
                    if (realtime)
                    {
                        long behindMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - WallTime(due, simStartMs, wallStartMs, speed);
                        Interlocked.Exchange(ref _lagMicros, Math.Max(0, behindMs) * 1000);
                    }
                    else if (rate is not null)
                    {
                        // Readings behind the profile's integral (beyond one batch, the pacing granularity), in seconds at the current rate.
                        TimeSpan since = clock.Elapsed - rateOrigin.Elapsed;
                        double behind = rate.ReadingsBy(since) - (paced - rateOrigin.Paced) - capacity;
                        Interlocked.Exchange(ref _lagMicros, behind > 0 ? (long)(behind / Math.Max(1, rate.RateAt(since)) * 1e6) : 0);
                    }
                }
                if (!closing && TakeReload() is { } reload)
                {
                    fleet.Reload(reload.Scenario, reload.Sensors);
                    _reloads.Add(new ReloadRecord(reload.RequestedAt, DateTimeOffset.UtcNow, DateTimeOffset.FromUnixTimeMilliseconds(batch.Segments[0].TimestampMs)));
                    Interlocked.Increment(ref _reloadCount);
                    if (rate is not null)
                    {
                        // The new profile starts from here: the readings paced so far stay, the integral restarts.
                        rate = reload.Scenario.RateOrDefault;
                        rateOrigin = (clock.Elapsed, paced);
                    }
                    if (realtime && reload.Scenario.Speed != speed)
                    {
                        speed = reload.Scenario.Speed;
                        simStartMs = batch.Segments[0].TimestampMs;
                        wallStartMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    }
                }
                if (!closing)
                {
                    computer.Compute(batch);
                    dirty?.Apply(batch);
                }
                Diagnostics.AnomalyCounter.Add(batch.Flags.AsSpan(0, batch.Count), _anomalies);
                _tap?.Invoke(batch);
                paced += batch.Count;
                batch.Sequence = sequence++;
                batch.SetReferences(runners.Count);
                generated += batch.Readings;
                omitted += batch.Omitted;
                if (rate is not null)
                {
                    int second = (int)clock.Elapsed.TotalSeconds;
                    while (perSecond.Count <= second) perSecond.Add(0);
                    perSecond[second] += batch.Count;
                }
                for (int i = 0; i < runners.Count; i++)
                {
                    try
                    {
                        // Only an abort interrupts the hand-over: a plain stop still delivers what was generated.
                        await runners[i].EnqueueAsync(batch, abortDelivery).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Generated but never queued for these sinks: counted as failed there, so every column adds up.
                        for (int k = i; k < runners.Count; k++)
                        {
                            runners[k].Abandon(batch, alreadyCounted: k == i);
                            batch.Release();
                        }
                        stoppedEarly = true;
                        break;
                    }
                }
            }
        }
        finally
        {
            generationTime = clock.Elapsed;
            // All at once: a sink stuck in a write must not keep the healthy ones from completing their files.
            await Task.WhenAll(runners.Select(r => FinishAsync(r, opened.Contains(r)))).ConfigureAwait(false);
            runners.ForEach(r => r.Finish());
            if (spanMs > 0 && planner.Finished) Interlocked.Exchange(ref _progressPpm, 1_000_000);
            Action[] finishing;
            lock (_finishing) finishing = [.. _finishing];
            foreach (Action callback in finishing)
            {
                try
                {
                    callback();
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or IOException)
                {
                    // An observer's last collection failed (e.g. disposed): the run's own cleanup still happens.
                }
            }
            // Unregister first: a late abort must not reach a disposed runner.
            onAbort.Dispose();
            runners.ForEach(r => r.Dispose());
        }
        clock.Stop();
        dirty?.Flush();
        return new RunReport(generated, omitted, fleet.ChannelCount, clock.Elapsed, computer.Width,
            Scenario.Threads <= 0 ? Environment.ProcessorCount : Scenario.Threads,
            [.. runners.Select(r => r.Report())])
        {
            Setup = Setup,
            WidthAccelerated = Kernels.SensorKernel.IsSupported(computer.Width),
            Interrupted = stoppedEarly || (stop.IsCancellationRequested && (!planner.Finished || dirty?.HasPending == true)),
            RateTarget = rate,
            AchievedPerSecond = perSecond,
            // Up to one batch behind is the pacing granularity, not lag.
            Lag = rate is null ? 0 : Math.Max(0, (long)rate.ReadingsBy(generationTime - rateOrigin.Elapsed) - (paced - rateOrigin.Paced) - capacity),
            Reloads = [.. _reloads],
            Dirty = dirty is null ? null : new DirtyReport(dirty.Late, dirty.Duplicated, dirty.Nulls, dirty.SkewedDevices, dirty.Undelivered),
        };
    }

    private static async Task FinishAsync(SinkRunner runner, bool opened)
    {
        if (opened)
        {
            await runner.CompleteAsync().ConfigureAwait(false);
        }
        try
        {
            await runner.Sink.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            runner.RecordError($"{runner.Sink.Name}: closing failed: {ex.Message}");
        }
    }

    /// <summary>The sink runners of the current (or last) run; empty before it starts.</summary>
    internal IReadOnlyList<SinkRunner> Runners => _runners ?? (IReadOnlyList<SinkRunner>)[];

    /// <summary>How far generation is behind its schedule, in seconds (rate and realtime modes; 0 in backfill). Thread-safe.</summary>
    public double LagSeconds => Interlocked.Read(ref _lagMicros) / 1e6;

    /// <summary>Share of the time range generated so far, 0 to 1; null when the run has no end or has not started. Thread-safe.</summary>
    public double? Progress => Interlocked.Read(ref _progressPpm) is var p and >= 0 ? p / 1e6 : null;

    /// <summary>Scenario reloads applied so far. Thread-safe.</summary>
    public long ReloadCount => Interlocked.Read(ref _reloadCount);

    /// <summary>Anomalous readings generated so far, indexed by <see cref="AnomalyKind"/> (entry 0 unused). Thread-safe.</summary>
    public long[] AnomalyCounts()
    {
        long[] copy = new long[_anomalies.Length];
        for (int i = 0; i < copy.Length; i++) copy[i] = Interlocked.Read(ref _anomalies[i]);
        return copy;
    }

    /// <summary>
    /// Calls <paramref name="observer"/> on the generator's thread with every computed batch, before the sinks get it
    /// (e.g. to keep the last readings for a monitoring endpoint). It must be quick and must not keep the batch.
    /// </summary>
    public void Tap(Action<ReadingBatch> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _tap += observer;
    }

    /// <summary>Calls <paramref name="callback"/> at the end of each run, after the sinks complete and before the run's meter is disposed (a last collection).</summary>
    public void OnFinishing(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_finishing) _finishing.Add(callback);
    }

    /// <summary>
    /// Per-sink counts so far, readable from any thread while a run is under way (or after it). Readings still queued
    /// or being written count in none of the columns until the run is over.
    /// </summary>
    public IReadOnlyList<SinkReport> SinkReports() => _runners is { } r ? [.. r.Select(x => x.Report())] : [];

    /// <summary>The wall-clock time at which a reading stamped <paramref name="timestampMs"/> is due.</summary>
    private static long WallTime(long timestampMs, long simStartMs, long wallStartMs, double speed) =>
        speed == 1 ? timestampMs : wallStartMs + (long)((timestampMs - simStartMs) / speed);

    /// <summary>The reload waiting for the next batch, if any (taken once).</summary>
    private (Scenario Scenario, List<SensorDefinition> Sensors, DateTimeOffset RequestedAt)? TakeReload()
    {
        lock (_reloads)
        {
            var pending = _pendingReload;
            _pendingReload = null;
            return pending;
        }
    }

    /// <summary>
    /// Rate mode: waits until the profile's cumulative budget since <paramref name="origin"/> covers
    /// <paramref name="target"/> readings. Measured on a monotonic clock against the integral of the rate, so sleep
    /// overshoot never accumulates into drift.
    /// </summary>
    private static async Task<bool> WaitForBudgetAsync(RateProfile rate, Stopwatch clock, TimeSpan origin, long target, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                TimeSpan now = clock.Elapsed - origin;
                double deficit = target - rate.ReadingsBy(now);
                if (deficit <= 0) return true;
                double perSecond = rate.RateAt(now);
                double seconds = perSecond > 0 ? Math.Min(deficit / perSecond, 0.05) : 0.05;
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(seconds, 0.001)), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // A realtime start may lie months ahead; Task.Delay takes at most ~49.7 days, so the wait goes in steps.
    private static readonly TimeSpan s_maxDelayStep = TimeSpan.FromDays(1);

    private static async Task<bool> WaitUntilAsync(long timestampMs, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                long delay = timestampMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (delay <= 0) return true;
                TimeSpan step = TimeSpan.FromMilliseconds(delay);
                await Task.Delay(step < s_maxDelayStep ? step : s_maxDelayStep, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
