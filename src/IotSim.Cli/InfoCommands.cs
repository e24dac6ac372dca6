using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary>Discovery commands: list-industries, list-sensors, list-sinks, init-config, validate, schema.</summary>
internal static class InfoCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error, SinkRegistry sinks, Func<string, string?>? environment = null)
    {
        var listIndustries = new Command("list-industries", "List the built-in industries with their sensor counts.");
        listIndustries.SetAction(_ =>
        {
            output.WriteLine($"{"Industry",-24} {"Sensors",7}");
            output.WriteLine(new string('-', 32));
            foreach (string industry in SensorCatalog.Industries)
            {
                output.WriteLine($"{industry,-24} {SensorCatalog.Sensors(industry).Count,7}");
            }
            output.WriteLine(new string('-', 32));
            output.WriteLine($"{"TOTAL",-24} {SensorCatalog.SensorCount,7}");
            output.WriteLine();
            output.WriteLine($"Device profile '{SensorCatalog.EnvironmentalProfile}': {string.Join(", ", SensorCatalog.Environmental.Select(s => s.Name))}");
            return ExitCodes.Ok;
        });
        yield return listIndustries;

        var industryArg = new Argument<string>("industry") { Description = "An industry from list-industries, or 'environmental'." };
        var listSensors = new Command("list-sensors", "List the sensors of one industry.") { industryArg };
        listSensors.SetAction(parse =>
        {
            string industry = parse.GetValue(industryArg)!;
            IReadOnlyList<SensorDefinition> sensors = SensorCatalog.Sensors(industry);
            output.WriteLine($"Sensors for '{industry}' ({sensors.Count} sensors):");
            output.WriteLine();
            output.WriteLine($"{"Name",-40} {"Type",-13} {"Unit",-8} {"Min",10} {"Max",10} {"Nominal",10} {"Noise σ",9} {"Interval",8}");
            output.WriteLine(new string('-', 114));
            foreach (SensorDefinition s in sensors)
            {
                output.WriteLine($"{s.Name,-40} {SensorTypes.ToName(s.Type),-13} {s.Unit,-8} {s.Min,10:0.###} {s.Max,10:0.###} {s.Nominal,10:0.###} {s.NoiseStd,9:0.####} {DurationParser.Format(s.Interval),8}");
            }
            return ExitCodes.Ok;
        });
        yield return listSensors;

        var markdownOption = new Option<bool>("--markdown") { Description = "Print the sink reference as Markdown tables (the README's sink tables)." };
        var listSinks = new Command("list-sinks", "List the sink types of this build.") { markdownOption };
        listSinks.SetAction(parse =>
        {
            if (parse.GetValue(markdownOption))
            {
                output.Write(SinkDocs.Markdown(sinks));
                return ExitCodes.Ok;
            }
            output.WriteLine($"{"Sink",-10} {"Formats",-17} Description");
            output.WriteLine(new string('-', 72));
            foreach (ISinkProvider provider in sinks.Providers)
            {
                string formats = provider.Capabilities.Formats.Count == 0 ? "-" : string.Join(", ", provider.Capabilities.Formats);
                output.WriteLine($"{provider.Type,-10} {formats,-17} {provider.Description}");
                output.WriteLine($"{"",-10} {"",-17} keys: {string.Join(", ", SinkRegistry.KeysOf(provider))}");
            }
            return ExitCodes.Ok;
        });
        yield return listSinks;

        var outOption = new Option<string?>("--output", "-o") { Description = "Write the starter scenario to this file instead of standard output." };
        var initConfig = new Command("init-config", "Print a commented starter scenario.") { outOption };
        initConfig.SetAction(parse =>
        {
            string? path = parse.GetValue(outOption);
            if (path is null)
            {
                output.Write(StarterScenario.For(sinks));
                return ExitCodes.Ok;
            }
            if (File.Exists(path))
            {
                throw new ConfigException(path, 0, "--output", "the file already exists; choose another name or delete it first");
            }
            File.WriteAllText(path, StarterScenario.For(sinks));
            error.WriteLine($"wrote {path}");
            return ExitCodes.Ok;
        });
        yield return initConfig;

        var identityDevices = new Option<string?>("--devices", "-n") { Description = "Identities to write (one per device), default 1." };
        var identitySeed = new Option<string?>("--seed") { Description = "Seed of the identities (as a scenario's seed), default 42." };
        var identityFormat = new Option<string?>("--format") { Description = "nested (default) or flat, the reference's two identity formats." };
        var identityOut = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var generateIdentity = new Command("generate-identity", "Print device identities (location, device info, deployment, metadata) as identity-file JSON.")
        {
            identityDevices, identitySeed, identityFormat, identityOut,
        };
        generateIdentity.SetAction(parse =>
        {
            long devices = ScenarioOptions.Integer(OptionSpecs.Devices with { Flag = "--devices" }, parse.GetValue(identityDevices) ?? "1");
            if (devices > 100_000) throw new ConfigException(null, 0, "--devices", "allowed: 1 to 100000 identities per file");
            ulong seed = 42;
            if (parse.GetValue(identitySeed) is { } seedText && OptionSpecs.Seed.ParseUInt64(seedText, out seed) is { } seedProblem)
            {
                throw new ConfigException(null, 0, "--seed", seedProblem);
            }
            string format = parse.GetValue(identityFormat) ?? "nested";
            if (format is not ("nested" or "flat")) throw new ConfigException(null, 0, "--format", $"'{Core.Util.Excerpt.Of(format)}' is not an identity format; allowed: nested, flat");
            var fleet = Fleet.Build(new Scenario { Seed = seed, Industries = [SensorCatalog.EnvironmentalProfile], Devices = (int)devices, Duration = TimeSpan.FromSeconds(1) });
            string json = IdentityFile.Write([.. Enumerable.Range(0, (int)devices).Select(fleet.Identity)], format == "nested");
            if (parse.GetValue(identityOut) is { } path)
            {
                if (File.Exists(path)) throw new ConfigException(path, 0, "--output", "the file already exists; choose another name or delete it first");
                File.WriteAllText(path, json);
                error.WriteLine($"wrote {path}");
            }
            else
            {
                output.Write(json);
            }
            return ExitCodes.Ok;
        });
        yield return generateIdentity;

        var scenarioArg = new Argument<string>("scenario") { Description = "The scenario YAML file." };
        var validate = new Command("validate", "Check a scenario file and print what it would run.") { scenarioArg };
        validate.SetAction(parse =>
        {
            Scenario scenario = ScenarioLoader.LoadFile(parse.GetValue(scenarioArg)!, sinks);
            // The plan is computed without allocating the fleet's state, so validating a huge fleet is cheap.
            FleetPlan plan = FleetPlan.Create(scenario, DateTimeOffset.UtcNow);
            plan.CheckMemory(FleetPlan.AvailableBytes);
            foreach (SinkOptions sink in scenario.Sinks)
            {
                _ = sinks.Create(sink, new SinkContext(scenario, Stream.Null) { Environment = environment ?? Environment.GetEnvironmentVariable });
            }
            RunCommand.CheckTargets(scenario, pathFromFlag: false);
            output.WriteLine($"{scenario.SourcePath}: valid");
            output.WriteLine($"  sensors per device: {plan.Sensors.Count} in {plan.Groups.Count} interval group(s)");
            output.WriteLine($"  devices: {scenario.Devices} (shard {scenario.Shard}: {plan.EndDevice - plan.FirstDevice}), channels: {plan.ChannelCount:N0}");
            output.WriteLine($"  time: {scenario.Mode.ToString().ToLowerInvariant()} from {plan.Start:O} to {(plan.End is { } e ? e.ToString("O") : "stopped")}");
            long planned = plan.PlannedReadings;
            output.WriteLine($"  readings planned: {(planned == long.MaxValue ? "unbounded" : planned.ToString("N0"))}");
            output.WriteLine($"  memory needed: about {plan.RequiredBytes() / (double)(1L << 20):N0} MiB of {FleetPlan.AvailableBytes / (double)(1L << 20):N0} MiB available");
            output.WriteLine($"  sinks: {string.Join(", ", scenario.Sinks.Select(s => s.Name ?? s.Type))}");
            return ExitCodes.Ok;
        });
        yield return validate;

        var schema = new Command("schema", "Print the JSON Schema of the scenario format (for editors).");
        schema.SetAction(_ =>
        {
            output.Write(ScenarioSchema.For(sinks));
            return ExitCodes.Ok;
        });
        yield return schema;
    }
}
