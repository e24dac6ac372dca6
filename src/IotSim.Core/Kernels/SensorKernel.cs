using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

// v = round(clamp(daylight(nominal + drift(t) + amp·sin(angle(t)) + σ·N(0,1) + season(t) + anomaly(t)), min, max) · q) / q

/// <summary>
/// Computes the readings of a range of channels at one timestamp. Every reading is a pure function of (seed,
/// channel, timestamp): noise is keyed by the timestamp, drift is a smooth curve through hashed knots, daily cycles
/// follow the clock at the device's longitude, and anomaly episodes are drawn per time slot, so any time window
/// generated alone equals that window of a longer run. The scalar path is the specification; the vector paths
/// (<see cref="AdvanceVector{TOps, TF, TI}"/>) mirror it operation by operation and must match it bit for bit.
/// </summary>
internal static partial class SensorKernel
{
    /// <summary>Flag bit: the reading is omitted (missing-data anomaly).</summary>
    public const byte OmittedFlag = Simulation.ReadingFlags.Omitted;

    /// <summary>Flag bits of a reading held back by dirty delivery (omitted here, delivered late as a copy).</summary>
    public const byte HeldFlags = Simulation.ReadingFlags.Omitted | Simulation.ReadingFlags.Held;

    /// <summary>Mask of the anomaly kind in a flag byte.</summary>
    public const byte KindMask = Simulation.ReadingFlags.KindMask;

    /// <summary>Environment variable that forces the kernel width used for <see cref="SimdWidth.Auto"/>.</summary>
    public const string ForceWidthVariable = "IOTSIM_SIMD";

    /// <summary>The values <see cref="ForceWidthVariable"/> accepts (case-insensitive; unset or empty = auto).</summary>
    public const string ForceWidthValues = "auto, scalar, v128, v256, v512";

    /// <summary>
    /// The width to run for <paramref name="requested"/> in this process: <see cref="ChooseWidth"/> with
    /// <see cref="ForceWidthVariable"/> from the environment and this machine's accelerated widths.
    /// </summary>
    public static SimdWidth ResolveWidth(SimdWidth requested) =>
        ChooseWidth(requested, Environment.GetEnvironmentVariable(ForceWidthVariable), AcceleratedWidths.Current);

    /// <summary>
    /// The width choice, as a pure function: an explicit <paramref name="requested"/> width wins; for
    /// <see cref="SimdWidth.Auto"/>, the width <paramref name="forceVariable"/> (the value of
    /// <see cref="ForceWidthVariable"/>) names, else the widest of <paramref name="accelerated"/> (scalar when none).
    /// Throws a <see cref="ConfigException"/> for an unknown variable value whatever the request, so a typo never
    /// goes unnoticed. The result may be a width the hardware does not accelerate; the caller decides whether to run it.
    /// </summary>
    public static SimdWidth ChooseWidth(SimdWidth requested, string? forceVariable, AcceleratedWidths accelerated)
    {
        SimdWidth? forced = ParseForcedWidth(forceVariable);
        return requested != SimdWidth.Auto ? requested : forced ?? accelerated.Widest;
    }

    /// <summary>The width a value of <see cref="ForceWidthVariable"/> names, or null for unset, empty or auto.</summary>
    public static SimdWidth? ParseForcedWidth(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "scalar" => SimdWidth.Scalar,
        "v128" => SimdWidth.V128,
        "v256" => SimdWidth.V256,
        "v512" => SimdWidth.V512,
        _ => throw new ConfigException(null, 0, ForceWidthVariable,
            $"environment variable set to '{value}', which is not a kernel width; allowed: {ForceWidthValues}"),
    };

    /// <summary>
    /// Whether <paramref name="width"/> runs on vector hardware here (scalar and auto always do). <see cref="Advance"/>
    /// runs every width; an unaccelerated vector width runs in software, bit-identical but many times slower.
    /// </summary>
    public static bool IsSupported(SimdWidth width) => AcceleratedWidths.Current.Accelerates(width);

