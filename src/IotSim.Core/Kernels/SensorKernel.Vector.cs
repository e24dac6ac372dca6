using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

internal static partial class SensorKernel
{
    /// <summary>
    /// The vector path for one width. Mirrors <see cref="StepScalar"/> operation by operation; lanes that start an
    /// anomaly (rare) go through the scalar <see cref="StartAnomaly"/>. The tail goes through the scalar reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int AdvanceVector<TOps, TF, TI>(SensorState s, KernelParams p, int start, long tick, Span<float> values, Span<byte> flags)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct
    {
        uint tickKey = Hash32.TickKey(p.Seed, p.Group, tick);
        int count = values.Length;
        int lanes = TOps.Lanes;
        int vectorEnd = count - count % lanes;
        int omitted = 0;

        ref float nominal = ref MemoryMarshal.GetArrayDataReference(s.Nominal);
        ref float sigma = ref MemoryMarshal.GetArrayDataReference(s.Sigma);
        ref float driftRate = ref MemoryMarshal.GetArrayDataReference(s.DriftRate);
        ref float driftAcc = ref MemoryMarshal.GetArrayDataReference(s.DriftAcc);
        ref float driftLimit = ref MemoryMarshal.GetArrayDataReference(s.DriftLimit);
        ref float amplitude = ref MemoryMarshal.GetArrayDataReference(s.Amplitude);
        ref float minCol = ref MemoryMarshal.GetArrayDataReference(s.Min);
        ref float maxCol = ref MemoryMarshal.GetArrayDataReference(s.Max);
        ref float anomProb = ref MemoryMarshal.GetArrayDataReference(s.AnomProb);
        ref float anomParam = ref MemoryMarshal.GetArrayDataReference(s.AnomParam);
        ref float quantum = ref MemoryMarshal.GetArrayDataReference(s.Quantum);
        ref uint cycleStep = ref MemoryMarshal.GetArrayDataReference(s.CycleStep);
        ref uint phase = ref MemoryMarshal.GetArrayDataReference(s.Phase);
        ref uint anomState = ref MemoryMarshal.GetArrayDataReference(s.AnomState);
        ref uint key = ref MemoryMarshal.GetArrayDataReference(s.Key);
        ref float valueOut = ref MemoryMarshal.GetReference(values);
        ref byte flagOut = ref MemoryMarshal.GetReference(flags);

        TI vTickKey = TOps.I((int)tickKey);
        TI vN = TOps.I((int)(uint)tick);
        TI zeroI = TOps.I(0);
        TI oneI = TOps.I(1);
        TI remMask = TOps.I(0xFFFFFF);
        TI kindPattern = TOps.I((int)AnomalyKind.Pattern);
        TI kindNoise = TOps.I((int)AnomalyKind.Noise);
        TI kindSpike = TOps.I((int)AnomalyKind.Spike);
        TI kindTrend = TOps.I((int)AnomalyKind.Trend);
        TI kindDropout = TOps.I((int)AnomalyKind.Dropout);
        TI kindStuck = TOps.I((int)AnomalyKind.Stuck);
        TI kindMissing = TOps.I((int)AnomalyKind.MissingData);
        TI trendPlusOne = TOps.I(p.TrendTicks + 1);
        TF zeroF = TOps.F(0f);

        for (int i = 0; i < vectorEnd; i += lanes)
        {
            nuint c = (nuint)(start + i);
            nuint o = (nuint)i;
            TI h0 = Mix<TOps, TF, TI>(TOps.Xor(TOps.LoadI(ref key, c), vTickKey));

            TI st = TOps.LoadI(ref anomState, c);
            TI active = TOps.AndNot(oneI, TOps.Equals(st, zeroI));
            st = TOps.Sub(st, active);
            st = TOps.AndNot(st, TOps.Equals(TOps.And(st, remMask), zeroI));
            TI h1 = Mix<TOps, TF, TI>(TOps.Xor(h0, TOps.I(unchecked((int)Hash32.AnomalySalt))));
            TF u1 = TOps.Mul(TOps.ToFloat(TOps.ShiftRightLogical(h1, 8)), TOps.F(1f / 16777216f));
            TI starts = TOps.And(TOps.Equals(st, zeroI), TOps.AsI(TOps.LessThan(u1, TOps.LoadF(ref anomProb, c))));
            TOps.StoreI(st, ref anomState, c);
            if (TOps.MaskBits(starts) != 0)
            {
                StartLanes(s, p, (int)c, TOps.MaskBits(starts), tickKey);
                st = TOps.LoadI(ref anomState, c);
            }
            TI kind = TOps.ShiftRightLogical(st, 24);
            TI rem = TOps.And(st, remMask);
            TF param = TOps.LoadF(ref anomParam, c);

            TI h2 = Mix<TOps, TF, TI>(TOps.Xor(h0, TOps.I(unchecked((int)Hash32.DriftSalt))));
            TF step = TOps.Mul(TOps.ToFloat(TOps.ShiftRightArithmetic(h2, 8)), TOps.F(1f / 8388608f));
            TF drift = TOps.Add(TOps.LoadF(ref driftAcc, c), TOps.Mul(TOps.LoadF(ref driftRate, c), step));
            TF lim = TOps.LoadF(ref driftLimit, c);
            drift = TOps.Select(TOps.GreaterThan(drift, lim), lim, drift);
            TF negLim = TOps.Sub(zeroF, lim);
            drift = TOps.Select(TOps.LessThan(drift, negLim), negLim, drift);
            TOps.StoreF(drift, ref driftAcc, c);

            TI isPattern = TOps.Equals(kind, kindPattern);
            TI angle = TOps.Add(TOps.Mul(vN, TOps.LoadI(ref cycleStep, c)), TOps.LoadI(ref phase, c));
            angle = TOps.Mul(angle, TOps.Select(isPattern, TOps.I(3), oneI));
            TF amp = TOps.Add(TOps.LoadF(ref amplitude, c), TOps.Select(TOps.AsF(isPattern), param, zeroF));
            TF cyc = TOps.Mul(amp, SinTurns<TOps, TF, TI>(angle));
            TF sig = TOps.Add(TOps.LoadF(ref sigma, c), TOps.Select(TOps.AsF(TOps.Equals(kind, kindNoise)), param, zeroF));
            TF z = Normal<TOps, TF, TI>(h0);
            TF elapsed = TOps.ToFloat(TOps.Sub(trendPlusOne, rem));

            TF v = TOps.Add(TOps.LoadF(ref nominal, c), drift);
            v = TOps.Add(v, cyc);
            v = TOps.Add(v, TOps.Mul(sig, z));
            v = TOps.Add(v, TOps.Select(TOps.AsF(TOps.Equals(kind, kindSpike)), param, zeroF));
            v = TOps.Add(v, TOps.Select(TOps.AsF(TOps.Equals(kind, kindTrend)), TOps.Mul(param, elapsed), zeroF));
            TF min = TOps.LoadF(ref minCol, c);
            TF max = TOps.LoadF(ref maxCol, c);
            v = TOps.Select(TOps.AsF(TOps.Equals(kind, kindDropout)), min, v);
            v = TOps.Select(TOps.LessThan(v, min), min, v);
            v = TOps.Select(TOps.GreaterThan(v, max), max, v);
            TF q = TOps.LoadF(ref quantum, c);
            v = TOps.Div(TOps.Round(TOps.Mul(v, q)), q);
            TF isStuck = TOps.AsF(TOps.Equals(kind, kindStuck));
            TF takeStuck = TOps.AsF(TOps.And(TOps.AsI(isStuck), TOps.AsI(TOps.IsNaN(param))));
            param = TOps.Select(takeStuck, v, param);
            TOps.StoreF(param, ref anomParam, c);
            v = TOps.Select(isStuck, param, v);
            TOps.StoreF(v, ref valueOut, o);

            TI missing = TOps.Equals(kind, kindMissing);
            TI flag = TOps.Or(kind, TOps.And(missing, TOps.I(OmittedFlag)));
            TOps.StoreLowBytes(flag, ref flagOut, o);
            omitted += BitOperations.PopCount(TOps.MaskBits(missing));
        }
        for (int i = vectorEnd; i < count; i++)
        {
            omitted += StepScalar(s, p, start + i, (uint)tick, tickKey, out values[i], out flags[i]);
        }
        return omitted;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartLanes(SensorState s, KernelParams p, int c, uint laneBits, uint tickKey)
    {
        while (laneBits != 0)
        {
            int lane = BitOperations.TrailingZeroCount(laneBits);
            laneBits &= laneBits - 1;
            int ch = c + lane;
            uint h0 = Hash32.Mix(s.Key[ch] ^ tickKey);
            s.AnomState[ch] = StartAnomaly(s, p, ch, h0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TI Mix<TOps, TF, TI>(TI h)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct
    {
        h = TOps.Xor(h, TOps.ShiftRightLogical(h, 16));
        h = TOps.Mul(h, TOps.I(unchecked((int)0x85EBCA6B)));
        h = TOps.Xor(h, TOps.ShiftRightLogical(h, 13));
        h = TOps.Mul(h, TOps.I(unchecked((int)0xC2B2AE35)));
        h = TOps.Xor(h, TOps.ShiftRightLogical(h, 16));
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF SinTurns<TOps, TF, TI>(TI a)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct
    {
        TI fold = TOps.Or(TOps.GreaterThan(a, TOps.I(DetMath.QuarterTurn)), TOps.LessThan(a, TOps.I(-DetMath.QuarterTurn)));
        TI t = TOps.Select(fold, TOps.Sub(TOps.I(int.MinValue), a), a);
        TF x = TOps.Mul(TOps.ToFloat(t), TOps.F(DetMath.TwoPiOver2Pow32));
        TF x2 = TOps.Mul(x, x);
        TF p = TOps.F(DetMath.S11);
        p = TOps.Add(TOps.Mul(p, x2), TOps.F(DetMath.S9));
        p = TOps.Add(TOps.Mul(p, x2), TOps.F(DetMath.S7));
        p = TOps.Add(TOps.Mul(p, x2), TOps.F(DetMath.S5));
        p = TOps.Add(TOps.Mul(p, x2), TOps.F(DetMath.S3));
        p = TOps.Mul(p, x2);
        return TOps.Add(x, TOps.Mul(x, p));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Normal<TOps, TF, TI>(TI h)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct
    {
        TI k = TOps.Add(TOps.ShiftRightLogical(h, 16), TOps.I(1));
        TI bits = TOps.AsI(TOps.ToFloat(k));
        TI e = TOps.Sub(TOps.ShiftRightArithmetic(bits, 23), TOps.I(127));
        TI mBits = TOps.Or(TOps.And(bits, TOps.I(0x007FFFFF)), TOps.I(0x3F800000));
        TI big = TOps.GreaterThan(mBits, TOps.I(DetMath.Sqrt2Bits));
        mBits = TOps.Sub(mBits, TOps.And(big, TOps.I(0x00800000)));
        e = TOps.Sub(e, big);
        TF m = TOps.AsF(mBits);
        TF f = TOps.Sub(m, TOps.F(1f));
        TF t = TOps.Div(f, TOps.Add(f, TOps.F(2f)));
        TF t2 = TOps.Mul(t, t);
        TF q = TOps.F(DetMath.L9);
        q = TOps.Add(TOps.Mul(q, t2), TOps.F(DetMath.L7));
        q = TOps.Add(TOps.Mul(q, t2), TOps.F(DetMath.L5));
        q = TOps.Add(TOps.Mul(q, t2), TOps.F(DetMath.L3));
        q = TOps.Mul(q, t2);
        TF tt = TOps.Add(t, t);
        TF lnM = TOps.Add(tt, TOps.Mul(tt, q));
        TF lnU = TOps.Add(TOps.Mul(TOps.ToFloat(TOps.Sub(e, TOps.I(16))), TOps.F(DetMath.Ln2)), lnM);
        TF r = TOps.Sqrt(TOps.Mul(lnU, TOps.F(-2f)));
        TF c = SinTurns<TOps, TF, TI>(TOps.Add(TOps.ShiftLeft(h, 16), TOps.I(DetMath.QuarterTurn)));
        return TOps.Mul(r, c);
    }
}
