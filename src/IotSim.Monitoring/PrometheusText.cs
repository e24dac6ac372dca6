using System.Globalization;
using System.Text;
using IotSim.Core.Diagnostics;

namespace IotSim.Monitoring;

/// <summary>
/// A <see cref="RunSnapshot"/> in the Prometheus text exposition format 0.0.4: counters per sink, gauges, anomalies by
/// kind, and write latency as a summary (quantiles over the whole run, in seconds).
/// </summary>
internal static class PrometheusText
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly (string Quantile, Func<LatencySummary, double> Read)[] s_quantiles =
    [
        ("0.5", l => l.P50), ("0.9", l => l.P90), ("0.99", l => l.P99), ("0.999", l => l.P999),
    ];

    public static string Write(RunSnapshot snapshot, RunState state)
    {
        var text = new StringBuilder(4096);
        PerSink(text, snapshot, "iotsim_readings_generated_total", "counter", "Readings generated for each sink.", s => s.Generated);
        PerSink(text, snapshot, "iotsim_readings_delivered_total", "counter", "Readings each sink confirmed as delivered.", s => s.Delivered);
        PerSink(text, snapshot, "iotsim_readings_dropped_total", "counter", "Readings dropped by a sink's backpressure policy.", s => s.Dropped);
        PerSink(text, snapshot, "iotsim_readings_failed_total", "counter", "Readings whose write failed for good.", s => s.Failed);
        PerSink(text, snapshot, "iotsim_sink_retries_total", "counter", "Write attempts retried after an error.", s => s.Retries);
        PerSink(text, snapshot, "iotsim_sink_bytes_total", "counter", "Bytes written, for sinks that count them.", s => s.Bytes);
        PerSink(text, snapshot, "iotsim_sink_queue_fill_ratio", "gauge", "How full each sink's queue of batches is, 0 to 1.", s => s.QueueFill);
        PerSink(text, snapshot, "iotsim_sink_failed", "gauge", "1 when the sink has failed (see /healthz for its error), else 0.", s => s.Error is null ? 0 : 1);

        Header(text, "iotsim_sink_write_duration_seconds", "summary", "Time of each batch write (retries included) over the whole run.");
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            string sink = Escape(s.Name);
            foreach (var (quantile, read) in s_quantiles)
            {
                Sample(text, $"iotsim_sink_write_duration_seconds{{sink=\"{sink}\",quantile=\"{quantile}\"}}", read(s.Total) / 1000);
            }
            Sample(text, $"iotsim_sink_write_duration_seconds_count{{sink=\"{sink}\"}}", s.Total.Count);
        }

        Header(text, "iotsim_run_lag_seconds", "gauge", "How far generation is behind its schedule (rate and realtime modes).");
        Sample(text, "iotsim_run_lag_seconds", snapshot.LagSeconds);
        if (snapshot.Progress is { } progress)
        {
            Header(text, "iotsim_run_progress_ratio", "gauge", "Share of the time range generated, 0 to 1 (runs with an end).");
            Sample(text, "iotsim_run_progress_ratio", progress);
        }
        Header(text, "iotsim_run_elapsed_seconds", "gauge", "Time since monitoring started.");
        Sample(text, "iotsim_run_elapsed_seconds", snapshot.Elapsed.TotalSeconds);
        Header(text, "iotsim_run_state", "gauge", "1 for the run's current state.");
        foreach (RunState s in Enum.GetValues<RunState>())
        {
            Sample(text, $"iotsim_run_state{{state=\"{Name(s)}\"}}", s == state ? 1 : 0);
        }
        Header(text, "iotsim_anomalies_total", "counter", "Anomalous readings generated, by anomaly kind.");
        foreach (var (kind, count) in snapshot.Anomalies.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Sample(text, $"iotsim_anomalies_total{{kind=\"{Escape(kind)}\"}}", count);
        }
        Header(text, "iotsim_reloads_total", "counter", "Scenario reloads applied.");
        Sample(text, "iotsim_reloads_total", snapshot.Reloads);
        return text.ToString();
    }

    /// <summary>The state's name as the API shows it.</summary>
    public static string Name(RunState state) => state.ToString().ToLowerInvariant();

    /// <summary>A label value with backslash, double quote and line feed escaped, as the format requires.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void PerSink(StringBuilder text, RunSnapshot snapshot, string name, string type, string help, Func<SinkSnapshot, double?> read)
    {
        Header(text, name, type, help);
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            if (read(s) is { } value) Sample(text, $"{name}{{sink=\"{Escape(s.Name)}\"}}", value);
        }
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string series, double value) =>
        text.Append(series).Append(' ').Append(Number(value)).Append('\n');

    private static string Number(double value) => double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
