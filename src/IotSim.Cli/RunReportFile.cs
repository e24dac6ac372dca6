using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IotSim.Core;
using IotSim.Core.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Util;

namespace IotSim.Cli;

/// <summary>
/// <c>iotsim run --report FILE</c>: the run written down as JSON (its layout is docs/report.schema.json), Markdown or
/// one self-contained HTML page with plots (inline SVG, no scripts or fonts from elsewhere). The totals are the run
/// summary's; the timeline is the live view's snapshots, one a second. Sink settings are not written, so no secret is.
/// </summary>
internal static partial class RunReportFile
{
    /// <summary>The report's format version, the first field of the JSON.</summary>
    public const string Format = "iotsim-report/1";

    private static readonly string[] s_extensions = [".json", ".md", ".html"];

    /// <summary>What a report is made of.</summary>
    public sealed record Input(Scenario Scenario, string? ScenarioPath, IReadOnlyList<string> Arguments, RunReport Report, IReadOnlyList<RunSnapshot> Timeline, DateTimeOffset Started, DateTimeOffset Ended);

    /// <summary>Checks the report's path before the run (its extension and folder), so a bad one fails before anything is generated.</summary>
    public static string CheckPath(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!s_extensions.Contains(extension))
        {
            throw new ConfigException(null, 0, "--report", $"'{Core.Util.Excerpt.Of(path)}' has no report extension; allowed: {string.Join(", ", s_extensions)}");
        }
        string full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new ConfigException(null, 0, "--report", $"the folder {folder} does not exist");
        }
        return full;
    }

    /// <summary>Writes the report (to a temporary file renamed into place, so a reader never sees half of one).</summary>
    public static void Write(string path, Input input)
    {
        string text = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".md" => Markdown(input),
            ".html" => Html(input),
            _ => Json(input),
        };
        string temp = path + ".partial";
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>SHA-256 of the scenario file's bytes followed by the command-line arguments (both decide the run).</summary>
    internal static string ScenarioHash(string? scenarioPath, IReadOnlyList<string> arguments)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (scenarioPath is not null && File.Exists(scenarioPath)) sha.AppendData(File.ReadAllBytes(scenarioPath));
        foreach (string a in arguments) sha.AppendData(Encoding.UTF8.GetBytes("\n" + a));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
            // Not Linux, or not readable: the architecture stands in.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Json(Input input)
    {
        RunReport r = input.Report;
        Scenario s = input.Scenario;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("version", BuildInfo.InformationalVersion);
            w.WriteStartObject("scenario");
            if (input.ScenarioPath is { } file) w.WriteString("file", file);
            else w.WriteNull("file");
            w.WriteString("sha256", ScenarioHash(input.ScenarioPath, input.Arguments));
            w.WriteNumber("seed", s.Seed);
            w.WriteString("mode", s.Mode.ToString().ToLowerInvariant());
            w.WriteStartArray("industries");
            foreach (string industry in s.Industries) w.WriteStringValue(industry);
            w.WriteEndArray();
            w.WriteNumber("devices", s.Devices);
            w.WriteString("shard", s.Shard.ToString());
            w.WriteStartArray("sinks");
            foreach (SinkOptions o in s.Sinks)
            {
                w.WriteStartObject();
                w.WriteString("name", o.Name ?? o.Type);
                w.WriteString("type", o.Type);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("machine");
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteString("cpu", CpuModel());
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            w.WriteBoolean("native_aot", BuildInfo.NativeAot);
            w.WriteString("simd", r.Width.ToString());
            w.WriteBoolean("simd_accelerated", r.WidthAccelerated);
            w.WriteNumber("threads", r.Threads);
            w.WriteEndObject();

            w.WriteStartObject("run");
            w.WriteString("started", Iso(input.Started));
            w.WriteString("ended", Iso(input.Ended));
            w.WriteNumber("setup_seconds", Math.Round(r.Setup.TotalSeconds, 6));
            w.WriteNumber("wall_seconds", Math.Round(r.Wall.TotalSeconds, 6));
            w.WriteNumber("generated", r.Generated);
            w.WriteNumber("omitted", r.Omitted);
            w.WriteNumber("channels", r.Channels);
            w.WriteNumber("readings_per_second", Math.Round(r.ReadingsPerSecond, 1));
            w.WriteBoolean("interrupted", r.Interrupted);
            w.WriteBoolean("succeeded", r.Succeeded);
            w.WriteNumber("reloads", r.Reloads.Count);
            w.WriteEndObject();

            w.WriteStartObject("rate");
            if (r.RateTarget is { } target) w.WriteString("target", target.ToString());
            else w.WriteNull("target");
            w.WriteStartArray("achieved_per_second");
            foreach (long n in r.AchievedPerSecond) w.WriteNumberValue(n);
            w.WriteEndArray();
            w.WriteNumber("lag_readings", r.Lag);
            w.WriteEndObject();

            RunSnapshot? last = input.Timeline.Count > 0 ? input.Timeline[^1] : null;
            w.WriteStartArray("sinks");
            foreach (SinkReport k in r.Sinks)
            {
                w.WriteStartObject();
                w.WriteString("name", k.Name);
                w.WriteNumber("generated", k.Generated);
                w.WriteNumber("delivered", k.Delivered);
                w.WriteNumber("dropped", k.Dropped);
                w.WriteNumber("failed", k.Failed);
                SinkSnapshot? live = last?.Sinks.FirstOrDefault(x => x.Name == k.Name);
                w.WriteNumber("retries", live?.Retries ?? 0);
                if (live?.Bytes is { } bytes) w.WriteNumber("bytes", bytes);
                else w.WriteNull("bytes");
                (live?.Total ?? default).WriteJson(w, "latency_ms", decimals: 3);
                if (k.Location is { } where) w.WriteString("location", Redactor.Text(where));
                else w.WriteNull("location");
                if (k.Error is { } error) w.WriteString("error", Redactor.Text(error));
                else w.WriteNull("error");
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("anomalies");
            foreach (var (kind, count) in (last?.Anomalies ?? new Dictionary<string, long>()).OrderBy(a => a.Key, StringComparer.Ordinal)) w.WriteNumber(kind, count);
            w.WriteEndObject();

            w.WriteStartArray("timeline");
            foreach (RunSnapshot t in input.Timeline)
            {
                w.WriteStartObject();
                w.WriteNumber("seconds", Math.Round(t.Elapsed.TotalSeconds, 3));
                w.WriteNumber("generated", t.Generated);
                w.WriteNumber("generated_per_second", Math.Round(t.GeneratedPerSecond, 1));
                w.WriteNumber("lag_seconds", Math.Round(t.LagSeconds, 3));
                if (t.Progress is { } p) w.WriteNumber("progress", Math.Round(p, 6));
                else w.WriteNull("progress");
                w.WriteStartArray("sinks");
                foreach (SinkSnapshot k in t.Sinks)
                {
                    w.WriteStartObject();
                    w.WriteString("name", k.Name);
                    w.WriteNumber("delivered", k.Delivered);
                    w.WriteNumber("delivered_per_second", Math.Round(k.DeliveredPerSecond, 1));
                    w.WriteNumber("queue_fill", Math.Round(k.QueueFill, 4));
                    k.Interval.WriteJson(w, "latency_ms", decimals: 3);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("errors");
            foreach (SinkReport k in r.Sinks.Where(k => k.Error is not null)) w.WriteStringValue(Redactor.Text(k.Error!));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Markdown(Input input)
    {
        RunReport r = input.Report;
        Scenario s = input.Scenario;
        RunSnapshot? last = input.Timeline.Count > 0 ? input.Timeline[^1] : null;
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"# IotSim run report");
        b.AppendLine();
        b.AppendLine("| | |");
        b.AppendLine("| --- | --- |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| scenario | {Cell(input.ScenarioPath ?? "(command line)")} |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| scenario SHA-256 | `{ScenarioHash(input.ScenarioPath, input.Arguments)}` |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| seed | {s.Seed} |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| fleet | {Cell(string.Join(", ", s.Industries))} × {s.Devices:N0} devices, shard {s.Shard}, {s.Mode.ToString().ToLowerInvariant()} mode |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| IotSim | {Cell(BuildInfo.InformationalVersion)} |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| machine | {Cell(CpuModel())}, {Environment.ProcessorCount} cores, {Cell(RuntimeInformation.OSDescription)}, {Cell(RuntimeInformation.FrameworkDescription)}, {r.Width} |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| started / ended | {Iso(input.Started)} / {Iso(input.Ended)} |");
        b.AppendLine(CultureInfo.InvariantCulture, $"| generated | {r.Generated:N0} readings in {r.Wall.TotalSeconds:F3} s = {r.ReadingsPerSecond:N0} readings/s{(r.Interrupted ? " (interrupted)" : "")} |");
        if (r.RateTarget is { } target)
        {
            long[] full = [.. r.AchievedPerSecond.Take(Math.Max(1, r.AchievedPerSecond.Count - 1))];
            b.AppendLine(CultureInfo.InvariantCulture, $"| rate | target {Cell(target.ToString())}; achieved per second: {(full.Length == 0 ? "-" : $"min {full.Min():N0}, max {full.Max():N0}")}; behind by {r.Lag:N0} readings |");
        }
        b.AppendLine();
        b.AppendLine("## Sinks");
        b.AppendLine();
        b.AppendLine("| sink | generated | delivered | dropped | failed | retries | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        b.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (SinkReport k in r.Sinks)
        {
            SinkSnapshot? live = last?.Sinks.FirstOrDefault(x => x.Name == k.Name);
            LatencySummary l = live?.Total ?? default;
            b.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(k.Name)} | {k.Generated:N0} | {k.Delivered:N0} | {k.Dropped:N0} | {k.Failed:N0} | {live?.Retries ?? 0:N0} | {l.P50:F2} | {l.P90:F2} | {l.P99:F2} | {l.P999:F2} | {l.Max:F2} |");
        }
        if (last is { Anomalies.Count: > 0 })
        {
            b.AppendLine();
            b.AppendLine("## Anomalies injected");
            b.AppendLine();
            b.AppendLine("| kind | readings |");
            b.AppendLine("| --- | ---: |");
            foreach (var (kind, count) in last.Anomalies.OrderBy(a => a.Key, StringComparer.Ordinal)) b.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {count:N0} |");
        }
        if (input.Timeline.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("## Timeline");
            b.AppendLine();
            b.AppendLine("| s | generated/s | lag s | " + string.Join(" | ", input.Timeline[^1].Sinks.Select(k => $"{Cell(k.Name)} delivered/s | p99 ms")) + " |");
            b.AppendLine("| ---: | ---: | ---: | " + string.Join(" | ", input.Timeline[^1].Sinks.Select(_ => "---: | ---:")) + " |");
            foreach (RunSnapshot t in input.Timeline)
            {
                string perSink = string.Join(" | ", t.Sinks.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.DeliveredPerSecond:N0} | {k.Interval.P99:F2}")));
                b.AppendLine(CultureInfo.InvariantCulture, $"| {t.Elapsed.TotalSeconds:F1} | {t.GeneratedPerSecond:N0} | {t.LagSeconds:F1} | {perSink} |");
            }
        }
        if (r.Sinks.Any(k => k.Error is not null))
        {
            b.AppendLine();
            b.AppendLine("## Errors");
            b.AppendLine();
            foreach (SinkReport k in r.Sinks.Where(k => k.Error is not null)) b.AppendLine(CultureInfo.InvariantCulture, $"- {Cell(Redactor.Text(k.Error!))}");
        }
        return b.ToString();
    }

    /// <summary>Text safe in a Markdown table cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
