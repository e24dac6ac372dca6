using IotSim.Core.Scenarios;

namespace IotSim.Core.Catalog;

/// <summary>
/// Builds a <see cref="SensorDefinition"/> from the text of its fields, with the same forms, limits and defaults for
/// YAML (<c>custom_sensors.sensors</c>) and CSV files, all taken from <see cref="OptionSpecs"/>.
/// </summary>
internal static class SensorDefinitionReader
{
    /// <summary>Required fields, in documentation order.</summary>
    public static readonly OptionSpec[] Required =
        [OptionSpecs.SensorName, OptionSpecs.SensorType, OptionSpecs.Unit, OptionSpecs.MinValue, OptionSpecs.MaxValue, OptionSpecs.NominalValue];

    /// <summary>Optional fields (the industry label only in CSV).</summary>
    public static readonly OptionSpec[] Optional =
    [
        OptionSpecs.CustomIndustry, OptionSpecs.NoiseStd, OptionSpecs.DriftRate, OptionSpecs.AnomalyProbability, OptionSpecs.AnomalyMagnitude,
        OptionSpecs.Cyclic, OptionSpecs.CyclePeriod, OptionSpecs.CycleAmplitude, OptionSpecs.Precision, OptionSpecs.SensorInterval,
    ];

    /// <summary>
    /// Reads one sensor. <paramref name="text"/> gives a field's raw text or null when absent; <paramref name="fail"/>
    /// makes the error for a field, located by the caller.
    /// </summary>
    public static SensorDefinition Build(string industry, Func<OptionSpec, string?> text, Func<OptionSpec, string, Exception> fail)
    {
        string name = Get(OptionSpecs.SensorName, static (s, t) => (s.ParseName(t, out string v), v));
        string typeName = Get(OptionSpecs.SensorType, static (s, t) => (s.ParseChoice(t, out string v), v));
        _ = SensorTypes.TryParse(typeName, out SensorType type);
        bool status = type == SensorType.Status;
        double min = Number(OptionSpecs.MinValue)!.Value;
        double max = Number(OptionSpecs.MaxValue)!.Value;
        double range = max - min;
        var def = new SensorDefinition
        {
            Industry = text(OptionSpecs.CustomIndustry) is { } label && label.Trim().Length > 0
                ? Get(OptionSpecs.CustomIndustry, static (s, t) => (s.ParseName(t, out string v), v))
                : industry,
            Name = name,
            Type = type,
            // A unit may be empty (dimensionless values, status codes), but not long.
            Unit = Unit(),
            Min = min,
            Max = max,
            Nominal = Number(OptionSpecs.NominalValue)!.Value,
            NoiseStd = Number(OptionSpecs.NoiseStd) ?? (status ? 0 : 0.005 * range),
            DriftRate = Number(OptionSpecs.DriftRate) ?? (status ? 0 : 0.001 * range),
            AnomalyProbability = Number(OptionSpecs.AnomalyProbability) ?? new SensorDefinition { Name = "x", Type = SensorType.Level, Unit = "", Min = 0, Max = 1, Nominal = 0 }.AnomalyProbability,
            AnomalyMagnitude = Number(OptionSpecs.AnomalyMagnitude) ?? 2.0,
            Cyclic = Present(OptionSpecs.Cyclic) && Get(OptionSpecs.Cyclic, static (s, t) => (s.ParseBoolean(t, out bool v), v)),
            CyclePeriodSeconds = Number(OptionSpecs.CyclePeriod) ?? 60,
            CycleAmplitude = Number(OptionSpecs.CycleAmplitude) ?? 0.05 * range,
            Precision = Present(OptionSpecs.Precision)
                ? (int)Get(OptionSpecs.Precision, static (s, t) => (s.ParseInteger(t, out long v), v))
                : status ? 0 : 2,
            Interval = Present(OptionSpecs.SensorInterval)
                ? Get(OptionSpecs.SensorInterval, static (s, t) => (s.ParseDuration(t, out TimeSpan v), v))
                : TimeSpan.FromSeconds(1),
        };
        if (def.Check() is { } problem)
        {
            throw fail(problem.Spec, problem.Problem);
        }
        return def;

        string Unit()
        {
            string unit = (text(OptionSpecs.Unit) ?? throw fail(OptionSpecs.Unit, "a value is required")).Trim();
            return unit.Length == 0 || OptionSpecs.Unit.ParseText(unit, out _) is not { } problem ? unit : throw fail(OptionSpecs.Unit, problem);
        }

        bool Present(OptionSpec spec) => text(spec) is { } t && t.Trim().Length > 0;

        double? Number(OptionSpec spec) =>
            Present(spec) ? Get(spec, static (s, t) => (s.ParseNumber(t, out double v), v)) : Required.Contains(spec) ? throw fail(spec, "a value is required") : null;

        T Get<T>(OptionSpec spec, Func<OptionSpec, string, (string? Problem, T Value)> parse)
        {
            string raw = text(spec) ?? throw fail(spec, "a value is required");
            (string? p, T value) = parse(spec, raw);
            return p is null ? value : throw fail(spec, p);
        }
    }
}
