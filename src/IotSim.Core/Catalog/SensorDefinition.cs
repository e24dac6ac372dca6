using IotSim.Core.Scenarios;

namespace IotSim.Core.Catalog;

/// <summary>
/// Everything about one kind of sensor: range, noise, drift, cycle, anomaly behaviour and reporting interval.
/// Noise, drift and cycle amplitude are absolute, in the sensor's unit (never scaled by the nominal value).
/// </summary>
public sealed record SensorDefinition
{
    /// <summary>Sensor name, unique within its industry, e.g. <c>crusher_1_motor_power</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Grouping label, e.g. <c>mining</c> or a custom industry name.</summary>
    public string Industry { get; init; } = "custom";

    /// <summary>What the sensor measures.</summary>
    public required SensorType Type { get; init; }

    /// <summary>Engineering unit, e.g. <c>kW</c>.</summary>
    public required string Unit { get; init; }

    /// <summary>Physical minimum; readings are clamped to it.</summary>
    public required double Min { get; init; }

    /// <summary>Physical maximum; readings are clamped to it.</summary>
    public required double Max { get; init; }

    /// <summary>Expected steady-state value.</summary>
    public required double Nominal { get; init; }

    /// <summary>Absolute standard deviation of the Gaussian noise, in the sensor's unit.</summary>
    public double NoiseStd { get; init; }

    /// <summary>
    /// Drift speed in the sensor's unit per hour. Drift is a smooth curve through random levels 6 hours apart, within
    /// ±min(9 × drift_rate, 5% of the range), a function of time alone (so any time window stands alone).
    /// </summary>
    public double DriftRate { get; init; }

    /// <summary>
    /// Chance that an anomaly starts in any given minute of the sensor's time (before device factors); the share of
    /// anomalous time does not depend on the interval. With the default kinds and durations, 0.01 labels about 2.5%
    /// of readings.
    /// </summary>
    public double AnomalyProbability { get; init; } = 0.01;

    /// <summary>Anomaly size multiplier.</summary>
    public double AnomalyMagnitude { get; init; } = 2.0;

    /// <summary>Whether a sinusoidal cycle is added.</summary>
    public bool Cyclic { get; init; }

    /// <summary>Cycle period in seconds.</summary>
    public double CyclePeriodSeconds { get; init; } = 60;

    /// <summary>Cycle amplitude, absolute in the sensor's unit.</summary>
    public double CycleAmplitude { get; init; }

    /// <summary>Decimal digits reported (0..6).</summary>
    public int Precision { get; init; } = 2;

    /// <summary>Reporting interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns null when the definition is consistent, otherwise what is wrong with it (naming the field).</summary>
    public string? Validate() => Check() is { } p ? $"{p.Spec.Column}: {p.Problem}" : null;

    /// <summary>The first field at fault and what is wrong with it, with the same limits as scenario files (<see cref="OptionSpecs"/>).</summary>
    internal (OptionSpec Spec, string Problem)? Check()
    {
        // Names from files are restricted to letters, digits, '_' and '-' by their spec; the C# API takes any
        // non-empty text, which the CSV and JSON encoders quote and escape.
        if (string.IsNullOrWhiteSpace(Name)) return (OptionSpecs.SensorName, "must not be empty");
        foreach ((OptionSpec spec, double value) in (ReadOnlySpan<(OptionSpec, double)>)
            [(OptionSpecs.MinValue, Min), (OptionSpecs.MaxValue, Max), (OptionSpecs.NominalValue, Nominal)])
        {
            if (spec.CheckNumber(value) is { } problem) return (spec, problem);
        }
        // Before the others: defaults derived from the range (noise 0.5% of it) are only meaningful for a valid range.
        if (Min > Max) return (OptionSpecs.MinValue, $"min_value ({Invariant(Min)}) must not exceed max_value ({Invariant(Max)})");
        if (Nominal < Min || Nominal > Max) return (OptionSpecs.NominalValue, $"nominal_value ({Invariant(Nominal)}) must lie within [{Invariant(Min)}, {Invariant(Max)}]");
        foreach ((OptionSpec spec, double value) in (ReadOnlySpan<(OptionSpec, double)>)
        [
            (OptionSpecs.NoiseStd, NoiseStd), (OptionSpecs.DriftRate, DriftRate), (OptionSpecs.AnomalyProbability, AnomalyProbability),
            (OptionSpecs.AnomalyMagnitude, AnomalyMagnitude), (OptionSpecs.CycleAmplitude, CycleAmplitude), (OptionSpecs.Precision, Precision),
        ])
        {
            if (spec.CheckNumber(value) is { } problem) return (spec, problem);
        }
        if (Cyclic && OptionSpecs.CyclePeriod.CheckNumber(CyclePeriodSeconds) is { } period) return (OptionSpecs.CyclePeriod, period);
        double limit = OptionSpecs.MaxScaledMagnitude / Math.Pow(10, Precision);
        if (Math.Max(Math.Abs(Min), Math.Abs(Max)) > limit)
        {
            return (OptionSpecs.Precision,
                $"with precision {Precision}, min_value and max_value must lie within ±{Invariant(limit)} (float32 keeps about 7 significant digits); lower the precision or use a larger unit");
        }
        return OptionSpecs.SensorInterval.CheckDuration(Interval) is { } interval ? (OptionSpecs.SensorInterval, interval) : null;
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