    /// <summary>
    /// Computes channels [start, start + values.Length) at <paramref name="timestampMs"/> (Unix milliseconds on the
    /// group's tick grid) and writes values and flags. Returns the number of omitted readings. Every width runs,
    /// accelerated or not (unaccelerated vector widths in software, for tests); <see cref="SimdWidth.Auto"/> runs the
    /// scalar reference. Allocation-free.
    /// </summary>
    public static int Advance(SimdWidth width, SensorState s, KernelParams p, int start, long timestampMs, Span<float> values, Span<byte> flags)
    {
        if ((uint)start > (uint)s.Count || values.Length > s.Count - start || flags.Length != values.Length)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(start));
        }
        TickContext t = TickContext.For(p, timestampMs);
        Refresh(s, p, start, values.Length, in t);
        return width switch
        {
            SimdWidth.V512 => AdvanceVector<V512Ops, Vector512<float>, Vector512<int>>(s, p, start, in t, values, flags),
            SimdWidth.V256 => AdvanceVector<V256Ops, Vector256<float>, Vector256<int>>(s, p, start, in t, values, flags),
            SimdWidth.V128 => AdvanceVector<V128Ops, Vector128<float>, Vector128<int>>(s, p, start, in t, values, flags),
            _ => AdvanceScalar(s, p, start, in t, values, flags),
        };
    }

    /// <summary>The scalar reference: the specification every vector width must reproduce exactly.</summary>
    public static int AdvanceScalar(SensorState s, KernelParams p, int start, in TickContext t, Span<float> values, Span<byte> flags)
    {
        int omitted = 0;
        for (int i = 0; i < values.Length; i++)
        {
            omitted += StepScalar(s, p, start + i, in t, out values[i], out flags[i]);
        }
        return omitted;
    }

    /// <summary>
    /// Brings the episode and equipment caches of every block that [start, start + count) touches to the slots of
    /// <paramref name="t"/>: once per slot, a whole block at a time (its channels are a pure function of the slot, so
    /// refreshing channels not computed now changes nothing). Blocks belong to one work item, so one thread at a time.
    /// </summary>
    internal static void Refresh(SensorState s, KernelParams p, int start, int count, in TickContext t)
    {
        if (count == 0) return;
        for (int b = start / SensorState.BlockSize; b <= (start + count - 1) / SensorState.BlockSize; b++)
        {
            int lo = b * SensorState.BlockSize;
            int hi = Math.Min(lo + SensorState.BlockSize, s.Count);
            if (s.BlockSlot[b] != t.Slot)
            {
                for (int c = lo; c < hi; c++) RefreshEpisode(s, p, c, in t);
                s.BlockSlot[b] = t.Slot;
            }
            if (s.BlockEqSlot[b] != t.EqSlot)
            {
                for (int c = lo; c < hi; c++) RefreshEquipment(s, c, in t);
                s.BlockEqSlot[b] = t.EqSlot;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int StepScalar(SensorState s, KernelParams p, int c, in TickContext t, out float value, out byte flag)
    {
        value = Evaluate(s, c, in t, s.EpKind[c], s.EpStart[c], s.EpEnd[c], s.EpParam[c], s.EqState[c], s.EqStart[c], s.EqEnd[c], s.EqCode[c], out flag);
        return flag >> 7;
    }

    /// <summary>
    /// The reading of channel <paramref name="c"/> at <paramref name="t"/> with the given anomaly episode (kind 0:
    /// none) and equipment stop (state 0: none), as a pure function. The vector paths mirror this operation by operation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Evaluate(SensorState s, int c, in TickContext t, uint epKind, uint epStart, uint epEnd, float param,
        uint eqState, uint eqStart, uint eqEnd, float eqCode, out byte flag)
    {
        uint key = s.Key[c];
        uint h0 = Hash32.Mix(key ^ t.TimeKey);
        float z = DetMath.Normal(h0);
        float dA = Hash32.Signed(Hash32.Mix(key ^ t.KnotKeyA));
        float dB = Hash32.Signed(Hash32.Mix(key ^ t.KnotKeyB));
        float drift = s.DriftAmp[c] * (dA + (dB - dA) * t.DriftWeight);

        uint off = t.SlotOffset;
        bool active = epKind != 0 && (int)off >= (int)epStart && (int)off < (int)epEnd;
        uint kind = active ? epKind : 0;
        float tau = (int)(off - epStart) / (float)(int)(epEnd - epStart);
        float u = tau * (1f - tau);
        float bump = u * u * 16f;

        // Equipment: stopped between start and end (speed, power, ... at their minimum, the status at the stop's code),
        // then ramping back to full over RampMs.
        uint eoff = t.EqOffset;
        bool stopped = eqState != 0 && (int)eoff >= (int)eqStart && (int)eoff < (int)eqEnd;
        bool ramping = eqState != 0 && (int)eoff >= (int)eqEnd && (int)eoff < (int)(eqEnd + EquipmentStates.RampMs);
        float ge = (int)(eoff - eqEnd) * (1f / EquipmentStates.RampMs);
        ge = ramping ? ge : 1f;
        ge = stopped ? 0f : ge;

        uint flags = s.Flags[c];
        uint angle = t.TickLow * s.CycleStep[c] + s.Phase[c];
        angle += (flags & SensorState.DailyFlag) != 0 ? t.DayAngle : 0u;
        angle += kind == (uint)AnomalyKind.Pattern ? (uint)(int)(bump * 1073741824f) : 0u;
        float amp = s.Amplitude[c] + (kind == (uint)AnomalyKind.Pattern ? param * bump : 0f);
        float sn = DetMath.SinTurns(angle);
        float sig = s.Sigma[c] + (kind == (uint)AnomalyKind.Noise ? param : 0f);

        float v = ((flags & SensorState.EquipmentStatusFlag) != 0 && stopped ? eqCode : s.Nominal[c]) + drift;
        v += amp * sn;
        v += sig * z;
        v += s.SeasonAmp[c] * t.SeasonCos;
        v += kind == (uint)AnomalyKind.Spike ? param : 0f;
        v += kind == (uint)AnomalyKind.Trend ? param * bump : 0f;
        float min = s.Min[c];
        float max = s.Max[c];
        // Daylight: the sun is up while cos(hour angle) > −tan(latitude)·tan(declination); the value rises from the
        // minimum at sunrise to full at solar noon and falls back at sunset.
        float thr = s.GateTan[c] * t.TanDecl;
        float g = (sn - thr) / (1f - thr);
        g = g < 0f ? 0f : g;
        g = g > 1f ? 1f : g;
        float gAll = ((flags & SensorState.DaylightFlag) != 0 ? g : 1f) * ((flags & SensorState.FollowsFlag) != 0 ? ge : 1f);
        float lit = min + (v - min) * gAll;
        v = (flags & (SensorState.DaylightFlag | SensorState.FollowsFlag)) != 0 ? lit : v;
        v = kind == (uint)AnomalyKind.Dropout ? min : v;
        v = v < min ? min : v;
        v = v > max ? max : v;
        float q = s.Quantum[c];
        v = MathF.Round(v * q) / q;
        v = kind == (uint)AnomalyKind.Stuck ? param : v;
        bool missing = kind == (uint)AnomalyKind.MissingData;
        flag = (byte)(kind | (missing ? OmittedFlag : 0u));
        return v;
    }

    /// <summary>
    /// Draws the anomaly episode of channel <paramref name="c"/> in the slot of <paramref name="t"/>: whether there
    /// is one, its kind, start, length and parameter, all from (seed, channel, slot), and caches it in the Ep* columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void RefreshEpisode(SensorState s, KernelParams p, int c, in TickContext t)
    {
        uint h = Hash32.Mix(s.Key[c] ^ t.SlotKey);
        if (!(Hash32.Unit(h) < s.SlotProb[c]))
        {
            s.EpKind[c] = 0;
            s.EpStart[c] = 0;
            s.EpEnd[c] = 0;
            s.EpParam[c] = 0f;
            return;
        }
        float u = Hash32.Unit(Hash32.Mix(h ^ Hash32.KindSalt)) * p.TotalWeight;
        int kind = p.LastEnabledKind;
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            if (u < p.CumulativeWeight[k])
            {
                kind = k;
                break;
            }
        }
        uint duration = p.DurationMs[kind];
        uint startMs = (uint)(((ulong)Hash32.Mix(h ^ Hash32.StartSalt) * (ulong)(p.SlotMs - duration + 1)) >> 32);
        float sign = (Hash32.Mix(h ^ Hash32.SignSalt) & 1) == 0 ? 1f : -1f;
        float scale = s.AnomScale[c];
        float nominal = s.Nominal[c];
        // Toward the side with room, so the clamp never hides a spike or a trend.
        float room = sign > 0 ? s.Max[c] - nominal : nominal - s.Min[c];
        float other = sign > 0 ? nominal - s.Min[c] : s.Max[c] - nominal;
        sign = room < scale * 0.5f && other > room ? -sign : sign;
        s.EpKind[c] = (uint)kind;
        s.EpStart[c] = startMs;
        s.EpEnd[c] = startMs + duration;
        s.EpParam[c] = (AnomalyKind)kind switch
        {
            AnomalyKind.Spike or AnomalyKind.Trend => sign * scale,
            // A status sensor flaps between states; an analog one gains an oscillation of half the anomaly size.
            AnomalyKind.Pattern => (s.Flags[c] & SensorState.StatusFlag) != 0 ? scale : scale * 0.5f,
            AnomalyKind.Noise => scale * (1f / 3f),
            AnomalyKind.Stuck => StuckValue(s, p, c, in t, startMs, sign),
            _ => 0f,
        };
    }

    /// <summary>
    /// The value a stuck episode holds: the normal reading at its first tick (on this group's grid, which passes
    /// through <paramref name="t"/>), moved one step toward the side with room when that equals the nominal reading
    /// of a status sensor, so a stuck status is visible.
    /// </summary>
    private static float StuckValue(SensorState s, KernelParams p, int c, in TickContext t, uint startMs, float sign)
    {
        long slotStart = t.TimestampMs - t.SlotOffset;
        long first = slotStart + startMs;
        long ticks = TickContext.FloorDiv(first - t.TimestampMs + p.IntervalMs - 1, p.IntervalMs);
        TickContext at = TickContext.For(p, t.TimestampMs + ticks * p.IntervalMs);
        DrawEquipment(s, c, at.EqSlotKey, out uint eqState, out uint eqStart, out uint eqEnd, out float eqCode);
        float v = Evaluate(s, c, in at, 0, 0, 0, 0f, eqState, eqStart, eqEnd, eqCode, out _);
        float q = s.Quantum[c];
        if ((s.Flags[c] & SensorState.StatusFlag) != 0 && v == MathF.Round(s.Nominal[c] * q) / q)
        {
            float step = 1f / q;
            v = sign > 0 ? (v + step <= s.Max[c] ? v + step : v - step) : (v - step >= s.Min[c] ? v - step : v + step);
        }
        return v;
    }

    /// <summary>Draws and caches the stop episode of channel <paramref name="c"/>'s equipment in the equipment slot of <paramref name="t"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void RefreshEquipment(SensorState s, int c, in TickContext t)
    {
        DrawEquipment(s, c, t.EqSlotKey, out s.EqState[c], out s.EqStart[c], out s.EqEnd[c], out s.EqCode[c]);
    }

    /// <summary>
    /// The stop episode of channel <paramref name="c"/>'s equipment in the slot keyed <paramref name="slotKey"/>: the
    /// same for every sensor of the equipment, since it depends only on the equipment's key.
    /// </summary>
    internal static void DrawEquipment(SensorState s, int c, uint slotKey, out uint state, out uint start, out uint end, out float code)
    {
        uint key = s.EqKey[c];
        uint h = Hash32.Mix(key ^ slotKey);
        if (key == 0 || !(Hash32.Unit(h) < EquipmentStates.StopProbability))
        {
            (state, start, end, code) = (EquipmentStates.Running, 0, 0, 0f);
            return;
        }
        (uint kind, uint minMs, uint maxMs) = EquipmentStates.Kind(Hash32.Unit(Hash32.Mix(h ^ EquipmentStates.KindSalt)));
        uint length = minMs + (uint)(((ulong)Hash32.Mix(h ^ EquipmentStates.LengthSalt) * (maxMs - minMs)) >> 32);
        start = (uint)(((ulong)Hash32.Mix(h ^ EquipmentStates.StartSalt) * (ulong)(EquipmentStates.SlotMs - length - EquipmentStates.RampMs + 1)) >> 32);
        end = start + length;
        state = kind;
        float q = s.Quantum[c];
        code = EquipmentStates.Code(kind, s.Min[c], s.Max[c], MathF.Round(s.Nominal[c] * q) / q);
    }
}
