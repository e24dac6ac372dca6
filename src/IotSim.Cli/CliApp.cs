using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Sinks;

namespace IotSim.Cli;

/// <summary>The <c>iotsim</c> command tree.</summary>
internal static class CliApp
{
    /// <summary>
    /// Parses and runs a command line; output and errors go to the given writers. <paramref name="environment"/> reads
    /// environment variables (the process's when null).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Stream? consoleStream = null, RunSignals? signals = null,
        Func<string, string?>? environment = null, TerminalInfo? terminal = null)
    {
        var root = new RootCommand("IotSim: a fast, reproducible load generator for industrial IoT sensor data.");
        VersionAction.Install(root, output);
        // The sink types this program ships: each target project registers its provider here, in one call.
        SinkRegistry sinks = SinkRegistry.CreateDefault().Register(new Postgres.PostgresSinkProvider()).Register(new Sqlite.SqliteSinkProvider()).Register(new Http.InfluxSinkProvider()).Register(new Parquet.ParquetSinkProvider()).Register(new Parquet.DeltaSinkProvider()).Register(new Kafka.KafkaSinkProvider());
        root.Subcommands.Add(RunCommand.Create(output, error, consoleStream, signals, sinks, environment, terminal));
        root.Subcommands.Add(PreviewCommand.Create(output, error, sinks, environment));
        root.Subcommands.Add(BenchCommand.Create(output, error, environment));
        root.Subcommands.Add(KafkaMockCommand.Create(output, error));
        foreach (Command c in InfoCommands.Create(output, error, sinks, environment))
        {
            root.Subcommands.Add(c);
        }
        ParseResult parse = root.Parse(args);
        if (UnknownOption(parse, args) is { } unknown)
        {
            await error.WriteLineAsync($"error: {unknown}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"error: {Short(e.Message)}").ConfigureAwait(false);
            }
            await error.WriteLineAsync("Run 'iotsim --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = signals is null ? TimeSpan.FromSeconds(30) : null }).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync($"error: {Short(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.SinkFailed;
        }
        catch (OutOfMemoryException)
        {
            await error.WriteLineAsync("error: out of memory; use fewer devices or sensors, or split the fleet across processes with --shard i/N").ConfigureAwait(false);
            return ExitCodes.SinkFailed;
        }
    }

    /// <summary>A message cut to a few hundred characters: user input is echoed in excerpts, but paths can be long too.</summary>
    private static string Short(string message) => message.Length <= 1000 ? message : message[..1000] + "…";

    /// <summary>
    /// A token that looks like an option but is none of the command's: System.CommandLine would otherwise take it
    /// as the scenario argument, so it is reported here with a suggestion.
    /// </summary>
    private static string? UnknownOption(ParseResult parse, string[] args)
    {
        Command command = parse.CommandResult.Command;
        var known = new HashSet<string>(StringComparer.Ordinal) { "--help", "-h", "-?", "--version" };
        foreach (Option o in command.Options)
        {
            known.Add(o.Name);
            foreach (string alias in o.Aliases) known.Add(alias);
        }
        foreach (string token in args)
        {
            if (token == "--") break;
            string name = token.Split('=', 2)[0];
            if (name.StartsWith("--", StringComparison.Ordinal) && !known.Contains(name))
            {
                return $"unknown option '{Core.Util.Excerpt.Of(name)}' for '{command.Name}'" + Core.Util.DidYouMean.Suggest(name, known.Where(k => k.StartsWith("--", StringComparison.Ordinal)));
            }
        }
        return null;
    }
}
