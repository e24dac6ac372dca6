using System.CommandLine;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary><c>iotsim run [SCENARIO]</c>: generate readings and send them to sinks.</summary>
internal static class RunCommand
{
    private static readonly string[] s_sinkTypes = ["console", "file", "null"];

    public static Command Create(TextWriter output, TextWriter error, Stream? consoleStream)
    {
        var scenarioArg = new Argument<string?>("scenario") { Description = "Scenario YAML file (optional; see init-config).", Arity = ArgumentArity.ZeroOrOne };
        var overrides = new ScenarioOptions();
        var sinks = new Option<string[]>("--sink", "-s") { Description = "Sink: console, file or null (repeatable). Replaces the scenario's sinks.", AllowMultipleArgumentsPerToken = false };
        var outputDir = new Option<string?>("--output", "-o") { Description = "Directory of file sinks." };
        var outputFormat = new Option<string?>("--output-format") { Description = "File sink format: csv or jsonl." };
        var format = new Option<string?>("--format") { Description = "Console sink format: text or json." };
        var rotation = new Option<string?>("--rotation") { Description = "File sink: start a new file every span of data time (e.g. 1h)." };
        var compression = new Option<string?>("--compression") { Description = "File sink: none, gzip or lz4." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the summary." };

        var command = new Command("run", "Generate sensor readings and send them to sinks.") { scenarioArg };
        foreach (Option o in overrides.All) command.Options.Add(o);
        foreach (Option o in new Option[] { sinks, outputDir, outputFormat, format, rotation, compression, quiet }) command.Options.Add(o);

        command.SetAction(async (parse, cancellationToken) =>
        {
            string? path = parse.GetValue(scenarioArg);
            Scenario scenario = path is null ? new Scenario() : ScenarioLoader.LoadFile(path);
            scenario = overrides.Apply(scenario, parse);

            string[]? sinkTypes = parse.GetValue(sinks);
            IReadOnlyList<SinkOptions> sinkOptions = scenario.Sinks;
            if (sinkTypes is { Length: > 0 })
            {
                sinkOptions = [.. sinkTypes.Select(t => new SinkOptions { Type = ScenarioOptions.ParseEnum<SinkKind>("--sink", t, s_sinkTypes).ToString().ToLowerInvariant() })];
            }
            string? dir = parse.GetValue(outputDir);
            string? fileFormat = parse.GetValue(outputFormat);
            string? consoleFormat = parse.GetValue(format);
            string? rotate = parse.GetValue(rotation);
            string? compress = parse.GetValue(compression);
            if (fileFormat is not null) ScenarioOptions.ParseEnum<FileFormat>("--output-format", fileFormat, [.. SinkFactory.FileFormats]);
            if (consoleFormat is not null) ScenarioOptions.ParseEnum<ConsoleFormat>("--format", consoleFormat, [.. SinkFactory.ConsoleFormats]);
            sinkOptions = [.. sinkOptions.Select(o => o.Type switch
            {
                "file" => o with
                {
                    Path = dir ?? o.Path,
                    Format = fileFormat ?? o.Format,
                    RotateEvery = rotate is null ? o.RotateEvery : ScenarioOptions.ParseDuration("--rotation", rotate),
                    Compression = compress is null ? o.Compression : ScenarioOptions.ParseEnum<Compression>("--compression", compress, ["none", "gzip", "lz4"]),
                },
                "console" => o with { Format = consoleFormat ?? o.Format },
                _ => o,
            })];
            scenario = scenario with { Sinks = UniqueNames(sinkOptions) };

            var simulator = new Simulator(scenario);
            simulator.Build();
            var created = new List<IReadingSink>();
            foreach (SinkOptions o in scenario.Sinks)
            {
                IReadingSink sink = SinkFactory.Create(o, scenario, consoleStream);
                created.Add(sink);
                simulator.AddSink(sink, o.QueueCapacity);
            }
            RunReport report = await simulator.RunAsync(cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(quiet))
            {
                ReportPrinter.Print(report, error);
            }
            foreach (SinkReport s in report.Sinks)
            {
                if (s.Error is not null) await error.WriteLineAsync($"error: {s.Error}").ConfigureAwait(false);
            }
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.SinkFailed;
        });
        return command;
    }

    /// <summary>Repeated sinks of one type without a name get type1, type2, ... so their files and reports stay apart.</summary>
    private static SinkOptions[] UniqueNames(IReadOnlyList<SinkOptions> sinks)
    {
        var result = new SinkOptions[sinks.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sinks.Count; i++)
        {
            SinkOptions o = sinks[i];
            bool repeated = sinks.Count(x => x.Type == o.Type && x.Name is null) > 1;
            if (o.Name is null && repeated)
            {
                int n = seen[o.Type] = seen.GetValueOrDefault(o.Type) + 1;
                o = o with { Name = $"{o.Type}{n}" };
            }
            result[i] = o;
        }
        return result;
    }

    private enum SinkKind
    {
        Console,
        File,
        Null,
    }

    private enum FileFormat
    {
        Csv,
        Jsonl,
    }

    private enum ConsoleFormat
    {
        Text,
        Json,
    }
}
