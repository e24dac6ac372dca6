using System.Diagnostics;
using System.Diagnostics.Metrics;
using HdrHistogram;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Diagnostics;

/// <summary>
/// Reads one simulator's <c>IotSim</c> meter (a <see cref="MeterListener"/>, like <c>dotnet-counters</c>) and turns it into
/// snapshots: counts, rates, queue fill, lag, progress and write-latency percentiles per sink (HdrHistogram, over the
/// last interval and the whole run), keeping a history for reports and dashboards. <see cref="Collect"/> is called by
/// its owner (the live view, the monitoring API) about once a second; the run's last collection happens as it ends.
/// Thread-safe.
/// </summary>
public sealed class RunMonitor : IDisposable
{
    private const long MaxLatencyMicros = 3_600_000_000; // an hour: longer writes are clamped
    private readonly Simulator _simulator;
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SinkState> _sinks = new(StringComparer.Ordinal);
    private readonly List<RunSnapshot> _history = [];
    private readonly int _historyLength;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _anomalies = new(StringComparer.Ordinal);
    private double _lag;
    private double _progress;
    private long _reloads;
    private RunSnapshot? _latest;

    /// <summary>Starts listening to <paramref name="simulator"/>'s meter (before or during its run); keeps the last <paramref name="historyLength"/> snapshots.</summary>
    public RunMonitor(Simulator simulator, int historyLength = 3600)
    {
        _simulator = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _historyLength = Math.Max(2, historyLength);
        StartedAt = DateTimeOffset.UtcNow;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IotSimMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _simulator))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
        simulator.OnFinishing(() => Collect());
    }

    /// <summary>When monitoring started (wall clock, UTC).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The last snapshot, or null before the first <see cref="Collect"/>.</summary>
    public RunSnapshot? Latest
    {
        get
        {
            lock (_lock) return _latest;
        }
    }

    /// <summary>The snapshots collected so far, oldest first (at most the history length).</summary>
    public IReadOnlyList<RunSnapshot> History
    {
        get
        {
            lock (_lock) return [.. _history];
        }
    }

    /// <summary>Reads every instrument now and returns the new snapshot (rates and interval latencies since the previous one).</summary>
    public RunSnapshot Collect()
    {
        lock (_lock)
        {
            _listener.RecordObservableInstruments();
            TimeSpan elapsed = _clock.Elapsed;
            // Rates over at least half a second: a collection right after another (the run's last) would turn one
            // file's completion into an absurd rate.
            RunSnapshot? basis = null;
            for (int i = _history.Count - 1; i >= 0; i--)
            {
                basis = _history[i];
                if ((elapsed - basis.Elapsed).TotalSeconds >= 0.5) break;
            }
            double dt = basis is null ? elapsed.TotalSeconds : (elapsed - basis.Elapsed).TotalSeconds;
            IReadOnlyList<SinkReport> reports = _simulator.SinkReports();
            var sinks = new List<SinkSnapshot>(_sinks.Count);
            // In the run's order of sinks, as the summary lists them.
            foreach (SinkState s in _sinks.Values.OrderBy(x => IndexOf(reports, x.Name)))
            {
                HistogramBase interval = s.Recorder.GetIntervalHistogram();
                s.Total.Add(interval);
                SinkSnapshot? before = basis?.Sinks.FirstOrDefault(x => x.Name == s.Name);
                sinks.Add(new SinkSnapshot(
                    s.Name, s.Generated, s.Delivered, s.Dropped, s.Failed, s.Retries, s.Bytes, s.QueueFill,
                    GeneratedPerSecond: dt > 0 ? (s.Generated - (before?.Generated ?? 0)) / dt : 0,
                    DeliveredPerSecond: dt > 0 ? (s.Delivered - (before?.Delivered ?? 0)) / dt : 0,
                    Interval: Summary(interval),
                    Total: Summary(s.Total),
                    Error: reports.FirstOrDefault(r => r.Name == s.Name)?.Error));
            }
            double? progress = _simulator.Progress is null ? null : _progress;
            TimeSpan? eta = progress is > 0 and < 1 ? elapsed * ((1 - progress.Value) / progress.Value) : progress >= 1 ? TimeSpan.Zero : null;
            var snapshot = new RunSnapshot(DateTimeOffset.UtcNow, elapsed, progress, eta, _lag, _reloads,
                new Dictionary<string, long>(_anomalies, StringComparer.Ordinal), sinks);
            _latest = snapshot;
            _history.Add(snapshot);
            if (_history.Count > _historyLength) _history.RemoveRange(0, _history.Count - _historyLength);
            return snapshot;
        }
    }

    /// <summary>
    /// Collects every <paramref name="interval"/> until <paramref name="cancellationToken"/> is cancelled. A run has one
    /// collector (interval latencies and rates are since the previous collection); readers use <see cref="Latest"/>
    /// and <see cref="History"/>.
    /// </summary>
    public async Task CollectEveryAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) Collect();
        }
        catch (OperationCanceledException)
        {
            // Stopped: the run's last collection is made as it ends.
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private static LatencySummary Summary(HistogramBase h) => h.TotalCount == 0
        ? default
        : new LatencySummary(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()));

    private static double Ms(long micros) => micros / 1000.0;

    private static int IndexOf(IReadOnlyList<SinkReport> reports, string name)
    {
        for (int i = 0; i < reports.Count; i++)
        {
            if (reports[i].Name == name) return i;
        }
        return int.MaxValue;
    }

    private SinkState Sink(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string name = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "sink") name = tag.Value as string ?? "";
        }
        lock (_lock)
        {
            if (!_sinks.TryGetValue(name, out SinkState? state)) _sinks[name] = state = new SinkState(name);
            return state;
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case IotSimMetrics.Generated: Sink(tags).Generated = value; break;
            case IotSimMetrics.Delivered: Sink(tags).Delivered = value; break;
            case IotSimMetrics.Dropped: Sink(tags).Dropped = value; break;
            case IotSimMetrics.Failed: Sink(tags).Failed = value; break;
            case IotSimMetrics.Retries: Sink(tags).Retries = value; break;
            case IotSimMetrics.Bytes: Sink(tags).Bytes = value; break;
            case IotSimMetrics.Reloads: _reloads = value; break;
            case IotSimMetrics.Anomalies:
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind" && tag.Value is string kind) _anomalies[kind] = value;
                }
                break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case IotSimMetrics.WriteDuration:
                // Recorded on the sinks' writer threads: the recorder takes values from any thread without locks.
                Sink(tags).Recorder.RecordValue(Math.Clamp((long)(value * 1000), 1, MaxLatencyMicros));
                break;
            case IotSimMetrics.QueueFill: Sink(tags).QueueFill = value; break;
            case IotSimMetrics.Lag: _lag = value; break;
            case IotSimMetrics.Progress: _progress = value; break;
        }
    }

    private sealed class SinkState(string name)
    {
        public string Name { get; } = name;

        public Recorder Recorder { get; } = HistogramFactory.With64BitBucketSize().WithValuesUpTo(MaxLatencyMicros).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();

        public LongHistogram Total { get; } = new(MaxLatencyMicros, 3);

        public long Generated;
        public long Delivered;
        public long Dropped;
        public long Failed;
        public long Retries;
        public long? Bytes;
        public double QueueFill;
    }
}

