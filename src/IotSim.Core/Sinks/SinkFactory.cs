using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Util;

namespace IotSim.Core.Sinks;

/// <summary>Creates the built-in sinks from <see cref="SinkOptions"/> and describes them for <c>iotsim list-sinks</c>.</summary>
public static class SinkFactory
{
    /// <summary>Formats of the console sink; the first is the default.</summary>
    public static IReadOnlyList<string> ConsoleFormats { get; } = ["text", "json"];

    /// <summary>Formats of the file sink; the first is the default.</summary>
    public static IReadOnlyList<string> FileFormats { get; } = ["csv", "jsonl"];

    /// <summary>
    /// Creates the sink <paramref name="options"/> describe, for a run of <paramref name="scenario"/> (which gives
    /// the output shape). A console sink writes to <paramref name="console"/> when given, else to standard output.
    /// </summary>
    /// <exception cref="ConfigException">Unknown type or format, or invalid file options.</exception>
    public static IReadingSink Create(SinkOptions options, Scenario scenario, Stream? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scenario);
        try
        {
            switch (options.Type)
            {
                case "console":
                    string format = options.Format ?? ConsoleFormats[0];
                    string name = options.Name ?? "console";
                    return console is null
                        ? new ConsoleSink(format, scenario.Shape, name) { ChunkReadings = options.BatchSize }
                        : new ConsoleSink(console, format, scenario.Shape, name) { ChunkReadings = options.BatchSize };
                case "file":
                    return new FileSink(options, scenario.Shape);
                case "null":
                    return new NullSink(options.Name ?? "null");
                default:
                    throw new ConfigException(scenario.SourcePath, 0, "type",
                        $"unknown sink type '{options.Type}'; sink types: {string.Join(", ", SinkOptions.Types)}{DidYouMean.Suggest(options.Type ?? "", SinkOptions.Types)}");
            }
        }
        catch (ConfigException ex) when (ex.File is null && scenario.SourcePath is not null)
        {
            throw new ConfigException(scenario.SourcePath, 0, "sinks." + (options.Name ?? options.Type) + "." + ex.Key, ex.Problem);
        }
    }

    /// <summary>The built-in sinks: type, what it does, and its formats as text (first = default; "-" when none).</summary>
    public static IReadOnlyList<(string Type, string Description, string Formats)> Describe() =>
    [
        ("console", "Standard output: aligned text lines or JSON Lines (wide shape: CSV rows or wide JSON), flushed every batch.",
            string.Join(", ", ConsoleFormats)),
        ("file", "CSV or JSON Lines files in a directory; rotation by data time or size, gzip or lz4 compression; "
            + "a file appears under its final name only when complete (.partial while written).", string.Join(", ", FileFormats)),
        ("null", "Counts and discards readings, to measure the generator alone.", "-"),
    ];

    /// <summary>Parses a sink format, defaulting to the first; throws a <see cref="ConfigException"/> listing the choices.</summary>
    internal static EncodingFormat ParseFormat(string type, string? format, string? file)
    {
        IReadOnlyList<string> allowed = type == "console" ? ConsoleFormats : FileFormats;
        string value = format ?? allowed[0];
        return (type, value.ToLowerInvariant()) switch
        {
            ("console", "text") => EncodingFormat.Text,
            ("console", "json") => EncodingFormat.JsonLines,
            ("file", "csv") => EncodingFormat.Csv,
            ("file", "jsonl") => EncodingFormat.JsonLines,
            _ => throw new ConfigException(file, 0, "format",
                $"unknown {type} format '{value}'; expected one of: {string.Join(", ", allowed)}{DidYouMean.Suggest(value, allowed)}"),
        };
    }
}
