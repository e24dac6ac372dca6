using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary><c>iotsim run [SCENARIO]</c>: generate readings and send them to sinks.</summary>
internal static class RunCommand
{
    /// <summary>How long an aborted run waits for a write that does not stop (e.g. blocked on a full pipe) before it reports and exits.</summary>
    private static readonly TimeSpan s_abortGrace = TimeSpan.FromSeconds(3);

    /// <summary>What <c>run</c> writes to standard error: errors only, warnings too, the summary (default), or also the plan.</summary>
    internal static readonly OptionSpec LogLevel = new()
    {
        Key = "log_level",
        Flag = "--log-level",
        Noun = "log level",
        Kind = OptionKind.Choice,
        Choices = ["error", "warning", "info", "debug"],
        Default = "info",
        Description = "What goes to standard error: error (errors only, as -q), warning (also rejected reloads), info (also the summary and accepted reloads; the default) or debug (also the run's plan: fleet, batches, memory, sinks). Also IOTSIM_LOG_LEVEL.",
    };

    private static readonly OptionSpec s_drainTimeout = new()
    {
        Key = "drain_timeout",
        Flag = "--drain-timeout",
        Kind = OptionKind.Duration,
        MinDuration = TimeSpan.Zero,
        MaxDuration = TimeSpan.FromHours(1),
        Description = "After Ctrl-C or SIGTERM, how long queued readings are still delivered before the run stops at once (default 10s).",
    };

    private static readonly OptionSpec s_progress = new()
    {
        Key = "progress",
        Flag = "--progress",
        Kind = OptionKind.Duration,
        MinDuration = TimeSpan.Zero,
        MaxDuration = TimeSpan.FromHours(1),
        Description = "When standard error is not a terminal, print one progress line this often (default 5s; 0 turns them off). On a terminal a live view is shown instead. -q turns both off.",
    };

