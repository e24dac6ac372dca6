namespace IotSim.Core.Scenarios;

/// <summary>
/// Dirty delivery: the faults of real device networks, off by default, each a share drawn from the seed (so a run is
/// reproducible and sharding keeps every decision). A device message is all of a device's readings at one timestamp.
/// What was done to which reading is written to <see cref="Labels"/>, a side channel for scoring, never into the data.
/// </summary>
public sealed record DirtyOptions
{
    /// <summary>Share of device messages delivered late: held back and written once the stream has moved on by a delay of up to <see cref="MaxDelay"/> (out of order).</summary>
    public double Late { get; init; }

    /// <summary>Longest delay of a late message (each delay is drawn uniformly from 1 ms to this).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of device messages delivered twice (the copy follows in the same batch or the next).</summary>
    public double Duplicates { get; init; }

    /// <summary>Share of readings whose value is delivered as null (empty CSV cell, JSON null).</summary>
    public double Nulls { get; init; }

    /// <summary>Share of devices whose clock is off: every timestamp they report is shifted by a fixed offset.</summary>
    public double ClockSkew { get; init; }

    /// <summary>Largest clock offset of a skewed device (each offset is drawn uniformly from ±this, never zero).</summary>
    public TimeSpan MaxSkew { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>CSV file listing every dirty reading (<c>kind,timestamp,device_id,sensor,detail</c>), or null for none.</summary>
    public string? Labels { get; init; }

    /// <summary>Whether any fault is switched on.</summary>
    public bool Enabled => Late > 0 || Duplicates > 0 || Nulls > 0 || ClockSkew > 0;
}
