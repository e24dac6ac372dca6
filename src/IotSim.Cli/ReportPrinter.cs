using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Util;

namespace IotSim.Cli;

/// <summary>Prints the end-of-run summary.</summary>
internal static class ReportPrinter
{
    public static void Print(RunReport report, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"IotSim run{(report.Interrupted ? " (interrupted)" : "")}: {report.Generated:N0} readings from {report.Channels:N0} channels in {report.Wall.TotalSeconds:F3} s = {report.ReadingsPerSecond:N0} readings/s ({report.Width}{(report.WidthAccelerated ? "" : " emulated in software: not accelerated here")}, {report.Threads} threads); setup {report.Setup.TotalSeconds:F3} s, total {(report.Setup + report.Wall).TotalSeconds:F3} s; {report.Omitted:N0} omitted by missing-data anomalies");
        if (report.RateTarget is { } target)
        {
            // Whole seconds only: the last, partial second would understate the rate.
            long[] full = [.. report.AchievedPerSecond.Take(Math.Max(1, report.AchievedPerSecond.Count - 1))];
            string achieved = full.Length == 0 ? "-" : $"median {Median(full):N0}, min {full.Min():N0}, max {full.Max():N0} readings/s";
            w.WriteLine($"rate: target {target}; achieved per second: {achieved}; {(report.Lag > 0 ? $"BEHIND the target by {report.Lag:N0} readings (the sinks could not keep up)" : "on schedule")}");
        }
        if (report.Dirty is { } dirty)
        {
            w.WriteLine($"dirty delivery: {dirty.Late:N0} readings late, {dirty.Duplicated:N0} duplicated, {dirty.Nulls:N0} null, {dirty.SkewedDevices:N0} devices with a skewed clock{(dirty.Undelivered > 0 ? $"; {dirty.Undelivered:N0} held for late delivery were not delivered (stopped first; not counted as generated)" : "")}");
        }
        foreach (ReloadRecord reload in report.Reloads)
        {
            w.WriteLine($"reload: accepted {reload.RequestedAt:HH:mm:ss.fff}, applied {reload.AppliedAt:HH:mm:ss.fff} (wall clock, UTC); readings from {reload.EffectiveFrom:O} use it");
        }
        Table(report.Sinks, w);
    }

    private static long Median(long[] values)
    {
        long[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    /// <summary>The summary of a run abandoned while a write would not stop: readings not confirmed count as failed.</summary>
    public static void PrintAbandoned(Simulator simulator, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("IotSim run (interrupted): stopped while a write was still blocked; readings not confirmed as delivered are counted as failed");
        Table([.. simulator.SinkReports().Select(s => s with { Failed = s.Generated - s.Delivered - s.Dropped })], w);
    }

    private static void Table(IReadOnlyList<SinkReport> sinks, TextWriter w)
    {
        w.WriteLine($"{"sink",-16} {"generated",16} {"delivered",16} {"dropped",12} {"failed",12}");
        foreach (SinkReport s in sinks)
        {
            w.WriteLine($"{s.Name,-16} {s.Generated,16:N0} {s.Delivered,16:N0} {s.Dropped,12:N0} {s.Failed,12:N0}{(s.Error is null ? "" : "  ERROR")}");
            // Sinks' messages can quote their targets: any password in them is hidden.
            if (s.Location is not null) w.WriteLine($"  where: {Redactor.Text(s.Location)}");
            if (s.Error is not null) w.WriteLine($"  error: {Redactor.Text(s.Error)}");
        }
    }
}
