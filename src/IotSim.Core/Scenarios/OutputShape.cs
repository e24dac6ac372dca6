namespace IotSim.Core.Scenarios;

/// <summary>Row layout of encoded output.</summary>
public enum OutputShape
{
    /// <summary>One row per reading: time, device, sensor, value, anomaly label.</summary>
    Narrow,
    /// <summary>One row per device per timestamp, one column per sensor.</summary>
    Wide,
}
