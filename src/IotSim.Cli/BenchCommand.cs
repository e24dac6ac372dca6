using System.CommandLine;
using System.Runtime.Intrinsics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary>
/// <c>iotsim bench</c>: the end-to-end throughput harness. Runs a backfill into the null sink (generator alone) or
/// into CSV files (generator + encoder + file I/O) several times and prints the median readings/s.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var overrides = new ScenarioOptions();
        var repeat = new Option<int>("--repeat", "-r") { Description = "Number of timed runs (the median is reported).", DefaultValueFactory = _ => 5 };
        var target = new Option<string>("--target") { Description = "null (generator only) or csv (CSV files in a temporary folder, deleted afterwards).", DefaultValueFactory = _ => "null" };
        var command = new Command("bench", "Measure end-to-end throughput (default: all industries, 1000 devices, 1 s interval, 10 min backfill → 227 M readings into the null sink).");
        foreach (Option o in overrides.All) command.Options.Add(o);
        command.Options.Add(repeat);
        command.Options.Add(target);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var defaults = new Scenario
            {
                Industries = ["all"],
                Devices = 1000,
                Interval = TimeSpan.FromSeconds(1),
                Duration = TimeSpan.FromMinutes(10),
            };
            Scenario scenario = overrides.Apply(defaults, parse);
            int runs = parse.GetValue(repeat);
            if (runs is < 1 or > 100) throw new Core.ConfigException(null, 0, "--repeat", $"{runs} is out of range; allowed: 1 to 100");
            string kind = parse.GetValue(target)!;
            if (kind is not ("null" or "csv"))
            {
                throw new Core.ConfigException(null, 0, "--target", $"'{kind}' is not allowed; allowed: null, csv");
            }
            output.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}");
            var rates = new List<double>();
            for (int i = 0; i < runs && !cancellationToken.IsCancellationRequested; i++)
            {
                string? dir = kind == "csv" ? Directory.CreateTempSubdirectory("iotsim-bench-").FullName : null;
                try
                {
                    var sim = new Simulator(scenario);
                    IReadingSink sink = dir is null
                        ? new NullSink()
                        : new FileSink(new FileSinkOptions { Format = "csv", Path = dir }, scenario.Shape);
                    sim.AddSink(sink);
                    RunReport report = await sim.RunAsync(cancellationToken).ConfigureAwait(false);
                    rates.Add(report.ReadingsPerSecond);
                    output.WriteLine($"run {i + 1}: {report.Generated:N0} readings in {report.Wall.TotalSeconds:F3} s = {report.ReadingsPerSecond / 1e6:F1} M readings/s ({report.Width}, {report.Threads} threads)");
                    if (!report.Succeeded) return ExitCodes.SinkFailed;
                }
                finally
                {
                    if (dir is not null) Directory.Delete(dir, recursive: true);
                }
            }
            rates.Sort();
            output.WriteLine($"median: {rates[rates.Count / 2] / 1e6:F1} M readings/s ({kind})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
