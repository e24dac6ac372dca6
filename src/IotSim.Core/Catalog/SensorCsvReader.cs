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
    public static readonly IReadOnlyList<string> RequiredColumns = [.. SensorDefinitionReader.Required.Select(s => s.Column!)];

    /// <summary>Optional column names.</summary>
    public static readonly IReadOnlyList<string> OptionalColumns = [.. SensorDefinitionReader.Optional.Select(s => s.Column!)];

    /// <summary>Largest sensor CSV file accepted (the catalog of 379 sensors is 60 KB).</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>Reads a CSV file; <paramref name="industry"/> labels rows that have no industry column.</summary>
    public static List<SensorDefinition> ReadFile(string path, string industry)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, null, Directory.Exists(path) ? "expected a sensor CSV file, found a folder" : "sensor CSV file not found");
        }
        try
        {
            string text = BoundedText.Read(path, (int)MaxFileBytes)
                ?? throw new ConfigException(path, 0, null, $"the file has more than {MaxFileBytes:N0} characters; a sensor CSV file may have at most {MaxFileBytes:N0}");
            return Read(new StringReader(text), path, industry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, null, "cannot read the sensor CSV file: " + ex.Message);
        }
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
                throw new ConfigException(source, lineNo, Excerpt.Of(col),
                    "unknown column" + DidYouMean.Suggest(col, RequiredColumns.Concat(OptionalColumns)) +
                    "; allowed: " + string.Join(", ", RequiredColumns.Concat(OptionalColumns)));
            }
            if (!index.TryAdd(col, i))
            {
                throw new ConfigException(source, lineNo, Excerpt.Of(col), "column appears twice");
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
            int at = lineNo;
            SensorDefinition def = SensorDefinitionReader.Build(
                industry,
                spec => index.TryGetValue(spec.Column!, out int i) ? fields[i] : null,
                (spec, problem) => new ConfigException(source, at, spec.Column, problem));
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
}
