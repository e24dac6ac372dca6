using IotSim.Core.Catalog;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IotSim.Core.Scenarios;

/// <summary>
/// Reads scenario YAML into a validated <see cref="Scenario"/>; every problem is a <see cref="ConfigException"/>
/// with the file, line and dotted key. Walks the YAML representation model by hand (no reflection), so it is AOT-safe.
/// </summary>
public static partial class ScenarioLoader
{
    internal static readonly string[] RootKeys = ["seed", "fleet", "custom_sensors", "time", "engine", "output", "anomalies", "dirty", "sinks", "monitoring"];
    internal static readonly string[] FleetKeys = ["industries", "devices", "interval", "device"];
    internal static readonly string[] DeviceKeys = ["id_prefix", "manufacturer", "model", "firmware", "id_style", "number_of_cities", "identity_file"];
    internal static readonly string[] CustomSensorsKeys = ["industry", "csv", "sensors"];
    internal static readonly string[] RequiredSensorKeys = ["name", "sensor_type", "unit", "min_value", "max_value", "nominal_value"];
    internal static readonly string[] SensorKeys =
    [
        .. RequiredSensorKeys, "noise_std", "drift_rate", "anomaly_probability", "anomaly_magnitude", "cyclic",
        "cycle_period_seconds", "cycle_amplitude", "precision", "interval",
    ];
    internal static readonly string[] TimeKeys = ["mode", "rate", "speed", "start", "duration", "end"];
    internal static readonly string[] RateKeys = ["profile", "rate", "from", "to", "over", "steps", "base", "peak", "every", "length"];
    internal static readonly string[] StepKeys = ["rate", "hold"];
    internal static readonly string[] EngineKeys = ["threads", "batch_size", "simd", "shard"];
    internal static readonly string[] OutputKeys = ["shape", "device_fields"];
    internal static readonly string[] AnomaliesKeys = ["enabled", "probability_scale", "types"];
    internal static readonly string[] DirtyKeys = ["late", "max_delay", "duplicates", "nulls", "clock_skew", "max_skew", "labels"];
    internal static readonly string[] AnomalyTypeKeys = ["enabled", "weight", "duration"];
    internal static readonly string[] MonitoringKeys = ["listen", "token", "lag_threshold", "samples"];



    /// <summary>Names accepted in <c>fleet.industries</c>: <c>all</c>, <c>environmental</c> and the built-in industries.</summary>
    internal static IReadOnlyList<string> IndustryChoices => ["all", SensorCatalog.EnvironmentalProfile, .. SensorCatalog.Industries];

    /// <summary>Loads and validates a scenario file; relative paths inside it resolve against its folder.</summary>
    public static Scenario LoadFile(string path) => LoadFile(path, Sinks.SinkRegistry.Default);

    /// <summary>Loads and validates a scenario file whose sinks may be of any type <paramref name="sinks"/> registers.</summary>
    public static Scenario LoadFile(string path, Sinks.SinkRegistry sinks)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, null, Directory.Exists(path) ? "expected a scenario file, found a directory" : "scenario file not found");
        }
        string text;
        try
        {
            text = Util.BoundedText.Read(path, YamlGuard.MaxChars)
                ?? throw new ConfigException(path, 0, null, $"the file has more than {YamlGuard.MaxChars:N0} characters; a scenario may have at most {YamlGuard.MaxChars:N0}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, null, "cannot read the scenario file: " + ex.Message);
        }
        string fullPath = Path.GetFullPath(path);
        return Load(text, path, Path.GetDirectoryName(fullPath), sinks) with { SourcePath = fullPath };
    }

    /// <summary>
    /// Loads and validates scenario YAML. <paramref name="sourceName"/> names it in errors (and becomes <see cref="Scenario.SourcePath"/>); relative paths resolve
    /// against <paramref name="baseDirectory"/> (sensor CSV files against the current directory when it is null).
    /// </summary>
    public static Scenario Load(string yamlText, string sourceName, string? baseDirectory) =>
        Load(yamlText, sourceName, baseDirectory, Sinks.SinkRegistry.Default);

    /// <summary>Loads and validates scenario YAML whose sinks may be of any type <paramref name="sinks"/> registers.</summary>
    public static Scenario Load(string yamlText, string sourceName, string? baseDirectory, Sinks.SinkRegistry sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        YamlGuard.Check(yamlText, sourceName);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new YamlDotNet.Core.Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new ConfigException(sourceName, ToLine(ex.Start.Line), null, "invalid YAML: " + Util.Excerpt.Of(YamlProblem(ex)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed flow collections; the scanner still knows where it stopped.
            throw new ConfigException(sourceName, ToLine(scanner.CurrentPosition.Line), null,
                $"invalid YAML near column {scanner.CurrentPosition.Column}: check brackets, quotes and indentation");
        }
        if (stream.Documents.Count > 1)
        {
            throw new ConfigException(sourceName, ToLine(stream.Documents[1].RootNode.Start.Line), null,
                "expected one YAML document, found " + stream.Documents.Count);
        }
        YamlNode? root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        return new Parser(sourceName, baseDirectory, sinks).Parse(root) with { SourcePath = sourceName };
    }

    private static int ToLine(long line) => (int)Math.Clamp(line, 0, int.MaxValue);

    // YamlException.Message starts with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the line is reported separately.
    private static string YamlProblem(YamlException ex)
    {
        string message = ex.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0)
        {
            message = message[(cut + 3)..];
        }
        return ex.Start.Column > 0 ? $"{message} (column {ex.Start.Column})" : message;
    }
}
