using System.Globalization;
using IotSim.Cli.Charts;
using IotSim.Core.Diagnostics;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

internal static partial class RunReportFile
{
    /// <summary>
    /// The HTML report: the Markdown report's facts, then plots over the run's timeline as inline SVG: readings per
    /// second (generated, and delivered per sink), write latency p50 and p99 per sink, queue fill and lag, and anomalous
    /// readings injected by kind.
    /// </summary>
    private static string Html(Input input)
    {
        RunReport r = input.Report;
        IReadOnlyList<RunSnapshot> timeline = input.Timeline;
        RunSnapshot? last = timeline.Count > 0 ? timeline[^1] : null;
        var facts = new List<(string, string)>
        {
            ("scenario", input.ScenarioPath ?? "(command line)"),
            ("scenario SHA-256", ScenarioHash(input.ScenarioPath, input.Arguments)),
            ("seed", input.Scenario.Seed.ToString(CultureInfo.InvariantCulture)),
            ("fleet", $"{string.Join(", ", input.Scenario.Industries)} × {input.Scenario.Devices:N0} devices, shard {input.Scenario.Shard}, {input.Scenario.Mode.ToString().ToLowerInvariant()} mode"),
            ("IotSim", BuildInfo.InformationalVersion),
            ("machine", $"{CpuModel()}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {(BuildInfo.NativeAot ? "NativeAOT" : "JIT")}, {r.Width}"),
            ("started / ended", $"{Iso(input.Started)} / {Iso(input.Ended)}"),
            ("generated", $"{r.Generated:N0} readings in {r.Wall.TotalSeconds:F3} s = {r.ReadingsPerSecond:N0} readings/s{(r.Interrupted ? " (interrupted)" : "")}"),
        };
        if (r.RateTarget is { } target)
        {
            long[] full = [.. r.AchievedPerSecond.Take(Math.Max(1, r.AchievedPerSecond.Count - 1))];
            facts.Add(("rate", $"target {target}; achieved per second {(full.Length == 0 ? "-" : $"{full.Min():N0} to {full.Max():N0}")}; behind by {r.Lag:N0} readings"));
        }
        foreach (SinkReport k in r.Sinks)
        {
            LatencySummary l = last?.Sinks.FirstOrDefault(x => x.Name == k.Name)?.Total ?? default;
            facts.Add(($"sink {k.Name}", $"generated {k.Generated:N0}, delivered {k.Delivered:N0}, dropped {k.Dropped:N0}, failed {k.Failed:N0}; " +
                $"write latency p50 {l.P50:F2} ms, p90 {l.P90:F2}, p99 {l.P99:F2}, p99.9 {l.P999:F2}, max {l.Max:F2}{(k.Error is null ? "" : $"; error: {Core.Util.Redactor.Text(k.Error)}")}"));
        }

        string[] sinks = last is null ? [] : [.. last.Sinks.Select(k => k.Name)];
        double[] x = [.. timeline.Select(t => ChartSeries.TimeX(t.At))];
        double[] Of(Func<RunSnapshot, double> value) => [.. timeline.Select(value)];
        double[] OfSink(string sink, Func<SinkSnapshot, double> value) =>
            [.. timeline.Select(t => t.Sinks.FirstOrDefault(k => k.Name == sink) is { } k ? value(k) : double.NaN)];
        var charts = new List<LineChart>
        {
            new()
            {
                Title = "Readings per second",
                Unit = "readings/s",
                IncludeZero = true,
                Series = [new ChartSeries("generated", x, Of(t => t.GeneratedPerSecond)), .. sinks.Select((s, i) => new ChartSeries($"{s} delivered", x, OfSink(s, k => k.DeliveredPerSecond)) { ColorIndex = i + 1 })],
            },
            new()
            {
                Title = "Write latency, p50 and p99 of each second",
                Unit = "ms",
                IncludeZero = true,
                // A second without a finished write has no latency: a gap, not a zero.
                Series = [.. sinks.SelectMany((s, i) => new[]
                {
                    new ChartSeries($"{s} p50", x, OfSink(s, k => k.Interval.Count > 0 ? k.Interval.P50 : double.NaN)) { ColorIndex = (2 * i) + 1 },
                    new ChartSeries($"{s} p99", x, OfSink(s, k => k.Interval.Count > 0 ? k.Interval.P99 : double.NaN)) { ColorIndex = (2 * i) + 2 },
                })],
            },
            new()
            {
                Title = "Queue fill and lag",
                Unit = "% / s",
                IncludeZero = true,
                Series = [new ChartSeries("lag (s)", x, Of(t => t.LagSeconds)), .. sinks.Select((s, i) => new ChartSeries($"{s} queue (%)", x, OfSink(s, k => k.QueueFill * 100)) { ColorIndex = i + 1 })],
            },
        };
        string[] kinds = last is null ? [] : [.. last.Anomalies.Where(a => a.Value > 0).Select(a => a.Key).Order(StringComparer.Ordinal)];
        if (kinds.Length > 0)
        {
            charts.Add(new LineChart
            {
                Title = "Anomalous readings injected (cumulative)",
                Unit = "readings",
                IncludeZero = true,
                Series = [.. kinds.Select((kind, i) => new ChartSeries(kind, x, Of(t => t.Anomalies.GetValueOrDefault(kind))) { ColorIndex = i })],
            });
        }
        IReadOnlyList<string> svgs = timeline.Count >= 2 ? [SvgChartWriter.Write(charts, new ChartGrid(Columns: 2))] : [];
        return HtmlChartPage.Write("IotSim run report", facts, svgs);
    }
}
