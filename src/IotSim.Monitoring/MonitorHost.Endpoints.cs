using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using IotSim.Core.Catalog;
using IotSim.Core.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Util;

namespace IotSim.Monitoring;

public sealed partial class MonitorHost
{
    /// <summary>How long <c>/db_stats</c> waits for one sink's statistics.</summary>
    private static readonly TimeSpan s_statisticsTimeout = TimeSpan.FromSeconds(3);

    private static readonly Lazy<byte[]> s_dashboard = new(() =>
    {
        using Stream stream = typeof(MonitorHost).Assembly.GetManifestResourceStream("IotSim.Monitoring.dashboard.html")
            ?? throw new InvalidOperationException("embedded resource 'IotSim.Monitoring.dashboard.html' is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private async Task<Answer> RouteAsync(string path, HttpListenerRequest request) => path switch
    {
        "/" or "/index.html" => new Answer(200, "text/html; charset=utf-8", s_dashboard.Value),
        "/healthz" => Health(),
        "/statusz" => Answer.Json(Json(Status)),
        "/metricz" => Answer.Json(Json(w => Metrics(w, Snapshot()))),
        "/samplez" => Samples(request.QueryString["n"]),
        "/db_stats" => Answer.Json(await DbStatsAsync().ConfigureAwait(false)),
        "/metrics" => new Answer(200, PrometheusText.ContentType, System.Text.Encoding.UTF8.GetBytes(PrometheusText.Write(Snapshot(), State))),
        _ => Answer.Text(404, $"not found: {path}; endpoints: / (dashboard), /healthz, /statusz, /metricz, /samplez?n=K, /db_stats, /metrics\n"),
    };

    private RunSnapshot Snapshot() => _monitor.Latest ?? _monitor.Collect();

    /// <summary><c>/healthz</c>: 200 ok, or 503 naming each failed sink (its error) and a lag beyond the threshold.</summary>
    private Answer Health()
    {
        RunSnapshot snapshot = Snapshot();
        var problems = new List<string>();
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            if (s.Error is { } error) problems.Add($"sink '{s.Name}' failed: {Redactor.Text(error)}");
        }
        double lag = Math.Max(snapshot.LagSeconds, _simulator.LagSeconds);
        if (lag > _options.LagThreshold.TotalSeconds)
        {
            problems.Add($"lag {lag.ToString("0.0", CultureInfo.InvariantCulture)} s exceeds the threshold of {DurationParser.Format(_options.LagThreshold)} (monitoring.lag_threshold)");
        }
        if (problems.Count == 0 && State == RunState.Failed) problems.Add("the run failed");
        return problems.Count == 0 ? Answer.Text(200, "ok\n") : Answer.Text(503, "unhealthy: " + string.Join("; ", problems) + "\n");
    }

    /// <summary><c>/statusz</c>: state, uptime, the scenario with secrets hidden, and rates.</summary>
    private void Status(Utf8JsonWriter w)
    {
        Scenario scenario = _simulator.Scenario;
        RunSnapshot snapshot = Snapshot();
        w.WriteString("state", PrometheusText.Name(State));
        w.WriteString("started_at", _monitor.StartedAt);
        w.WriteNumber("uptime_seconds", Math.Round((DateTimeOffset.UtcNow - _monitor.StartedAt).TotalSeconds, 3));
        w.WriteString("url", Url.ToString());
        w.WriteStartObject("scenario");
        w.WriteString("file", scenario.SourcePath);
        w.WriteString("seed", scenario.Seed.ToString(CultureInfo.InvariantCulture));
        w.WriteStartArray("industries");
        foreach (string industry in scenario.Industries) w.WriteStringValue(industry);
        w.WriteEndArray();
        w.WriteNumber("custom_sensors", scenario.CustomSensors.Count);
        w.WriteNumber("devices", scenario.Devices);
        w.WriteString("mode", scenario.Mode.ToString().ToLowerInvariant());
        if (scenario.Mode == TimeMode.Realtime) w.WriteNumber("speed", scenario.Speed);
        if (scenario.Mode == TimeMode.Rate) w.WriteString("rate", scenario.RateOrDefault.Profile);
        Fleet? fleet = _simulator.Fleet;
        if (fleet is not null)
        {
            w.WriteString("start", fleet.Start);
            if (fleet.End is { } end) w.WriteString("end", end);
            else w.WriteNull("end");
            w.WriteNumber("channels", fleet.ChannelCount);
        }
        w.WriteString("shard", scenario.Shard.ToString());
        w.WriteString("shape", scenario.Shape.ToString().ToLowerInvariant());
        w.WriteStartArray("sinks");
        foreach (SinkOptions o in scenario.Sinks)
        {
            w.WriteStartObject();
            w.WriteString("name", o.Name ?? o.Type);
            w.WriteString("type", o.Type);
            w.WriteNumber("queue_capacity", o.QueueCapacity);
            if (o.MaxBuffer is { } maxBuffer) w.WriteNumber("max_buffer", maxBuffer);
            if (o.BatchSize is { } batchSize) w.WriteNumber("batch_size", batchSize);
            w.WriteString("backpressure", o.Backpressure.ToString().ToLowerInvariant());
            w.WriteNumber("retries", o.Retries);
            w.WriteNumber("parallelism", o.Parallelism);
            w.WriteStartObject("settings");
            foreach (var (key, value) in Redactor.Settings(o.Settings).OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("monitoring");
        w.WriteBoolean("token_required", RequiresToken);
        w.WriteNumber("lag_threshold_seconds", _options.LagThreshold.TotalSeconds);
        w.WriteNumber("samples", _samples.Capacity);
        w.WriteEndObject();
        w.WriteNumber("generated", snapshot.Generated);
        w.WriteStartObject("rates");
        w.WriteNumber("generated_per_second", Math.Round(snapshot.GeneratedPerSecond, 1));
        w.WriteStartObject("sinks");
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            w.WriteStartObject(s.Name);
            w.WriteNumber("generated_per_second", Math.Round(s.GeneratedPerSecond, 1));
            w.WriteNumber("delivered_per_second", Math.Round(s.DeliveredPerSecond, 1));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>/metricz</c>: the latest snapshot, field by field as the README documents.</summary>
    private void Metrics(Utf8JsonWriter w, RunSnapshot snapshot)
    {
        w.WriteString("state", PrometheusText.Name(State));
        w.WriteString("at", snapshot.At);
        w.WriteNumber("elapsed_seconds", Math.Round(snapshot.Elapsed.TotalSeconds, 3));
        if (snapshot.Progress is { } progress) w.WriteNumber("progress", Math.Round(progress, 6));
        else w.WriteNull("progress");
        if (snapshot.Eta is { } eta) w.WriteNumber("eta_seconds", Math.Round(eta.TotalSeconds, 1));
        else w.WriteNull("eta_seconds");
        w.WriteNumber("lag_seconds", Math.Round(snapshot.LagSeconds, 3));
        w.WriteNumber("lag_threshold_seconds", _options.LagThreshold.TotalSeconds);
        w.WriteNumber("reloads", snapshot.Reloads);
        w.WriteNumber("generated", snapshot.Generated);
        w.WriteNumber("generated_per_second", Math.Round(snapshot.GeneratedPerSecond, 1));
        w.WriteStartObject("anomalies");
        foreach (var (kind, count) in snapshot.Anomalies.OrderBy(a => a.Key, StringComparer.Ordinal)) w.WriteNumber(kind, count);
        w.WriteEndObject();
        w.WriteStartArray("errors");
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            if (s.Error is { } error) w.WriteStringValue($"{s.Name}: {Redactor.Text(error)}");
        }
        w.WriteEndArray();
        w.WriteStartArray("sinks");
        foreach (SinkSnapshot s in snapshot.Sinks)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteNumber("generated", s.Generated);
            w.WriteNumber("delivered", s.Delivered);
            w.WriteNumber("dropped", s.Dropped);
            w.WriteNumber("failed", s.Failed);
            w.WriteNumber("retries", s.Retries);
            if (s.Bytes is { } bytes) w.WriteNumber("bytes", bytes);
            else w.WriteNull("bytes");
            w.WriteNumber("queue_fill", Math.Round(s.QueueFill, 4));
            w.WriteNumber("generated_per_second", Math.Round(s.GeneratedPerSecond, 1));
            w.WriteNumber("delivered_per_second", Math.Round(s.DeliveredPerSecond, 1));
            w.WriteStartObject("latency_ms");
            s.Interval.WriteJson(w, "interval");
            s.Total.WriteJson(w, "total");
            w.WriteEndObject();
            if (s.Error is { } error) w.WriteString("error", Redactor.Text(error));
            else w.WriteNull("error");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary><c>/samplez?n=K</c>: the last K readings (all kept when n is absent).</summary>
    private Answer Samples(string? n)
    {
        int count = _samples.Capacity;
        if (n is not null && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count > _samples.Capacity))
        {
            return Answer.Text(400, $"n must be a whole number from 0 to {_samples.Capacity} (monitoring.samples)\n");
        }
        SampleRing.Sample[] samples = _samples.Latest(count);
        Fleet? fleet = _samples.Fleet;
        return Answer.Json(Json(w =>
        {
            w.WriteNumber("count", samples.Length);
            w.WriteNumber("capacity", _samples.Capacity);
            w.WriteStartArray("readings");
            foreach (SampleRing.Sample s in samples)
            {
                SensorDefinition sensor = fleet!.Sensors[s.Sensor];
                w.WriteStartObject();
                w.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteString("device_id", fleet.DeviceId(s.Device));
                w.WriteString("sensor", sensor.Name);
                w.WriteString("unit", sensor.Unit);
                if (float.IsNaN(s.Value)) w.WriteNull("value");
                else w.WriteNumber("value", Math.Round((double)s.Value, Math.Clamp(sensor.Precision, 0, 15)));
                int kind = s.Flags & ReadingFlags.KindMask;
                if (kind == 0) w.WriteNull("anomaly");
                else w.WriteString("anomaly", AnomalyKinds.ToName((AnomalyKind)kind));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    /// <summary><c>/db_stats</c>: per sink, the run's counts and what the sink can tell about its target.</summary>
    private async Task<byte[]> DbStatsAsync()
    {
        RunSnapshot snapshot = Snapshot();
        IReadOnlyList<IReadingSink> sinks = _simulator.Sinks;
        var statistics = new (IReadOnlyDictionary<string, object>? Values, string? Error)[sinks.Count];
        for (int i = 0; i < sinks.Count; i++)
        {
            if (sinks[i] is not ISinkStatistics source) continue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(s_statisticsTimeout);
            try
            {
                statistics[i] = (await source.StatisticsAsync(timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false), null);
            }
            catch (OperationCanceledException)
            {
                statistics[i] = (null, $"no answer within {s_statisticsTimeout.TotalSeconds:0} s");
            }
#pragma warning disable CA1031 // Whatever a target says when asked, the other sinks are still reported.
            catch (Exception e)
#pragma warning restore CA1031
            {
                statistics[i] = (null, Redactor.Text(e.Message));
            }
        }
        return Json(w =>
        {
            w.WriteString("at", DateTimeOffset.UtcNow);
            w.WriteStartArray("sinks");
            for (int i = 0; i < sinks.Count; i++)
            {
                IReadingSink sink = sinks[i];
                SinkSnapshot? counts = snapshot.Sinks.FirstOrDefault(s => s.Name == sink.Name);
                SinkOptions? options = _simulator.Scenario.Sinks.FirstOrDefault(o => (o.Name ?? o.Type) == sink.Name);
                w.WriteStartObject();
                w.WriteString("name", sink.Name);
                w.WriteString("type", options?.Type ?? "api");
                w.WriteNumber("delivered", counts?.Delivered ?? 0);
                if (counts?.Bytes is { } bytes) w.WriteNumber("bytes_written", bytes);
                else w.WriteNull("bytes_written");
                w.WriteStartObject("target");
                if (statistics[i].Values is { } values)
                {
                    foreach (var (key, value) in values) WriteValue(w, key, value);
                }
                w.WriteEndObject();
                if (statistics[i].Error is { } error) w.WriteString("error", error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static void WriteValue(Utf8JsonWriter w, string key, object value)
    {
        switch (value)
        {
            case int i: w.WriteNumber(key, i); break;
            case long l: w.WriteNumber(key, l); break;
            case double d: w.WriteNumber(key, d); break;
            case float f: w.WriteNumber(key, f); break;
            case decimal m: w.WriteNumber(key, m); break;
            case bool b: w.WriteBoolean(key, b); break;
            case DateTimeOffset t: w.WriteString(key, t); break;
            default: w.WriteString(key, Redactor.Value(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")); break;
        }
    }

    /// <summary>One JSON object written by <paramref name="body"/>, as UTF-8.</summary>
    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
