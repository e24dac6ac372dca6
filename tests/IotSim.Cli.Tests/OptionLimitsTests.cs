using System.Globalization;
using IotSim.Core;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;

namespace IotSim.Cli.Tests;

/// <summary>
/// Walks every option of <see cref="OptionSpecs"/> and checks that each invalid or out-of-range value is refused with
/// the same problem from a scenario file, a sensor CSV file (where the option is a column) and the command line
/// (where it is a flag), so the three entry points cannot disagree.
/// </summary>
public sealed class OptionLimitsTests
{
    private const string Sensor = "custom_sensors.sensors[].";
    private const string SensorFields = "name: s, sensor_type: flow, unit: l, min_value: 0, max_value: 10, nominal_value: 5, cyclic: true";

    public static TheoryData<string, string> BadValues()
    {
        var data = new TheoryData<string, string>();
        foreach (OptionSpec spec in OptionSpecs.All)
        {
            foreach (string value in Bad(spec)) data.Add(spec.Key, value);
        }
        return data;
    }

    private static IEnumerable<string> Bad(OptionSpec spec)
    {
        switch (spec.Kind)
        {
            case OptionKind.Integer:
                if (spec.Min != double.MinValue) yield return Invariant(spec.Min - 1);
                if (spec.Max < 1e18) yield return Invariant(spec.Max + 1);
                yield return "2.5";
                yield return "abc";
                yield return "1e400";
                break;
            case OptionKind.Number:
                if (spec.Min != double.MinValue) yield return spec.MinExclusive ? Invariant(spec.Min) : Invariant(spec.Min - 1);
                if (spec.Max != double.MaxValue) yield return Invariant(spec.Max * 2 + 1);
                yield return "1e300";
                yield return "NaN";
                yield return "abc";
                break;
            case OptionKind.Duration:
                yield return "forever";
                yield return "-5s";
                if (spec.MaxDuration < TimeSpan.FromDays(1000)) yield return DurationParser.Format(spec.MaxDuration + TimeSpan.FromDays(1));
                if (spec.MinDuration > TimeSpan.FromTicks(1)) yield return "0.5ms";
                if (spec.WholeMilliseconds) yield return "1.5ms";
                break;
            case OptionKind.Timestamp:
                yield return "01/02/2026";
                yield return "2026-01-01T00:00:00";
                yield return "yesterday";
                break;
            case OptionKind.Choice:
                yield return "nope";
                break;
            case OptionKind.Boolean:
                yield return "maybe";
                break;
            case OptionKind.Name:
                yield return "a/b";
                yield return new string('n', OptionSpec.MaxNameLength + 1);
                break;
            case OptionKind.Size:
                yield return Invariant(spec.Min - 1);
                yield return "lots";
                break;
            case OptionKind.Shard:
                yield return "3/2";
                yield return "1";
                yield return "0/0";
                break;
        }
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task BadValue_IsRefusedAlike_FromYamlCsvAndCommandLine(string key, string value)
    {
        OptionSpec spec = OptionSpecs.All.Single(s => s.Key == key);
        string? yamlProblem = YamlProblem(spec, value);
        Assert.NotNull(yamlProblem);

        if (spec.Column is { } column && key.StartsWith(Sensor, StringComparison.Ordinal))
        {
            Assert.Equal(yamlProblem, CsvProblem(column, value));
        }

        if (spec.Flag is { } flag && spec.Kind != OptionKind.Text)
        {
            using var dir = new TempFolder();
            List<string> args = ["run", flag, value, "-q"];
            if (flag is not ("--duration" or "--end")) args.AddRange(["-d", "1s"]);
            if (flag is "--rotation" or "--output-format" or "--compression") args.AddRange(["-s", "file", "-o", dir.Path]);
            else if (flag == "--format") args.AddRange(["-s", "console"]);
            else if (flag != "--sink") args.AddRange(["-s", "null"]);
            CliResult r = await CliHarness.RunAsync([.. args]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"'{flag}': {yamlProblem}", r.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        }
    }

    [Fact]
    public void EveryOption_HasAtLeastOneBadValue_AndEveryFlagIsOnTheRunCommand()
    {
        Assert.All(OptionSpecs.All.Where(s => s.Kind != OptionKind.Text), s => Assert.NotEmpty(Bad(s)));
        var run = new ScenarioOptions();
        var flags = run.All.Select(o => o.Name).ToHashSet();
        Assert.All(OptionSpecs.All.Where(s => s.Flag is not null && s.Key.Split('.')[0] is "seed" or "fleet" or "time" or "engine" or "output"),
            s => Assert.Contains(s.Flag!, flags));
    }

    /// <summary>The problem a scenario file with <paramref name="value"/> at the spec's key reports, or null when it loads.</summary>
    private static string? YamlProblem(OptionSpec spec, string value)
    {
        string yaml = YamlFor(spec.Key, value);
        try
        {
            _ = ScenarioLoader.Load(yaml, "t.yaml", null);
            return null;
        }
        catch (ConfigException ex)
        {
            return ex.Problem;
        }
    }

    private static string YamlFor(string key, string v)
    {
        if (key.StartsWith(Sensor, StringComparison.Ordinal))
        {
            string field = key[Sensor.Length..];
            string fields = string.Join(", ", SensorFields.Split(", ").Where(f => !f.StartsWith(field + ":", StringComparison.Ordinal)));
            return $"fleet:\n  industries: []\ncustom_sensors:\n  sensors:\n    - {{ {fields}, {field}: {v} }}\n";
        }
        if (key.StartsWith("anomalies.types.{kind}.", StringComparison.Ordinal))
        {
            return $"anomalies:\n  types:\n    spike:\n      {key.Split('.')[^1]}: {v}\n";
        }
        if (key.StartsWith("sinks[].", StringComparison.Ordinal))
        {
            string field = key["sinks[].".Length..].Split(' ')[0];
            if (field == "type") return $"sinks:\n  - type: {v}\n";
            string type = key.EndsWith("(console)", StringComparison.Ordinal) ? "console" : "file";
            return $"sinks:\n  - type: {type}\n    {field}: {v}\n";
        }
        if (key == "custom_sensors.industry")
        {
            return $"custom_sensors:\n  industry: {v}\n  sensors:\n    - {{ {SensorFields} }}\n";
        }
        string[] parts = key.Split('.');
        string text = "";
        for (int i = 0; i < parts.Length; i++)
        {
            text += new string(' ', 2 * i) + parts[i] + ":" + (i == parts.Length - 1 ? " " + (key == "fleet.industries" ? $"[{v}]" : v) : "") + "\n";
        }
        return text;
    }

    private static string? CsvProblem(string column, string value)
    {
        var row = new Dictionary<string, string>
        {
            ["name"] = "s",
            ["sensor_type"] = "flow",
            ["unit"] = "l",
            ["min_value"] = "0",
            ["max_value"] = "10",
            ["nominal_value"] = "5",
            ["cyclic"] = "true",
        };
        row[column] = value;
        string csv = string.Join(",", row.Keys) + "\n" + string.Join(",", row.Values) + "\n";
        try
        {
            _ = SensorCsvReader.Read(new StringReader(csv), "t.csv", "custom");
            return null;
        }
        catch (ConfigException ex)
        {
            return ex.Problem;
        }
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("iotsim-limits-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
