namespace IotSim.Core.Simulation;

/// <summary>The bits of a reading's flag byte (<see cref="ReadingBatch.Flags"/>), for sinks that read batches directly.</summary>
public static class ReadingFlags
{
    /// <summary>The reading is omitted: not delivered (a missing-data anomaly, or held back by dirty delivery).</summary>
    public const byte Omitted = 0x80;

    /// <summary>With <see cref="Omitted"/>: held back by dirty delivery, delivered late as a copy in a later segment.</summary>
    public const byte Held = 0x40;

    /// <summary>Mask of the anomaly kind (<see cref="Scenarios.AnomalyKind"/>) in the low bits.</summary>
    public const byte KindMask = 0x07;

    /// <summary>Whether a reading with <paramref name="flag"/> is delivered (not omitted).</summary>
    public static bool IsPresent(byte flag) => flag < Omitted;
}
