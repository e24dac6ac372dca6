using System.Globalization;
using System.Text;
using IotSim.Core.Util;

namespace IotSim.Core.Catalog;

/// <summary>
/// Reads sensor definitions from CSV. Required columns: name, sensor_type, unit, min_value, max_value,
/// nominal_value. Optional: industry, noise_std, drift_rate, anomaly_probability, anomaly_magnitude, cyclic,
/// cycle_period_seconds, cycle_amplitude, precision, interval_seconds.
/// </summary>
public static class SensorCsvReader
{
    /// <summary>Required column names.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns =
        ["name", "sensor_type", "unit", "min_value", "max_value", "nominal_value"];

    /// <summary>Optional column names.</summary>
    public static readonly IReadOnlyList<string> OptionalColumns =
    [
        "industry", "noise_std", "drift_rate", "anomaly_probability", "anomaly_magnitude", "cyclic",
        "cycle_period_seconds", "cycle_amplitude", "precision", "interval_seconds",
    ];

    /// <summary>Reads a CSV file; <paramref name="industry"/> labels rows that have no industry column.</summary>
    public static List<SensorDefinition> ReadFile(string path, string industry)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, null, "sensor CSV file not found");
        }
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path, industry);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static List<SensorDefinition> Read(TextReader reader, string source, string industry)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new List<SensorDefinition>();
        int lineNo = 0;
        string? headerLine;
        do
        {
            headerLine = reader.ReadLine();
            lineNo++;
        }
        while (headerLine is not null && string.IsNullOrWhiteSpace(headerLine));
        if (headerLine is null)
        {
            throw new ConfigException(source, 0, null, "the CSV file is empty; expected a header with columns " + string.Join(", ", RequiredColumns));
        }
        List<string> header = SplitLine(headerLine.TrimStart('\uFEFF'), source, lineNo);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++)
        {
            string col = header[i].Trim().ToLowerInvariant();
            if (!RequiredColumns.Contains(col) && !OptionalColumns.Contains(col))
            {
                throw new ConfigException(source, lineNo, col,
                    "unknown column" + DidYouMean.Suggest(col, RequiredColumns.Concat(OptionalColumns)) +
                    "; allowed: " + string.Join(", ", RequiredColumns.Concat(OptionalColumns)));
            }
            if (!index.TryAdd(col, i))
            {
                throw new ConfigException(source, lineNo, col, "column appears twice");
            }
        }
        foreach (string required in RequiredColumns)
        {
            if (!index.ContainsKey(required))
            {
                throw new ConfigException(source, lineNo, required, "required column is missing; required: " + string.Join(", ", RequiredColumns));
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            List<string> fields = SplitLine(line, source, lineNo);
            if (fields.Count != header.Count)
            {
                throw new ConfigException(source, lineNo, null, $"expected {header.Count} fields, found {fields.Count}");
            }
            var row = new Row(fields, index, source, lineNo);
            double min = row.Number("min_value")!.Value;
            double max = row.Number("max_value")!.Value;
            double range = max - min;
            string typeName = row.Text("sensor_type")!;
            if (!SensorTypes.TryParse(typeName, out SensorType type))
            {
                throw new ConfigException(source, lineNo, "sensor_type",
                    $"unknown sensor type '{typeName}'" + DidYouMean.Suggest(typeName, SensorTypes.Names) + "; allowed: " + string.Join(", ", SensorTypes.Names));
            }
            bool status = type == SensorType.Status;
            var def = new SensorDefinition
            {
                Industry = row.Text("industry") is { Length: > 0 } ind ? ind : industry,
                Name = row.Text("name")!,
                Type = type,
                Unit = row.Text("unit")!,
                Min = min,
                Max = max,
                Nominal = row.Number("nominal_value")!.Value,
                NoiseStd = row.Number("noise_std") ?? (status ? 0 : 0.005 * range),
                DriftRate = row.Number("drift_rate") ?? (status ? 0 : 0.0001 * range),
                AnomalyProbability = row.Number("anomaly_probability") ?? 0.001,
                AnomalyMagnitude = row.Number("anomaly_magnitude") ?? 2.0,
                Cyclic = row.Bool("cyclic") ?? false,
                CyclePeriodSeconds = row.Number("cycle_period_seconds") ?? 60,
                CycleAmplitude = row.Number("cycle_amplitude") ?? 0.05 * range,
                Precision = (int)(row.Number("precision") ?? (status ? 0 : 2)),
                Interval = TimeSpan.FromMilliseconds(Math.Round((row.Number("interval_seconds") ?? 1) * 1000)),
            };
            if (def.Validate() is { } problem)
            {
                throw new ConfigException(source, lineNo, def.Name, problem);
            }
            if (!seen.Add(def.Industry + "/" + def.Name))
            {
                throw new ConfigException(source, lineNo, "name", $"sensor '{def.Name}' is defined twice in industry '{def.Industry}'");
            }
            result.Add(def);
        }
        return result;
    }

    private static List<string> SplitLine(string line, string source, int lineNo)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }
        if (quoted)
        {
            throw new ConfigException(source, lineNo, null, "unterminated quoted field");
        }
        fields.Add(sb.ToString());
        return fields;
    }

    private readonly struct Row(List<string> fields, Dictionary<string, int> index, string source, int lineNo)
    {
        public string? Text(string column) =>
            index.TryGetValue(column, out int i) ? fields[i].Trim() : null;

        public double? Number(string column)
        {
            string? text = Text(column);
            if (string.IsNullOrEmpty(text))
            {
                if (RequiredColumns.Contains(column))
                {
                    throw new ConfigException(source, lineNo, column, "a value is required");
                }
                return null;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new ConfigException(source, lineNo, column, $"'{text}' is not a number");
            }
            return v;
        }

        public bool? Bool(string column)
        {
            string? text = Text(column);
            if (string.IsNullOrEmpty(text)) return null;
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => true,
                "false" or "no" or "0" => false,
                _ => throw new ConfigException(source, lineNo, column, $"'{text}' is not a boolean; allowed: true, false"),
            };
        }
    }
}
