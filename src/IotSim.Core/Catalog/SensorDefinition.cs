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

    /// <summary>Scale of one random-walk drift step per tick, in the sensor's unit.</summary>
    public double DriftRate { get; init; }

    /// <summary>Probability that an anomaly starts on a given tick (before device factors).</summary>
    public double AnomalyProbability { get; init; } = 0.001;

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

    /// <summary>Returns null when the definition is consistent, otherwise what is wrong with it.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) return "name must not be empty";
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || !double.IsFinite(Nominal)) return "min_value, max_value and nominal_value must be finite numbers";
        if (Min > Max) return $"min_value ({Min}) must not exceed max_value ({Max})";
        if (Nominal < Min || Nominal > Max) return $"nominal_value ({Nominal}) must lie within [{Min}, {Max}]";
        if (NoiseStd < 0 || !double.IsFinite(NoiseStd)) return $"noise_std ({NoiseStd}) must be >= 0";
        if (DriftRate < 0 || !double.IsFinite(DriftRate)) return $"drift_rate ({DriftRate}) must be >= 0";
        if (AnomalyProbability is < 0 or > 1) return $"anomaly_probability ({AnomalyProbability}) must be within [0, 1]";
        if (AnomalyMagnitude < 0 || !double.IsFinite(AnomalyMagnitude)) return $"anomaly_magnitude ({AnomalyMagnitude}) must be >= 0";
        if (Cyclic && !(CyclePeriodSeconds > 0)) return $"cycle_period_seconds ({CyclePeriodSeconds}) must be > 0 for a cyclic sensor";
        if (CycleAmplitude < 0 || !double.IsFinite(CycleAmplitude)) return $"cycle_amplitude ({CycleAmplitude}) must be >= 0";
        if (Precision is < 0 or > 6) return $"precision ({Precision}) must be within [0, 6]";
        if (Interval.Ticks % TimeSpan.TicksPerMillisecond != 0 || Interval <= TimeSpan.Zero) return $"interval ({Interval.TotalSeconds}s) must be a positive whole number of milliseconds";
        return null;
    }
}
