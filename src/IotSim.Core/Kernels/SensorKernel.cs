using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

// v = round(clamp(nominal + drift + amp·sin(2π(n·step + phase)) + σ·N(0,1) + anomaly, min, max) · q) / q

/// <summary>
/// Advances a range of channels by one tick and writes their readings. The scalar path is the specification;
/// the vector paths (<see cref="AdvanceVector{TOps, TF, TI}"/>) mirror it operation by operation and must match
/// it bit for bit.
/// </summary>
internal static partial class SensorKernel
{
    /// <summary>Flag bit: the reading is omitted (missing-data anomaly).</summary>
    public const byte OmittedFlag = 0x80;

    /// <summary>Mask of the anomaly kind in a flag byte.</summary>
    public const byte KindMask = 0x07;

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
    /// Advances channels [start, start + values.Length) to <paramref name="tick"/> and writes values and flags.
    /// Returns the number of omitted readings. Every width runs, accelerated or not (unaccelerated vector widths in
    /// software, for tests); <see cref="SimdWidth.Auto"/> runs the scalar reference. Allocation-free.
    /// </summary>
    public static int Advance(SimdWidth width, SensorState s, KernelParams p, int start, long tick, Span<float> values, Span<byte> flags)
    {
        if ((uint)start > (uint)s.Count || values.Length > s.Count - start || flags.Length != values.Length)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(start));
        }
        return width switch
        {
            SimdWidth.V512 => AdvanceVector<V512Ops, Vector512<float>, Vector512<int>>(s, p, start, tick, values, flags),
            SimdWidth.V256 => AdvanceVector<V256Ops, Vector256<float>, Vector256<int>>(s, p, start, tick, values, flags),
            SimdWidth.V128 => AdvanceVector<V128Ops, Vector128<float>, Vector128<int>>(s, p, start, tick, values, flags),
            _ => AdvanceScalar(s, p, start, tick, values, flags),
        };
    }

    /// <summary>The scalar reference: the specification every vector width must reproduce exactly.</summary>
    public static int AdvanceScalar(SensorState s, KernelParams p, int start, long tick, Span<float> values, Span<byte> flags)
    {
        uint tickKey = Hash32.TickKey(p.Seed, p.Group, tick);
        int omitted = 0;
        for (int i = 0; i < values.Length; i++)
        {
            omitted += StepScalar(s, p, start + i, (uint)tick, tickKey, out values[i], out flags[i]);
        }
        return omitted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int StepScalar(SensorState s, KernelParams p, int c, uint n, uint tickKey, out float value, out byte flag)
    {
        uint h0 = Hash32.Mix(s.Key[c] ^ tickKey);

        uint st = s.AnomState[c];
        st -= st != 0 ? 1u : 0u;
        st = (st & 0xFFFFFF) == 0 ? 0 : st;
        uint h1 = Hash32.Mix(h0 ^ Hash32.AnomalySalt);
        if (st == 0 && Hash32.Unit(h1) < s.AnomProb[c])
        {
            st = StartAnomaly(s, p, c, h0);
        }
        s.AnomState[c] = st;
        uint kind = st >> 24;
        uint rem = st & 0xFFFFFF;
        float param = s.AnomParam[c];

        uint h2 = Hash32.Mix(h0 ^ Hash32.DriftSalt);
        float step = ((int)h2 >> 8) * (1f / 8388608f);
        float drift = s.DriftAcc[c] + s.DriftRate[c] * step;
        float lim = s.DriftLimit[c];
        drift = drift > lim ? lim : drift;
        float negLim = 0f - lim;
        drift = drift < negLim ? negLim : drift;
        s.DriftAcc[c] = drift;

        uint angle = n * s.CycleStep[c] + s.Phase[c];
        angle *= kind == (uint)AnomalyKind.Pattern ? 3u : 1u;
        float amp = s.Amplitude[c] + (kind == (uint)AnomalyKind.Pattern ? param : 0f);
        float cyc = amp * DetMath.SinTurns(angle);
        float sig = s.Sigma[c] + (kind == (uint)AnomalyKind.Noise ? param : 0f);
        float z = DetMath.Normal(h0);
        float elapsed = (int)((uint)p.TrendTicks + 1 - rem);

        float v = s.Nominal[c] + drift;
        v += cyc;
        v += sig * z;
        v += kind == (uint)AnomalyKind.Spike ? param : 0f;
        v += kind == (uint)AnomalyKind.Trend ? param * elapsed : 0f;
        float min = s.Min[c];
        float max = s.Max[c];
        v = kind == (uint)AnomalyKind.Dropout ? min : v;
        v = v < min ? min : v;
        v = v > max ? max : v;
        float q = s.Quantum[c];
        v = MathF.Round(v * q) / q;
        if (kind == (uint)AnomalyKind.Stuck)
        {
            if (float.IsNaN(param))
            {
                param = v;
                s.AnomParam[c] = v;
            }
            v = param;
        }
        value = v;
        bool missing = kind == (uint)AnomalyKind.MissingData;
        flag = (byte)(kind | (missing ? OmittedFlag : 0u));
        return missing ? 1 : 0;
    }

    /// <summary>Starts an anomaly on channel <paramref name="c"/>: draws its kind and sign, sets its parameter, returns the new state word.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static uint StartAnomaly(SensorState s, KernelParams p, int c, uint h0)
    {
        uint h3 = Hash32.Mix(h0 ^ Hash32.KindSalt);
        float u = Hash32.Unit(h3) * p.TotalWeight;
        int kind = p.LastEnabledKind;
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            if (u < p.CumulativeWeight[k])
            {
                kind = k;
                break;
            }
        }
        uint h4 = Hash32.Mix(h0 ^ Hash32.SignSalt);
        float sign = (h4 & 1) == 0 ? 1f : -1f;
        float scale = s.AnomScale[c];
        s.AnomParam[c] = (AnomalyKind)kind switch
        {
            AnomalyKind.Spike => sign * scale,
            AnomalyKind.Trend => sign * scale / p.TrendTicks,
            AnomalyKind.Pattern => scale * 0.5f,
            AnomalyKind.Noise => scale * (1f / 3f),
            AnomalyKind.Stuck => float.NaN,
            _ => 0f,
        };
        return ((uint)kind << 24) | p.DurationTicks[kind];
    }
}
