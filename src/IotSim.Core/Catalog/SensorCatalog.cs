using System.Reflection;
using System.Text;
using IotSim.Core.Util;

namespace IotSim.Core.Catalog;

/// <summary>The built-in sensors: 16 industries and the environmental device profile, loaded once from embedded CSV.</summary>
public static class SensorCatalog
{
    /// <summary>Name of the environmental device profile (temperature, humidity, pressure, vibration, voltage).</summary>
    public const string EnvironmentalProfile = "environmental";

    private static readonly Lazy<Dictionary<string, IReadOnlyList<SensorDefinition>>> s_industries = new(() => Load("industries.csv"));
    private static readonly Lazy<IReadOnlyList<SensorDefinition>> s_environmental = new(() => Load("environmental.csv")[EnvironmentalProfile]);

    /// <summary>Built-in industry names in catalog order.</summary>
    public static IReadOnlyList<string> Industries => [.. s_industries.Value.Keys];

    /// <summary>The environmental device profile's sensors.</summary>
    public static IReadOnlyList<SensorDefinition> Environmental => s_environmental.Value;

    /// <summary>All built-in industry sensors.</summary>
    public static int SensorCount => s_industries.Value.Values.Sum(v => v.Count);

    /// <summary>Whether <paramref name="industry"/> is a built-in industry.</summary>
    public static bool IsIndustry(string industry) => s_industries.Value.ContainsKey(industry);

    /// <summary>The sensors of one industry; throws <see cref="ConfigException"/> (with a suggestion) for an unknown name.</summary>
    public static IReadOnlyList<SensorDefinition> Sensors(string industry)
    {
        ArgumentNullException.ThrowIfNull(industry);
        if (industry == EnvironmentalProfile) return Environmental;
        if (s_industries.Value.TryGetValue(industry, out var list)) return list;
        throw new ConfigException(null, 0, "industries",
            $"unknown industry '{industry}'" + DidYouMean.Suggest(industry, s_industries.Value.Keys) +
            "; allowed: all, " + string.Join(", ", s_industries.Value.Keys));
    }

    /// <summary>Expands a list that may contain "all" into built-in industry names, validating each.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> industries)
    {
        ArgumentNullException.ThrowIfNull(industries);
        var result = new List<string>();
        foreach (string raw in industries)
        {
            string name = raw.Trim();
            if (name.Length == 0) continue;
            if (name == "all")
            {
                foreach (string i in Industries)
                {
                    if (!result.Contains(i)) result.Add(i);
                }
                continue;
            }
            _ = Sensors(name);
            if (!result.Contains(name)) result.Add(name);
        }
        return result;
    }

    private static Dictionary<string, IReadOnlyList<SensorDefinition>> Load(string resource)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IotSim.Catalog." + resource)
            ?? throw new InvalidOperationException($"embedded catalog '{resource}' is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        List<SensorDefinition> all = SensorCsvReader.Read(reader, resource, "custom");
        var result = new Dictionary<string, IReadOnlyList<SensorDefinition>>(StringComparer.Ordinal);
        foreach (SensorDefinition def in all)
        {
            if (!result.TryGetValue(def.Industry, out var list))
            {
                list = new List<SensorDefinition>();
                result.Add(def.Industry, list);
            }
            ((List<SensorDefinition>)list).Add(def);
        }
        return result;
    }
}
