namespace IotSim.Core.Scenarios;

/// <summary>Labelled anomaly kinds; the numeric value is the label stored in reading flags (0 = none).</summary>
public enum AnomalyKind : byte
{
    /// <summary>No anomaly.</summary>
    None = 0,
    /// <summary>A sudden jump for a short time.</summary>
    Spike = 1,
    /// <summary>Gradual drift away from normal over a duration.</summary>
    Trend = 2,
    /// <summary>Changed cycle: faster rhythm and larger amplitude.</summary>
    Pattern = 3,
    /// <summary>Raised noise over a duration.</summary>
    Noise = 4,
    /// <summary>Readings omitted over a duration.</summary>
    MissingData = 5,
    /// <summary>The value freezes at its level when the anomaly started.</summary>
    Stuck = 6,
    /// <summary>The sensor reads its physical minimum (signal loss).</summary>
    Dropout = 7,
}
