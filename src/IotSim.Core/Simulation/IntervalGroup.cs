using IotSim.Core.Kernels;

namespace IotSim.Core.Simulation;

/// <summary>
/// The sensors of a fleet that share one reporting interval, for the shard's devices. Channels are laid out
/// device-major: local channel = (device − first device) × <see cref="SensorsPerDevice"/> + position.
/// </summary>
public sealed class IntervalGroup
{
    internal IntervalGroup(int index, TimeSpan interval, int[] sensorIndices, int devices, long tickCount, SensorState state, KernelParams kernelParams)
    {
        Index = index;
        Interval = interval;
        IntervalMs = (long)interval.TotalMilliseconds;
        SensorIndices = sensorIndices;
        ChannelCount = devices * sensorIndices.Length;
        TickCount = tickCount;
        State = state;
        Params = kernelParams;
    }

    /// <summary>Position of the group in <see cref="Fleet.Groups"/>.</summary>
    public int Index { get; }

    /// <summary>Reporting interval of every sensor in the group.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Interval in milliseconds.</summary>
    public long IntervalMs { get; }

    /// <summary>Indices into <see cref="Fleet.Sensors"/>, in profile order.</summary>
    public IReadOnlyList<int> SensorIndices { get; }

    /// <summary>Sensors per device in this group.</summary>
    public int SensorsPerDevice => SensorIndices.Count;

    /// <summary>Channels of this group in this shard.</summary>
    public int ChannelCount { get; }

    /// <summary>Ticks in the run (long.MaxValue when unbounded).</summary>
    public long TickCount { get; }

    internal SensorState State { get; }

    internal KernelParams Params { get; set; }
}