/// <summary>Write-latency percentiles in milliseconds (all zero when no write happened).</summary>
public readonly record struct LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max)
{
    /// <summary>Writes the summary as the JSON object <paramref name="name"/> (count, p50, p90, p99, p999, max), each figure rounded to <paramref name="decimals"/> when given.</summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter writer, string name, int? decimals = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        double R(double v) => decimals is { } d ? Math.Round(v, d) : v;
        writer.WriteStartObject(name);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("p50", R(P50));
        writer.WriteNumber("p90", R(P90));
        writer.WriteNumber("p99", R(P99));
        writer.WriteNumber("p999", R(P999));
        writer.WriteNumber("max", R(Max));
        writer.WriteEndObject();
    }
}

/// <summary>One sink at one collection.</summary>
public sealed record SinkSnapshot(
    string Name, long Generated, long Delivered, long Dropped, long Failed, long Retries, long? Bytes, double QueueFill,
    double GeneratedPerSecond, double DeliveredPerSecond, LatencySummary Interval, LatencySummary Total, string? Error);

/// <summary>The run at one collection: progress and ETA (backfill with an end), lag, reloads, anomalies by kind and every sink.</summary>
public sealed record RunSnapshot(
    DateTimeOffset At, TimeSpan Elapsed, double? Progress, TimeSpan? Eta, double LagSeconds, long Reloads,
    IReadOnlyDictionary<string, long> Anomalies, IReadOnlyList<SinkSnapshot> Sinks)
{
    /// <summary>Readings generated (every sink gets every reading, so the largest count).</summary>
    public long Generated => Sinks.Count == 0 ? 0 : Sinks.Max(s => s.Generated);

    /// <summary>Readings generated per second since the previous collection.</summary>
    public double GeneratedPerSecond => Sinks.Count == 0 ? 0 : Sinks.Max(s => s.GeneratedPerSecond);
}
