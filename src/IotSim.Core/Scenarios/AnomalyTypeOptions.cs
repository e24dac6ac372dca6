namespace IotSim.Core.Scenarios;

/// <summary>Settings of one anomaly kind.</summary>
public sealed record AnomalyTypeOptions
{
    /// <summary>Whether this kind can start.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Relative frequency among enabled kinds.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>How long one occurrence lasts (at least one tick of the sensor).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(1);
}
