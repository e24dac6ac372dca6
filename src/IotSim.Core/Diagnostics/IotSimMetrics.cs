using System.Diagnostics.Metrics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Diagnostics;

/// <summary>
/// The <c>IotSim</c> meter's instrument names: what <c>dotnet-counters monitor --counters IotSim</c>, an OpenTelemetry
/// exporter, the live view, the monitoring API and the run report read. Each <see cref="Simulator"/> owns one meter of
/// this name (its <see cref="Meter.Scope"/> is the simulator), so runs in one process stay apart.
/// </summary>
public static class IotSimMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "IotSim";

#pragma warning disable CS1591 // The names document themselves; units and tags are in the README's metrics table.
    public const string Generated = "iotsim.readings.generated";
    public const string Delivered = "iotsim.readings.delivered";
    public const string Dropped = "iotsim.readings.dropped";
    public const string Failed = "iotsim.readings.failed";
    public const string Retries = "iotsim.sink.retries";
    public const string Bytes = "iotsim.sink.bytes";
    public const string WriteDuration = "iotsim.sink.write.duration";
    public const string QueueFill = "iotsim.sink.queue.fill";
    public const string Lag = "iotsim.run.lag";
    public const string Progress = "iotsim.run.progress";
    public const string Anomalies = "iotsim.anomalies";
    public const string Reloads = "iotsim.reloads";
#pragma warning restore CS1591
}

/// <summary>
/// One run's instruments. Counters and gauges are observable: they read the sink runners' own counters when a listener
/// collects, so the write path pays nothing for them. The write-duration histogram is recorded once per batch write.
/// </summary>
internal sealed class RunMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _writeDuration;
    private readonly Simulator _simulator;

    public RunMetrics(Simulator simulator)
    {
        _simulator = simulator;
        _meter = new Meter(new MeterOptions(IotSimMetrics.MeterName) { Version = typeof(RunMetrics).Assembly.GetName().Version?.ToString(), Scope = simulator });
        _meter.CreateObservableCounter(IotSimMetrics.Generated, () => PerSink(r => r.Report().Generated), "{reading}", "Readings generated for each sink.");
        _meter.CreateObservableCounter(IotSimMetrics.Delivered, () => PerSink(r => r.Report().Delivered), "{reading}", "Readings each sink confirmed as delivered.");
        _meter.CreateObservableCounter(IotSimMetrics.Dropped, () => PerSink(r => r.Report().Dropped), "{reading}", "Readings dropped by a sink's backpressure policy.");
        _meter.CreateObservableCounter(IotSimMetrics.Failed, () => PerSink(r => r.Report().Failed), "{reading}", "Readings whose write failed for good.");
        _meter.CreateObservableCounter(IotSimMetrics.Retries, () => PerSink(r => r.Retries), "{retry}", "Write attempts retried after an error.");
        _meter.CreateObservableCounter(IotSimMetrics.Bytes, BytesPerSink, "By", "Bytes written, for sinks that count them.");
        _meter.CreateObservableGauge(IotSimMetrics.QueueFill, () => PerSink(r => r.QueueFill), "1", "How full each sink's queue of batches is, 0 to 1.");
        _meter.CreateObservableGauge(IotSimMetrics.Lag, () => _simulator.LagSeconds, "s", "How far generation is behind its schedule (rate and realtime modes).");
        _meter.CreateObservableGauge(IotSimMetrics.Progress, () => _simulator.Progress ?? 0, "1", "Share of the time range generated, 0 to 1 (backfill).");
        _meter.CreateObservableCounter(IotSimMetrics.Anomalies, AnomaliesByKind, "{reading}", "Anomalous readings generated, by anomaly kind.");
        _meter.CreateObservableCounter(IotSimMetrics.Reloads, () => _simulator.ReloadCount, "{reload}", "Scenario reloads applied.");
        _writeDuration = _meter.CreateHistogram<double>(IotSimMetrics.WriteDuration, "ms", "Time of each batch write (retries included), per sink.");
    }

    /// <summary>Records one batch write of <paramref name="sink"/> that took <paramref name="milliseconds"/>.</summary>
    public void RecordWrite(string sink, double milliseconds)
    {
        if (_writeDuration.Enabled) _writeDuration.Record(milliseconds, new KeyValuePair<string, object?>("sink", sink));
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<T>> PerSink<T>(Func<SinkRunner, T> read)
        where T : struct
    {
        foreach (SinkRunner runner in _simulator.Runners)
        {
            yield return new Measurement<T>(read(runner), new KeyValuePair<string, object?>("sink", runner.Sink.Name));
        }
    }

    private IEnumerable<Measurement<long>> BytesPerSink()
    {
        foreach (SinkRunner runner in _simulator.Runners)
        {
            if (runner.Sink.BytesWritten is { } bytes) yield return new Measurement<long>(bytes, new KeyValuePair<string, object?>("sink", runner.Sink.Name));
        }
    }

    private IEnumerable<Measurement<long>> AnomaliesByKind()
    {
        long[] counts = _simulator.AnomalyCounts();
        for (int kind = 1; kind < counts.Length; kind++)
        {
            yield return new Measurement<long>(counts[kind], new KeyValuePair<string, object?>("kind", AnomalyKinds.ToName((AnomalyKind)kind)));
        }
    }
}
