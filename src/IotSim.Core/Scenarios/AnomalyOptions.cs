namespace IotSim.Core.Scenarios;

/// <summary>Anomaly injection settings; labels are written to the output as ground truth.</summary>
public sealed record AnomalyOptions
{
    /// <summary>Master switch.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Multiplies every sensor's anomaly_probability (after device factors).</summary>
    public double ProbabilityScale { get; init; } = 1.0;

    /// <summary>Per-kind settings; defaults follow the environmental simulator this tool descends from.</summary>
    public IReadOnlyDictionary<AnomalyKind, AnomalyTypeOptions> Types { get; init; } = Defaults;

    /// <summary>The default per-kind settings.</summary>
    public static IReadOnlyDictionary<AnomalyKind, AnomalyTypeOptions> Defaults { get; } = new Dictionary<AnomalyKind, AnomalyTypeOptions>
    {
        [AnomalyKind.Spike] = new() { Weight = 0.4, Duration = TimeSpan.FromSeconds(1) },
        [AnomalyKind.Trend] = new() { Weight = 0.2, Duration = TimeSpan.FromSeconds(300) },
        [AnomalyKind.Pattern] = new() { Weight = 0.1, Duration = TimeSpan.FromSeconds(600) },
        [AnomalyKind.Noise] = new() { Weight = 0.2, Duration = TimeSpan.FromSeconds(180) },
        [AnomalyKind.MissingData] = new() { Weight = 0.1, Duration = TimeSpan.FromSeconds(30) },
        [AnomalyKind.Stuck] = new() { Weight = 0.05, Duration = TimeSpan.FromSeconds(120) },
        [AnomalyKind.Dropout] = new() { Weight = 0.05, Duration = TimeSpan.FromSeconds(10) },
    };
}
