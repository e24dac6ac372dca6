namespace IotSim.Core.Kernels;

/// <summary>
/// Struct-of-arrays state of a block of channels: 16 four-byte columns, 64 bytes per channel.
/// Column i of every array belongs to channel i. Not thread-safe; kernels own disjoint channel ranges.
/// </summary>
internal sealed class SensorState
{
    public SensorState(int count)
    {
        Count = count;
        Nominal = new float[count];
        Sigma = new float[count];
        DriftRate = new float[count];
        DriftAcc = new float[count];
        DriftLimit = new float[count];
        Amplitude = new float[count];
        Min = new float[count];
        Max = new float[count];
        AnomProb = new float[count];
        AnomScale = new float[count];
        AnomParam = new float[count];
        Quantum = new float[count];
        CycleStep = new uint[count];
        Phase = new uint[count];
        AnomState = new uint[count];
        Key = new uint[count];
    }

    public int Count { get; }

    /// <summary>Bytes of state per channel.</summary>
    public const int BytesPerChannel = 64;

    public float[] Nominal { get; }
    public float[] Sigma { get; }
    public float[] DriftRate { get; }
    public float[] DriftAcc { get; }
    public float[] DriftLimit { get; }
    public float[] Amplitude { get; }
    public float[] Min { get; }
    public float[] Max { get; }

    /// <summary>Anomaly start probability per tick, device factors and scenario scale folded in.</summary>
    public float[] AnomProb { get; }

    /// <summary>Anomaly size: magnitude × max(3σ, 5% of range).</summary>
    public float[] AnomScale { get; }

    /// <summary>Parameter of the active anomaly (offset, slope, extra σ, stuck value; NaN = stuck value not yet taken).</summary>
    public float[] AnomParam { get; }

    /// <summary>10^precision; values are rounded to multiples of 1/Quantum.</summary>
    public float[] Quantum { get; }

    /// <summary>Cycle advance per tick in 2^-32 turns.</summary>
    public uint[] CycleStep { get; }

    /// <summary>Cycle phase in 2^-32 turns.</summary>
    public uint[] Phase { get; }

    /// <summary>Active anomaly: kind &lt;&lt; 24 | remaining ticks (0 = none).</summary>
    public uint[] AnomState { get; }

    /// <summary>Per-channel random key (seed, global channel id).</summary>
    public uint[] Key { get; }
}
