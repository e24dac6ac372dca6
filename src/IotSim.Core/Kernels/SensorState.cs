namespace IotSim.Core.Kernels;

/// <summary>
/// Struct-of-arrays state of a block of channels: 24 four-byte columns, 96 bytes per channel. Column i of every
/// array belongs to channel i. Everything but the episode columns is fixed at build time; the episode columns cache
/// the anomaly episode of the channel's current slot, a pure function of (seed, channel, slot), and the Eq* columns
/// the stop episode of its equipment's current slot, a pure function of (seed, device, equipment, slot), so a reading
/// never depends on what was generated before it. Not thread-safe; kernels own disjoint channel ranges.
/// </summary>
internal sealed class SensorState
{
    /// <summary>Flag bit: the cycle is daily and follows the local solar time (<see cref="TickContext.DayAngle"/> added).</summary>
    public const uint DailyFlag = 1;

    /// <summary>Flag bit: the value fades to the minimum between local sunset and sunrise (solar output).</summary>
    public const uint DaylightFlag = 2;

    /// <summary>Flag bit: a status sensor (discrete states): anomalies move it to another state.</summary>
    public const uint StatusFlag = 4;

    /// <summary>Flag bit: the value follows its equipment's operating state (to the minimum when stopped, ramping on start).</summary>
    public const uint FollowsFlag = 8;

    /// <summary>Flag bit: the channel is its equipment's status sensor and reports the operating state.</summary>
    public const uint EquipmentStatusFlag = 16;

    /// <summary>Episode slot of a channel whose episode is not computed yet.</summary>
    public const uint NoSlot = uint.MaxValue;

    public SensorState(int count)
    {
        Count = count;
        Nominal = new float[count];
        Sigma = new float[count];
        DriftAmp = new float[count];
        Amplitude = new float[count];
        SeasonAmp = new float[count];
        GateTan = new float[count];
        Min = new float[count];
        Max = new float[count];
        Quantum = new float[count];
        SlotProb = new float[count];
        AnomScale = new float[count];
        EpParam = new float[count];
        CycleStep = new uint[count];
        Phase = new uint[count];
        Flags = new uint[count];
        Key = new uint[count];
        EpKind = new uint[count];
        EpStart = new uint[count];
        EpEnd = new uint[count];
        EqKey = new uint[count];
        EqState = new uint[count];
        EqStart = new uint[count];
        EqEnd = new uint[count];
        EqCode = new float[count];
        BlockSlot = new uint[(count + BlockSize - 1) / BlockSize];
        BlockEqSlot = new uint[BlockSlot.Length];
        Invalidate();
    }

    public int Count { get; }

    /// <summary>Bytes of state per channel.</summary>
    public const int BytesPerChannel = 96;

    /// <summary>Steady value, device calibration (gain, offset) folded in.</summary>
    public float[] Nominal { get; }

    /// <summary>Noise standard deviation (manufacturer accuracy and gain folded in).</summary>
    public float[] Sigma { get; }

    /// <summary>Largest drift away from nominal: drift is a smooth curve through random knots in ±DriftAmp.</summary>
    public float[] DriftAmp { get; }

    /// <summary>Cycle amplitude.</summary>
    public float[] Amplitude { get; }

    /// <summary>Seasonal swing (signed by hemisphere), times the season's cosine.</summary>
    public float[] SeasonAmp { get; }

    /// <summary>−tan(latitude) of the device, for the day-length threshold of daylight channels.</summary>
    public float[] GateTan { get; }

    public float[] Min { get; }
    public float[] Max { get; }

    /// <summary>10^precision; values are rounded to multiples of 1/Quantum.</summary>
    public float[] Quantum { get; }

    /// <summary>Probability that an anomaly episode falls in a slot (device factors, scenario scale and slot length folded in).</summary>
    public float[] SlotProb { get; }

    /// <summary>Anomaly size: magnitude × max(3σ, 5% of range), at least three steps for status sensors.</summary>
    public float[] AnomScale { get; }

    /// <summary>Parameter of the slot's episode (offset, peak, extra σ, stuck value).</summary>
    public float[] EpParam { get; }

    /// <summary>Cycle advance per tick in 2^-32 turns (0 for daily cycles, which follow the clock).</summary>
    public uint[] CycleStep { get; }

    /// <summary>Cycle phase in 2^-32 turns (for daily cycles: longitude and peak hour).</summary>
    public uint[] Phase { get; }

    /// <summary><see cref="DailyFlag"/>, <see cref="DaylightFlag"/>, <see cref="StatusFlag"/>.</summary>
    public uint[] Flags { get; }

    /// <summary>Per-channel random key (seed, global channel id).</summary>
    public uint[] Key { get; }

    /// <summary>Channels per cache block: the episode caches of a block are refreshed together, by the one thread that owns the block.</summary>
    public const int BlockSize = 4096;

    /// <summary>Per block of <see cref="BlockSize"/> channels: the anomaly slot its Ep* columns hold, or <see cref="NoSlot"/>.</summary>
    public uint[] BlockSlot { get; }

    /// <summary>Per block: the equipment slot its Eq* columns hold, or <see cref="NoSlot"/>.</summary>
    public uint[] BlockEqSlot { get; }

    /// <summary>Drops every cached episode (after a reload), so the next tick draws them again.</summary>
    public void Invalidate()
    {
        Array.Fill(BlockSlot, NoSlot);
        Array.Fill(BlockEqSlot, NoSlot);
    }

    /// <summary>Kind of the slot's episode (0 = none).</summary>
    public uint[] EpKind { get; }

    /// <summary>Episode start, milliseconds into the slot.</summary>
    public uint[] EpStart { get; }

    /// <summary>Episode end (exclusive), milliseconds into the slot.</summary>
    public uint[] EpEnd { get; }

    /// <summary>Key of the channel's equipment on its device (shared by the equipment's sensors), or 0 when it has none.</summary>
    public uint[] EqKey { get; }


    /// <summary><see cref="EquipmentStates"/> of the slot's stop episode (0 = none: running all slot).</summary>
    public uint[] EqState { get; }

    /// <summary>Stop start, milliseconds into the equipment slot.</summary>
    public uint[] EqStart { get; }

    /// <summary>Stop end (restart), milliseconds into the equipment slot; a ramp of <see cref="EquipmentStates.RampMs"/> follows.</summary>
    public uint[] EqEnd { get; }

    /// <summary>For a status channel: the state code it reports during the stop.</summary>
    public float[] EqCode { get; }
}
