using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary>Prints the end-of-run summary.</summary>
internal static class ReportPrinter
{
    public static void Print(RunReport report, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"IotSim run: {report.Generated:N0} readings from {report.Channels:N0} channels in {report.Wall.TotalSeconds:F3} s = {report.ReadingsPerSecond:N0} readings/s ({report.Width}, {report.Threads} threads); {report.Omitted:N0} omitted by missing-data anomalies");
        w.WriteLine($"{"sink",-16} {"generated",16} {"delivered",16} {"dropped",12} {"failed",12}");
        foreach (SinkReport s in report.Sinks)
        {
            w.WriteLine($"{s.Name,-16} {s.Generated,16:N0} {s.Delivered,16:N0} {s.Dropped,12:N0} {s.Failed,12:N0}{(s.Error is null ? "" : "  ERROR")}");
        }
    }
}
