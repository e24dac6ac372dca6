using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

/// <summary>Constants shared by every channel of an interval group.</summary>
internal sealed class KernelParams
{
    public KernelParams(ulong seed, int group, TimeSpan interval, AnomalyOptions anomalies)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        Seed = seed;
        Group = group;
        float cum = 0;
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            var kind = (AnomalyKind)k;
            AnomalyTypeOptions opt = anomalies.Types.TryGetValue(kind, out var o) ? o : AnomalyOptions.Defaults[kind];
            if (opt.Enabled && opt.Weight > 0)
            {
                cum += (float)opt.Weight;
                LastEnabledKind = k;
            }
            CumulativeWeight[k] = cum;
            long ticks = (long)Math.Ceiling(opt.Duration.Ticks / (double)interval.Ticks);
            DurationTicks[k] = (uint)Math.Clamp(ticks, 1, 0xFFFFFF);
        }
        TotalWeight = cum;
        TrendTicks = (int)DurationTicks[(int)AnomalyKind.Trend];
    }

    public ulong Seed { get; }
    public int Group { get; }
    public uint[] DurationTicks { get; } = new uint[AnomalyKinds.Count];
    public float[] CumulativeWeight { get; } = new float[AnomalyKinds.Count];
    public float TotalWeight { get; }
    public int LastEnabledKind { get; }
    public int TrendTicks { get; }
}
