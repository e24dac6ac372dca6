using System.CommandLine;
using System.Globalization;
using IotSim.Cli.Charts;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary>
/// <c>iotsim preview [SCENARIO] -o FILE</c>: charts of a few devices' readings for chosen sensors, anomaly episodes
/// shaded and labelled, as SVG, self-contained HTML or PNG. The readings come from the engine with the scenario's
/// seed, fleet and identities: devices [0, first + N) are generated (a device's readings depend on its index alone,
/// not on the fleet's size) and the N charted ones kept, so they are exactly what <c>iotsim run</c> writes for them.
/// </summary>
internal static class PreviewCommand
{
    /// <summary>Output extensions, in the order the error lists them.</summary>
    internal static readonly string[] Extensions = [".html", ".svg", ".png"];

    /// <summary>Longest window a preview charts.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Window when the scenario is longer (or unbounded).</summary>
    internal static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);

    private const int DefaultDevices = 3;
    private const int DefaultSensors = 4;

    public static Command Create(TextWriter output, TextWriter error, SinkRegistry sinkTypes, Func<string, string?>? environment = null)
    {
        var scenarioArg = new Argument<string?>("scenario") { Description = "Scenario YAML file (optional; else $IOTSIM_CONFIG or $CONFIG_FILE, else the defaults).", Arity = ArgumentArity.ZeroOrOne };
        var overrides = new ScenarioOptions(environment);
        var outputFile = new Option<string?>("--output", "-o") { Description = $"The file to write; its extension chooses the format: {string.Join(", ", Extensions)}." };
        var sensors = new Option<string?>("--sensors") { Description = $"Sensors to chart, comma-separated (default: the fleet's first {DefaultSensors})." };
        var devices = new Option<string?>("--devices", "-n") { Description = $"How many devices to chart: the first N of the fleet (of the scenario's shard), default {DefaultDevices}." };
        var duration = new Option<string?>("--duration", "-d") { Description = $"Window from the scenario's start (default: the scenario's duration, at most {DurationParser.Format(DefaultDuration)}; up to {DurationParser.Format(MaxDuration)})." };

        var command = new Command("preview", "Chart a few devices' readings (anomalies shaded and labelled) as SVG, HTML or PNG, from the same engine and seed as run.") { scenarioArg };
        // --devices and --duration mean what is charted here; the other overrides change the scenario as in run.
        foreach (Option o in new Option[] { overrides.Seed, overrides.Industries, overrides.Interval, overrides.Start, overrides.Threads, overrides.Simd, overrides.Shard, overrides.IdentityFile })
        {
            command.Options.Add(o);
        }
        foreach (Option o in new Option[] { outputFile, sensors, devices, duration }) command.Options.Add(o);

        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(outputFile) ?? throw new ConfigException(null, 0, "-o", $"name the file to write; allowed extensions: {string.Join(", ", Extensions)}");
            string format = FormatOf(path);
            string target = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(target)!;
            if (!Directory.Exists(folder)) throw new ConfigException(null, 0, "-o", $"the folder '{Core.Util.Excerpt.Of(folder)}' does not exist");

            string? scenarioPath = overrides.ScenarioPath(parse.GetValue(scenarioArg));
            Scenario scenario = scenarioPath is null ? new Scenario() : ScenarioLoader.LoadFile(scenarioPath, sinkTypes);
            scenario = overrides.Apply(scenario, parse);
            FleetPlan plan = FleetPlan.Create(scenario);

            int shardDevices = plan.EndDevice - plan.FirstDevice;
            int deviceCount = Math.Min(DefaultDevices, shardDevices);
            if (parse.GetValue(devices) is { } devicesText)
            {
                if (!int.TryParse(devicesText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out deviceCount) || deviceCount < 1 || deviceCount > shardDevices)
                {
                    throw new ConfigException(null, 0, "--devices", $"'{Core.Util.Excerpt.Of(devicesText)}' is not a device count of this fleet; allowed: 1 to {shardDevices} (the fleet's devices{(scenario.Shard == Shard.All ? "" : $" in shard {scenario.Shard}")})");
                }
            }

            List<string> sensorNames = SensorNames(plan, parse.GetValue(sensors));

            TimeSpan available = plan.End is { } end ? end - plan.Start : TimeSpan.MaxValue;
            TimeSpan window = available < DefaultDuration ? available : DefaultDuration;
            if (parse.GetValue(duration) is { } durationText)
            {
                TimeSpan limit = available < MaxDuration ? available : MaxDuration;
                if (OptionSpecs.Duration.ParseDuration(durationText, out window) is { } problem) throw new ConfigException(null, 0, "--duration", problem);
                if (window > limit)
                {
                    throw new ConfigException(null, 0, "--duration", $"{DurationParser.Format(window)} is longer than a preview charts; allowed: up to {DurationParser.Format(limit)} ({(limit == MaxDuration ? "the preview's limit" : "the scenario's duration")})");
                }
            }

            // The devices charted, and those before them in the shard, are generated; a device's readings do not
            // depend on how many devices follow it, and an identity file's entries stay with their devices.
            int first = plan.FirstDevice;
            IReadOnlyList<IdentityFile.Entry>? identities = scenario.Device.Identities is { Count: > 1 } all ? [.. all.Take(first + deviceCount)] : scenario.Device.Identities;
            Scenario run = scenario with
            {
                Mode = TimeMode.Backfill,
                Start = plan.Start,
                Duration = window,
                End = null,
                Devices = first + deviceCount,
                Shard = Shard.All,
                Device = scenario.Device with { Identities = identities },
                Sinks = [],
            };
            PreviewData data = await PreviewData.GenerateAsync(run, sensorNames, first, deviceCount, cancellationToken).ConfigureAwait(false);
            List<LineChart> charts = data.Charts();
            var grid = new ChartGrid(Columns: charts.Count == 1 ? 1 : 2);
            byte[] bytes = format switch
            {
                ".png" => RasterCanvas.RenderPng(charts, grid),
                ".svg" => System.Text.Encoding.UTF8.GetBytes(SvgChartWriter.Write(charts, grid)),
                _ => System.Text.Encoding.UTF8.GetBytes(Html(scenarioPath, scenario, data, sensorNames, SvgChartWriter.Write(charts, grid))),
            };
            WriteAtomically(target, bytes);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path}: {sensorNames.Count} sensor(s) × {deviceCount} device(s), {Iso(data.Start)} to {Iso(data.End)}, {data.Readings:N0} readings, {data.Episodes} anomaly episode(s)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The output format from the file's extension, or a ConfigException naming -o.</summary>
    internal static string FormatOf(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return Extensions.Contains(extension)
            ? extension
            : throw new ConfigException(null, 0, "-o", $"'{Core.Util.Excerpt.Of(Path.GetFileName(path))}' has no chart extension; allowed extensions: {string.Join(", ", Extensions)}");
    }

    /// <summary>The sensors to chart: those named (each must be in the fleet), else the fleet's first few.</summary>
    private static List<string> SensorNames(FleetPlan plan, string? text)
    {
        var names = plan.Sensors.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        if (text is null) return [.. names.Take(DefaultSensors)];
        var chosen = new List<string>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!names.Contains(item, StringComparer.Ordinal))
            {
                throw new ConfigException(null, 0, "--sensors", $"no sensor '{Core.Util.Excerpt.Of(item)}' in this fleet{Core.Util.DidYouMean.Suggest(item, names)}; allowed: {string.Join(", ", names)}");
            }
            if (!chosen.Contains(item, StringComparer.Ordinal)) chosen.Add(item);
        }
        return chosen.Count > 0 ? chosen : throw new ConfigException(null, 0, "--sensors", $"name at least one sensor; allowed: {string.Join(", ", names)}");
    }

    private static string Html(string? scenarioPath, Scenario scenario, PreviewData data, List<string> sensorNames, string svg)
    {
        Fleet fleet = data.Fleet;
        string shard = scenario.Shard == Shard.All ? "" : $" (shard {scenario.Shard})";
        var facts = new List<(string, string)>
        {
            ("Scenario file", scenarioPath ?? "none (the defaults)"),
            ("Seed", scenario.Seed.ToString(CultureInfo.InvariantCulture)),
            ("Fleet", $"{scenario.Devices.ToString(CultureInfo.InvariantCulture)} device(s){shard} of {string.Join(", ", scenario.Industries)}, {fleet.Sensors.Count.ToString(CultureInfo.InvariantCulture)} sensors each"),
            ("Devices charted", string.Join(", ", Enumerable.Range(data.FirstDevice, data.DeviceCount).Select(fleet.DeviceId))),
            ("Sensors charted", string.Join(", ", sensorNames)),
            ("Time range", $"{Iso(data.Start)} to {Iso(data.End)} (UTC)"),
            ("Readings charted", data.Readings.ToString("N0", CultureInfo.InvariantCulture)),
            ("Anomaly episodes", data.Episodes.ToString(CultureInfo.InvariantCulture)),
        };
        string title = $"IotSim preview: {(scenarioPath is null ? "default scenario" : Path.GetFileName(scenarioPath))}";
        return HtmlChartPage.Write(title, facts, [svg]);
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes a temporary file beside <paramref name="target"/> and moves it into place, so a failure leaves nothing half-written.</summary>
    private static void WriteAtomically(string target, byte[] bytes)
    {
        string temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
