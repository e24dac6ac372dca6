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
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?>? environment = null)
    {
        var overrides = new ScenarioOptions(environment);
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
            if (kind is not ("null" or "csv" or "pacing"))
            {
                throw new Core.ConfigException(null, 0, "--target", $"'{kind}' is not allowed; allowed: null, csv, pacing");
            }
            if (kind == "pacing")
            {
                double rate = scenario.Rate?.MaxRate ?? 200_000;
                return await PacingAsync(rate, output, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The rate-mode check: 10 × <paramref name="rate"/> readings at a constant <paramref name="rate"/> into the null
    /// sink must take 10 s within 1%, and a 10 s ramp from a quarter of the rate to the rate is printed second by second.
    /// </summary>
    private static async Task<int> PacingAsync(double rate, TextWriter output, CancellationToken cancellationToken)
    {
        var fleet = new Scenario
        {
            Industries = ["environmental"],
            Devices = (int)Math.Max(1, rate / 5),
            Interval = TimeSpan.FromSeconds(1),
            Mode = TimeMode.Rate,
            Duration = TimeSpan.FromDays(1),
        };
        // Exactly 10 × rate readings are planned (rate/5 devices × 5 sensors × 10 ticks), so the run ends by itself
        // once they are out; paced right, that is 10 s after it starts generating.
        var constantSim = new Simulator(fleet with { Rate = RateProfile.Constant(rate), Duration = TimeSpan.FromSeconds(10) });
        constantSim.Build();
        RunReport constant = await constantSim.AddSink(new NullSink()).RunAsync(cancellationToken).ConfigureAwait(false);
        long emitted = constant.Generated + constant.Omitted;
        double error = (constant.Wall.TotalSeconds - 10) / 10;
        output.WriteLine($"constant {rate:N0}/s: {emitted:N0} readings in {constant.Wall.TotalSeconds:F3} s (10 s planned, {error:+0.00%;-0.00%}); per second: {string.Join(" ", constant.AchievedPerSecond)}");

        var ramp = new RateProfile { Profile = "ramp", From = rate / 4, To = rate, Over = TimeSpan.FromSeconds(10) };
        using var rampStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rampSim = new Simulator(fleet with { Rate = ramp });
        rampSim.Build();
        rampStop.CancelAfter(TimeSpan.FromSeconds(10));
        RunReport ramped = await rampSim.AddSink(new NullSink()).RunAsync(rampStop.Token).ConfigureAwait(false);
        output.WriteLine($"{ramp}: second, target, achieved");
        for (int i = 0; i < ramped.AchievedPerSecond.Count; i++)
        {
            double target = ramp.ReadingsBy(TimeSpan.FromSeconds(i + 1)) - ramp.ReadingsBy(TimeSpan.FromSeconds(i));
            output.WriteLine($"  {i,2} {target,12:N0} {ramped.AchievedPerSecond[i],12:N0}");
        }
        bool ok = Math.Abs(error) <= 0.01;
        output.WriteLine(ok ? "pacing: within 1%" : "pacing: OFF by more than 1%");
        return ok ? ExitCodes.Ok : ExitCodes.SinkFailed;
    }
}
