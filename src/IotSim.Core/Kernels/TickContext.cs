using System.Runtime.CompilerServices;

namespace IotSim.Core.Kernels;

/// <summary>
/// Everything about one timestamp that every channel of a group shares: the noise key, the drift knots, the time
/// of day and of year, the anomaly slot. Computed once per segment with integer math and <see cref="DetMath"/>, so
/// it is a pure function of (seed, interval, timestamp) on every machine.
/// </summary>
internal readonly struct TickContext
{
    /// <summary>2000-01-01T00:00:00Z in Unix milliseconds: the origin of the year angle.</summary>
    public const long Epoch2000Ms = 946_684_800_000;

    /// <summary>The tropical year in milliseconds (365.24219 days).</summary>
    public const long YearMs = 31_556_925_216;

    public const long DayMs = 86_400_000;

    /// <summary>Year angle of the ambient-temperature peak in the northern hemisphere (about 20 July), in turns.</summary>
    public const double SeasonPeakTurns = 201.0 / 365.24219;

    /// <summary>Year angle of the March equinox (about 20 March), in turns.</summary>
    public const double EquinoxTurns = 79.0 / 365.24219;

    /// <summary>Earth's axial tilt in turns (23.44°).</summary>
    public const float TiltTurns = 23.44f / 360f;

    public long TimestampMs { get; init; }

    /// <summary>Key of the timestamp's noise draws.</summary>
    public uint TimeKey { get; init; }

    /// <summary>Low 32 bits of the absolute tick (Unix milliseconds / interval), for cycles that are not daily.</summary>
    public uint TickLow { get; init; }

    /// <summary>Keys of the drift knots before and after the timestamp.</summary>
    public uint KnotKeyA { get; init; }

    public uint KnotKeyB { get; init; }

    /// <summary>Smoothstep weight of knot B (0 at knot A, 1 at knot B).</summary>
    public float DriftWeight { get; init; }

    /// <summary>UTC time of day in 2^-32 turns.</summary>
    public uint DayAngle { get; init; }

    /// <summary>cos of the year angle from the northern ambient peak: +1 in late July, −1 in late January.</summary>
    public float SeasonCos { get; init; }

    /// <summary>tan of the sun's declination.</summary>
    public float TanDecl { get; init; }

    /// <summary>The anomaly slot (low 32 bits of Unix milliseconds / slot length).</summary>
    public uint Slot { get; init; }

    /// <summary>Milliseconds since the slot began.</summary>
    public uint SlotOffset { get; init; }

    /// <summary>Key of the slot's episode draws.</summary>
    public uint SlotKey { get; init; }

    /// <summary>The equipment slot (low 32 bits of Unix milliseconds / <see cref="EquipmentStates.SlotMs"/>).</summary>
    public uint EqSlot { get; init; }

    /// <summary>Milliseconds since the equipment slot began.</summary>
    public uint EqOffset { get; init; }

    /// <summary>Key of the equipment slot's stop draws.</summary>
    public uint EqSlotKey { get; init; }

    public static TickContext For(KernelParams p, long timestampMs)
    {
        long knot = FloorDiv(timestampMs, KernelParams.KnotMs);
        float f = (float)(timestampMs - knot * KernelParams.KnotMs) / KernelParams.KnotMs;
        long slot = FloorDiv(timestampMs, p.SlotMs);
        long eqSlot = FloorDiv(timestampMs, EquipmentStates.SlotMs);
        long intoDay = timestampMs - FloorDiv(timestampMs, DayMs) * DayMs;
        long sinceEpoch = timestampMs - Epoch2000Ms;
        long intoYear = sinceEpoch - FloorDiv(sinceEpoch, YearMs) * YearMs;
        uint yearAngle = (uint)(((UInt128)(ulong)intoYear << 32) / (ulong)YearMs);
        float seasonCos = DetMath.SinTurns(yearAngle - Turns(SeasonPeakTurns) + DetMath.QuarterTurn);
        float declSin = DetMath.SinTurns(yearAngle - Turns(EquinoxTurns));
        uint decl = (uint)(int)(declSin * (TiltTurns * 4294967296f));
        float tanDecl = DetMath.SinTurns(decl) / DetMath.SinTurns(decl + DetMath.QuarterTurn);
        return new TickContext
        {
            TimestampMs = timestampMs,
            TimeKey = Hash32.StreamKey(p.Seed, Hash32.NoiseStream, timestampMs),
            TickLow = (uint)FloorDiv(timestampMs, p.IntervalMs),
            KnotKeyA = Hash32.StreamKey(p.Seed, Hash32.KnotStream, knot),
            KnotKeyB = Hash32.StreamKey(p.Seed, Hash32.KnotStream, knot + 1),
            DriftWeight = f * f * (3f - 2f * f),
            DayAngle = (uint)(((ulong)intoDay << 32) / DayMs),
            SeasonCos = seasonCos,
            TanDecl = tanDecl,
            Slot = (uint)slot,
            SlotOffset = (uint)(timestampMs - slot * p.SlotMs),
            SlotKey = Hash32.StreamKey(p.Seed, Hash32.SlotStream, slot),
            EqSlot = (uint)eqSlot,
            EqOffset = (uint)(timestampMs - eqSlot * EquipmentStates.SlotMs),
            EqSlotKey = Hash32.StreamKey(p.Seed, Hash32.EquipmentStream, eqSlot),
        };
    }

    /// <summary>A fraction of a turn in 2^-32 turns.</summary>
    public static uint Turns(double turns) => (uint)(ulong)Math.Round((turns - Math.Floor(turns)) * 4294967296.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
