using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

/// <summary>Constants shared by every channel of an interval group.</summary>
internal sealed class KernelParams
{
    /// <summary>Spacing of the drift knots: 6 hours.</summary>
    public const long KnotMs = 6 * 3_600_000L;

    /// <summary>Shortest anomaly slot: 1 minute.</summary>
    public const long MinSlotMs = 60_000L;

    /// <summary>Longest anomaly slot (offsets within a slot stay below 2^31 ms).</summary>
    public const long MaxSlotMs = 20 * 86_400_000L;

    public KernelParams(ulong seed, int group, TimeSpan interval, AnomalyOptions anomalies)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        Seed = seed;
        Group = group;
        IntervalMs = Math.Max(1, (long)interval.TotalMilliseconds);
        float cum = 0;
        long longest = 0;
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            var kind = (AnomalyKind)k;
            AnomalyTypeOptions opt = anomalies.Types.TryGetValue(kind, out var o) ? o : AnomalyOptions.Defaults[kind];
            DurationMs[k] = (uint)Math.Clamp((long)Math.Ceiling(opt.Duration.TotalMilliseconds), 1, MaxSlotMs / 4);
            if (opt.Enabled && opt.Weight > 0)
            {
                cum += (float)opt.Weight;
                LastEnabledKind = k;
                longest = Math.Max(longest, DurationMs[k]);
            }
            CumulativeWeight[k] = cum;
        }
        TotalWeight = cum;
        // A slot holds at most one episode, placed uniformly; four times the longest episode keeps the episodes of
        // one channel from bunching at slot boundaries. Whole minutes, so probabilities per minute convert exactly.
        SlotMs = Math.Clamp((4 * longest + 59_999) / 60_000 * 60_000, MinSlotMs, MaxSlotMs);
    }

    public ulong Seed { get; }
    public int Group { get; }
    public long IntervalMs { get; }

    /// <summary>Length of an anomaly slot; the same for every group of a scenario.</summary>
    public long SlotMs { get; }

    /// <summary>Minutes per slot: the per-minute start probability times this is the chance of an episode in a slot.</summary>
    public double SlotMinutes => SlotMs / 60_000.0;

    public uint[] DurationMs { get; } = new uint[AnomalyKinds.Count];
    public float[] CumulativeWeight { get; } = new float[AnomalyKinds.Count];
    public float TotalWeight { get; }
    public int LastEnabledKind { get; }
}