    public static Command Create(TextWriter output, TextWriter error, Stream? consoleStream, RunSignals? signals, SinkRegistry sinkTypes,
        Func<string, string?>? environment = null, TerminalInfo? terminal = null)
    {
        var scenarioArg = new Argument<string?>("scenario") { Description = "Scenario YAML file (optional; see init-config; else $IOTSIM_CONFIG or $CONFIG_FILE).", Arity = ArgumentArity.ZeroOrOne };
        var overrides = new ScenarioOptions(environment);
        var sinks = new Option<string[]>("--sink", "-s") { Description = $"Sink (repeatable); replaces the scenario's sinks. Allowed: {sinkTypes.TypeSpec.Allowed}.", AllowMultipleArgumentsPerToken = false };
        var outputDir = ScenarioOptions.Make(OptionSpecs.SinkPath, "-o");
        var outputFormat = ScenarioOptions.Make(OptionSpecs.FileFormat);
        var format = ScenarioOptions.Make(OptionSpecs.ConsoleFormat);
        var rotation = ScenarioOptions.Make(OptionSpecs.Rotation);
        var compression = ScenarioOptions.Make(OptionSpecs.Compression);
        var drain = ScenarioOptions.Make(s_drainTimeout);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the summary." };
        var logLevel = ScenarioOptions.Make(LogLevel);
        var monitor = MonitorOption.Create();
        var watch = new Option<bool>("--watch") { Description = "Reload the scenario file when it changes: anomaly settings, sensor parameters, the rate profile and speed apply from the next batch; an invalid edit is reported and the running settings stay." };
        var progress = ScenarioOptions.Make(s_progress);
        var reportFile = new Option<string?>("--report") { Description = "Also write a report of the run to this file: .json, .md or .html (one self-contained page with plots), by its extension." };

        var command = new Command("run", "Generate sensor readings and send them to sinks.") { scenarioArg };
        foreach (Option o in overrides.All) command.Options.Add(o);
        foreach (Option o in new Option[] { sinks, outputDir, outputFormat, format, rotation, compression, drain, quiet, logLevel, watch, progress, reportFile, monitor }) command.Options.Add(o);

        command.SetAction(async (parse, cancellationToken) =>
        {
            string? path = overrides.ScenarioPath(parse.GetValue(scenarioArg));
            int level = parse.GetValue(quiet) ? 0 : overrides.Value(parse, logLevel) is ({ } levelText, var levelFrom)
                ? Array.IndexOf(LogLevel.Choices.ToArray(), Check(levelFrom, LogLevel, levelText))
                : 2;
            bool summary = level >= 2;
            Scenario Load()
            {
                Scenario loaded = path is null ? new Scenario() : ScenarioLoader.LoadFile(path, sinkTypes);
                loaded = MonitorOption.Apply(overrides.Apply(loaded, parse), overrides.Value(parse, monitor));
                return loaded with { Sinks = UniqueNames(ApplySinkOptions(loaded.Sinks, parse, sinkTypes, sinks, outputDir, outputFormat, format, rotation, compression)) };
            }
            Scenario scenario = Load();
            if (parse.GetValue(watch) && path is null)
            {
                throw new ConfigException(null, 0, "--watch", "--watch reloads a scenario file: name one (or set IOTSIM_CONFIG)");
            }
            if (parse.GetValue(drain) is { } d && signals is not null) signals.DrainTimeout = ScenarioOptions.ParseDuration(s_drainTimeout, d);
            TimeSpan progressEvery = parse.GetValue(progress) is { } pe ? ScenarioOptions.ParseDuration(s_progress, pe) : TimeSpan.FromSeconds(5);
            string? reportPath = parse.GetValue(reportFile) is { } rf ? RunReportFile.CheckPath(rf) : null;

            CheckTargets(scenario, parse.GetValue(outputDir) is not null);
            var simulator = new Simulator(scenario);
            Fleet fleet = simulator.Build();
            if (level >= 3)
            {
                await error.WriteLineAsync(Plan(fleet, simulator.Setup)).ConfigureAwait(false);
            }
            foreach (SinkOptions o in scenario.Sinks)
            {
                simulator.AddSink(sinkTypes.Create(o, new SinkContext(scenario, consoleStream) { Environment = environment ?? Environment.GetEnvironmentVariable }), o);
            }

            Monitoring.MonitorHost? monitoring = await MonitorOption.StartAsync(simulator, environment, error, level).ConfigureAwait(false);
            await using var stopMonitoring = MonitorOption.Scope(monitoring).ConfigureAwait(false);

            CancellationToken stop = signals?.Stop ?? cancellationToken;
            CancellationToken abort = signals?.Abort ?? CancellationToken.None;
            using var runMonitor = new RunMonitor(simulator);
            var startedAt = DateTimeOffset.UtcNow;
            // A live table only where it cannot mix with data: stderr a terminal, and no console sink writing to one.
            bool live = terminal is { ErrorIsTerminal: true } && !(terminal.OutputIsTerminal && scenario.Sinks.Any(o => o.Type == "console"));
            using var viewing = new CancellationTokenSource();
            bool showing = summary && (live || progressEvery > TimeSpan.Zero);
            Task view = showing ? new LiveView(runMonitor, error, live, progressEvery).ShowAsync(viewing.Token) : Task.CompletedTask;
            // One collector a second (or at each shorter progress interval) feeds the live view and the report's timeline.
            TimeSpan collectEvery = !live && showing && progressEvery < TimeSpan.FromSeconds(1) ? progressEvery : TimeSpan.FromSeconds(1);
            Task collecting = showing || reportPath is not null ? runMonitor.CollectEveryAsync(collectEvery, viewing.Token) : Task.CompletedTask;
            signals?.Arm();
            Task<RunReport> run = simulator.RunAsync(stop, abort);
            using var watching = new CancellationTokenSource();
            Task watcher = parse.GetValue(watch) ? WatchAsync(path!, Load, simulator, level, error, watching.Token) : Task.CompletedTask;
            // The view, the collector and the watcher end with the run, however it ends (a sink refusing to open throws).
            async Task StopShowingAsync()
            {
                await watching.CancelAsync().ConfigureAwait(false);
                await viewing.CancelAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(view, collecting, watcher).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // Standard error closed under the view: the run's outcome still counts, and the report is still written.
                }
            }
            RunReport report;
            try
            {
                if (signals is not null && !await FinishesAfterAbortAsync(run, abort).ConfigureAwait(false))
                {
                    // A write that ignores cancellation (blocked on a pipe nobody reads): report what is known and leave.
                    await StopShowingAsync().ConfigureAwait(false);
                    if (summary) ReportPrinter.PrintAbandoned(simulator, error);
                    return signals.ExitCode ?? ExitCodes.SinkFailed;
                }
                report = await run.ConfigureAwait(false);
            }
            finally
            {
                await StopShowingAsync().ConfigureAwait(false);
            }
            monitoring?.Finish(report);
            if (reportPath is not null)
            {
                RunReportFile.Write(reportPath, new RunReportFile.Input(scenario, path, [.. parse.Tokens.Select(t => t.Value)], report, runMonitor.History, startedAt, DateTimeOffset.UtcNow));
            }
            if (summary)
            {
                ReportPrinter.Print(report, error);
            }
            else
            {
                foreach (SinkReport s in report.Sinks)
                {
                    if (s.Error is not null) await error.WriteLineAsync($"error: {Core.Util.Redactor.Text(s.Error)}").ConfigureAwait(false);
                }
            }
            if (signals?.ExitCode is { } interrupted) return interrupted;
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.SinkFailed;
        });
        return command;
    }

    /// <summary>Interval at which <c>--watch</c> looks at the scenario file.</summary>
    internal static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// <c>--watch</c>: polls the scenario file's size and write time (reliable on every file system, unlike change
    /// notifications), and on a change reloads it; each outcome is one line on standard error.
    /// </summary>
    private static async Task WatchAsync(string path, Func<Scenario> load, Simulator simulator, int level, TextWriter error, CancellationToken cancellationToken)
    {
        (DateTime, long) Stamp()
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
        var seen = Stamp();
        try
        {
            while (true)
            {
                await Task.Delay(WatchInterval, cancellationToken).ConfigureAwait(false);
                var now = Stamp();
                if (now == seen) continue;
                seen = now;
                string? problem;
                try
                {
                    problem = simulator.TryReload(load());
                }
                catch (ConfigException e)
                {
                    problem = e.Message;
                }
                catch (IOException e)
                {
                    problem = e.Message;
                }
                if (level >= (problem is null ? 2 : 1))
                {
                    await error.WriteLineAsync(problem is null
                        ? $"reload: {path} accepted; it applies from the next batch"
                        : $"reload rejected: {problem}; the running settings stay").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static string Check(string source, OptionSpec spec, string text) =>
        spec.ParseChoice(text, out string value) is { } problem ? throw new ConfigException(null, 0, source, problem) : value;

    /// <summary>The debug line about a built run: fleet, interval groups, batches, memory and sinks.</summary>
    private static string Plan(Fleet fleet, TimeSpan setup)
    {
        FleetPlan plan = fleet.Plan;
        Scenario s = fleet.Scenario;
        string groups = string.Join(", ", fleet.Groups.Select(g => $"{DurationParser.Format(g.Interval)} × {g.SensorsPerDevice} sensors"));
        string sinks = string.Join(", ", s.Sinks.Select(o => $"{o.Name ?? o.Type} ({o.Type}, queue {o.QueueBatches(plan.BatchCapacity)}, parallelism {o.Parallelism})"));
        return $"plan: devices {fleet.FirstDevice:N0}..{fleet.EndDevice - 1:N0} of {fleet.DeviceCount:N0} (shard {s.Shard}), {fleet.ChannelCount:N0} channels in {fleet.Groups.Count} interval groups ({groups}); "
            + $"{fleet.Start:O} to {(fleet.End is { } end ? end.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "until stopped")}, {s.Mode.ToString().ToLowerInvariant()} mode, {plan.PlannedReadings:N0} readings planned; "
            + $"batches of {plan.BatchCapacity:N0} readings{(plan.BatchExtraRoom > 0 ? $" (+{plan.BatchExtraRoom:N0} for dirty delivery's copies)" : "")}, {plan.PoolBatches} pooled; "
            + $"memory about {plan.RequiredBytes() / (1024.0 * 1024):N0} MiB; built in {setup.TotalMilliseconds:N0} ms; sinks: {sinks}";
    }

    /// <summary>True when <paramref name="run"/> ends by itself, or within a short grace after an abort.</summary>
    private static async Task<bool> FinishesAfterAbortAsync(Task run, CancellationToken abort)
    {
        var aborted = new TaskCompletionSource();
        using CancellationTokenRegistration r = abort.Register(() => aborted.TrySetResult());
        if (await Task.WhenAny(run, aborted.Task).ConfigureAwait(false) == run) return true;
        return await Task.WhenAny(run, Task.Delay(s_abortGrace, CancellationToken.None)).ConfigureAwait(false) == run;
    }

    private static List<SinkOptions> ApplySinkOptions(
        IReadOnlyList<SinkOptions> fromScenario, ParseResult parse, SinkRegistry sinkTypes, Option<string[]> sinks, Option<string?> outputDir,
        Option<string?> outputFormat, Option<string?> format, Option<string?> rotation, Option<string?> compression)
    {
        List<SinkOptions> result = [.. fromScenario];
        if (parse.GetValue(sinks) is { Length: > 0 } types)
        {
            result = [.. types.Select(t => new SinkOptions { Type = ScenarioOptions.Choice(sinkTypes.TypeSpec, t) })];
        }
        // Each flag is checked by its spec (so it fails like the same key in a file) and lands in the sinks it applies to.
        var fileSettings = new List<(string Key, string Value)>();
        var consoleSettings = new List<(string Key, string Value)>();
        if (parse.GetValue(outputDir) is { } dir)
        {
            if (OptionSpecs.SinkPath.ParseText(dir, out dir) is { } problem) throw new ConfigException(null, 0, "--output", problem);
            fileSettings.Add(("path", Path.GetFullPath(dir)));
        }
        if (parse.GetValue(outputFormat) is { } ff) fileSettings.Add(("format", ScenarioOptions.Choice(OptionSpecs.FileFormat, ff)));
        if (parse.GetValue(rotation) is { } rt) fileSettings.Add(("rotation", DurationParser.Format(ScenarioOptions.ParseDuration(OptionSpecs.Rotation, rt))));
        if (parse.GetValue(compression) is { } c) fileSettings.Add(("compression", ScenarioOptions.Choice(OptionSpecs.Compression, c)));
        if (parse.GetValue(format) is { } cf) consoleSettings.Add(("format", ScenarioOptions.Choice(OptionSpecs.ConsoleFormat, cf)));
        return [.. result.Select(o => o.Type switch
        {
            "file" => fileSettings.Aggregate(o, (acc, kv) => acc.With(kv.Key, kv.Value)),
            "console" => consoleSettings.Aggregate(o, (acc, kv) => acc.With(kv.Key, kv.Value)),
            _ => o,
        })];
    }

    /// <summary>Checks every file sink's folder before anything is generated, naming the sink.</summary>
    internal static void CheckTargets(Scenario scenario, bool pathFromFlag)
    {
        for (int i = 0; i < scenario.Sinks.Count; i++)
        {
            SinkOptions o = scenario.Sinks[i];
            if (o.Type == "file" && FileSink.CheckTarget(o.Setting("path") ?? new FileSinkOptions().Path) is { } problem)
            {
                string sink = $"sink '{o.Name ?? o.Type}'";
                throw pathFromFlag
                    ? new ConfigException(null, 0, "--output", $"{sink}: {problem}")
                    : new ConfigException(scenario.SourcePath, 0, $"sinks[{i}].path", $"{sink}: {problem}");
            }
        }
    }

    /// <summary>Repeated sinks of one type without a name get type1, type2, ... so their files and reports stay apart.</summary>
    private static SinkOptions[] UniqueNames(List<SinkOptions> sinks)
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
}
