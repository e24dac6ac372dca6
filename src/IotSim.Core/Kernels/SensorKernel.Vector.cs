using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

internal static partial class SensorKernel
{
    /// <summary>
    /// The vector path for one width. Mirrors <see cref="Evaluate"/> operation by operation over caches that
    /// <see cref="Refresh"/> brought to the tick's slots. The tail goes through the scalar reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int AdvanceVector<TOps, TF, TI>(SensorState s, KernelParams p, int start, in TickContext t, Span<float> values, Span<byte> flags)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct
    {
        int count = values.Length;
        int lanes = TOps.Lanes;
        int vectorEnd = count - count % lanes;
        int omitted = 0;

        ref float nominal = ref MemoryMarshal.GetArrayDataReference(s.Nominal);
        ref float sigma = ref MemoryMarshal.GetArrayDataReference(s.Sigma);
        ref float driftAmp = ref MemoryMarshal.GetArrayDataReference(s.DriftAmp);
        ref float amplitude = ref MemoryMarshal.GetArrayDataReference(s.Amplitude);
        ref float seasonAmp = ref MemoryMarshal.GetArrayDataReference(s.SeasonAmp);
        ref float gateTan = ref MemoryMarshal.GetArrayDataReference(s.GateTan);
        ref float minCol = ref MemoryMarshal.GetArrayDataReference(s.Min);
        ref float maxCol = ref MemoryMarshal.GetArrayDataReference(s.Max);
        ref float quantum = ref MemoryMarshal.GetArrayDataReference(s.Quantum);
        ref float epParam = ref MemoryMarshal.GetArrayDataReference(s.EpParam);
        ref uint cycleStep = ref MemoryMarshal.GetArrayDataReference(s.CycleStep);
        ref uint phase = ref MemoryMarshal.GetArrayDataReference(s.Phase);
        ref uint flagCol = ref MemoryMarshal.GetArrayDataReference(s.Flags);
        ref uint key = ref MemoryMarshal.GetArrayDataReference(s.Key);
        ref uint epKind = ref MemoryMarshal.GetArrayDataReference(s.EpKind);
        ref uint epStart = ref MemoryMarshal.GetArrayDataReference(s.EpStart);
        ref uint epEnd = ref MemoryMarshal.GetArrayDataReference(s.EpEnd);
        ref uint eqStateCol = ref MemoryMarshal.GetArrayDataReference(s.EqState);
        ref uint eqStartCol = ref MemoryMarshal.GetArrayDataReference(s.EqStart);
        ref uint eqEndCol = ref MemoryMarshal.GetArrayDataReference(s.EqEnd);
        ref float eqCodeCol = ref MemoryMarshal.GetArrayDataReference(s.EqCode);
        ref float valueOut = ref MemoryMarshal.GetReference(values);
        ref byte flagOut = ref MemoryMarshal.GetReference(flags);

        TI vTimeKey = TOps.I((int)t.TimeKey);
        TI vKnotA = TOps.I((int)t.KnotKeyA);
        TI vKnotB = TOps.I((int)t.KnotKeyB);
        TF vDriftWeight = TOps.F(t.DriftWeight);
        TI vTick = TOps.I((int)t.TickLow);
        TI vDayAngle = TOps.I((int)t.DayAngle);
        TF vSeasonCos = TOps.F(t.SeasonCos);
        TF vTanDecl = TOps.F(t.TanDecl);
        TI vOff = TOps.I((int)t.SlotOffset);
        TI vEqOff = TOps.I((int)t.EqOffset);
        TI rampMs = TOps.I((int)EquipmentStates.RampMs);
        TI followsBit = TOps.I((int)SensorState.FollowsFlag);
        TI eqStatusBit = TOps.I((int)SensorState.EquipmentStatusFlag);
        TI gatedBits = TOps.I((int)(SensorState.DaylightFlag | SensorState.FollowsFlag));
        TI zeroI = TOps.I(0);
        TI dailyBit = TOps.I((int)SensorState.DailyFlag);
        TI daylightBit = TOps.I((int)SensorState.DaylightFlag);
        TI kindPattern = TOps.I((int)AnomalyKind.Pattern);
        TI kindNoise = TOps.I((int)AnomalyKind.Noise);
        TI kindSpike = TOps.I((int)AnomalyKind.Spike);
        TI kindTrend = TOps.I((int)AnomalyKind.Trend);
        TI kindDropout = TOps.I((int)AnomalyKind.Dropout);
        TI kindStuck = TOps.I((int)AnomalyKind.Stuck);
        TI kindMissing = TOps.I((int)AnomalyKind.MissingData);
        TF zeroF = TOps.F(0f);
        TF oneF = TOps.F(1f);

        for (int i = 0; i < vectorEnd; i += lanes)
        {
            nuint c = (nuint)(start + i);
            nuint o = (nuint)i;
            TI k = TOps.LoadI(ref key, c);
            TI h0 = Mix<TOps, TF, TI>(TOps.Xor(k, vTimeKey));
            TF z = Normal<TOps, TF, TI>(h0);
            TF dA = Signed<TOps, TF, TI>(Mix<TOps, TF, TI>(TOps.Xor(k, vKnotA)));
            TF dB = Signed<TOps, TF, TI>(Mix<TOps, TF, TI>(TOps.Xor(k, vKnotB)));
            TF drift = TOps.Mul(TOps.LoadF(ref driftAmp, c), TOps.Add(dA, TOps.Mul(TOps.Sub(dB, dA), vDriftWeight)));

            TI eKind = TOps.LoadI(ref epKind, c);
            TI eStart = TOps.LoadI(ref epStart, c);
            TI eEnd = TOps.LoadI(ref epEnd, c);
            TF param = TOps.LoadF(ref epParam, c);
            TI active = TOps.AndNot(TOps.AndNot(TOps.LessThan(vOff, eEnd), TOps.LessThan(vOff, eStart)), TOps.Equals(eKind, zeroI));
            TI kind = TOps.And(eKind, active);
            TF tau = TOps.Div(TOps.ToFloat(TOps.Sub(vOff, eStart)), TOps.ToFloat(TOps.Sub(eEnd, eStart)));
            TF u = TOps.Mul(tau, TOps.Sub(oneF, tau));
            TF bump = TOps.Mul(TOps.Mul(u, u), TOps.F(16f));

            TI eqState = TOps.LoadI(ref eqStateCol, c);
            TI eqStart = TOps.LoadI(ref eqStartCol, c);
            TI eqEnd = TOps.LoadI(ref eqEndCol, c);
            TI eqOn = TOps.AndNot(TOps.I(-1), TOps.Equals(eqState, zeroI));
            TI stopped = TOps.And(eqOn, TOps.AndNot(TOps.LessThan(vEqOff, eqEnd), TOps.LessThan(vEqOff, eqStart)));
            TI ramping = TOps.And(eqOn, TOps.AndNot(TOps.LessThan(vEqOff, TOps.Add(eqEnd, rampMs)), TOps.LessThan(vEqOff, eqEnd)));
            TF ge = TOps.Mul(TOps.ToFloat(TOps.Sub(vEqOff, eqEnd)), TOps.F(1f / EquipmentStates.RampMs));
            ge = TOps.Select(TOps.AsF(ramping), ge, oneF);
            ge = TOps.Select(TOps.AsF(stopped), zeroF, ge);

            TI fl = TOps.LoadI(ref flagCol, c);
            TI isPattern = TOps.Equals(kind, kindPattern);
            TF patternF = TOps.AsF(isPattern);
            TI angle = TOps.Add(TOps.Mul(vTick, TOps.LoadI(ref cycleStep, c)), TOps.LoadI(ref phase, c));
            angle = TOps.Add(angle, TOps.AndNot(vDayAngle, TOps.Equals(TOps.And(fl, dailyBit), zeroI)));
            angle = TOps.Add(angle, TOps.And(isPattern, TOps.ToInt(TOps.Mul(bump, TOps.F(1073741824f)))));
            TF amp = TOps.Add(TOps.LoadF(ref amplitude, c), TOps.Select(patternF, TOps.Mul(param, bump), zeroF));
            TF sn = SinTurns<TOps, TF, TI>(angle);
            TF sig = TOps.Add(TOps.LoadF(ref sigma, c), TOps.Select(TOps.AsF(TOps.Equals(kind, kindNoise)), param, zeroF));

            TI statusStopped = TOps.AndNot(stopped, TOps.Equals(TOps.And(fl, eqStatusBit), zeroI));
            TF v = TOps.Add(TOps.Select(TOps.AsF(statusStopped), TOps.LoadF(ref eqCodeCol, c), TOps.LoadF(ref nominal, c)), drift);
            v = TOps.Add(v, TOps.Mul(amp, sn));
            v = TOps.Add(v, TOps.Mul(sig, z));
            v = TOps.Add(v, TOps.Mul(TOps.LoadF(ref seasonAmp, c), vSeasonCos));
            v = TOps.Add(v, TOps.Select(TOps.AsF(TOps.Equals(kind, kindSpike)), param, zeroF));
            v = TOps.Add(v, TOps.Select(TOps.AsF(TOps.Equals(kind, kindTrend)), TOps.Mul(param, bump), zeroF));
            TF min = TOps.LoadF(ref minCol, c);
            TF max = TOps.LoadF(ref maxCol, c);
            TF thr = TOps.Mul(TOps.LoadF(ref gateTan, c), vTanDecl);
            TF g = TOps.Div(TOps.Sub(sn, thr), TOps.Sub(oneF, thr));
            g = TOps.Select(TOps.LessThan(g, zeroF), zeroF, g);
            g = TOps.Select(TOps.GreaterThan(g, oneF), oneF, g);
            TF gDay = TOps.Select(TOps.AsF(TOps.Equals(TOps.And(fl, daylightBit), zeroI)), oneF, g);
            TF gEq = TOps.Select(TOps.AsF(TOps.Equals(TOps.And(fl, followsBit), zeroI)), oneF, ge);
            TF lit = TOps.Add(min, TOps.Mul(TOps.Sub(v, min), TOps.Mul(gDay, gEq)));
            v = TOps.Select(TOps.AsF(TOps.AndNot(TOps.I(-1), TOps.Equals(TOps.And(fl, gatedBits), zeroI))), lit, v);
            v = TOps.Select(TOps.AsF(TOps.Equals(kind, kindDropout)), min, v);
            v = TOps.Select(TOps.LessThan(v, min), min, v);
            v = TOps.Select(TOps.GreaterThan(v, max), max, v);
            TF q = TOps.LoadF(ref quantum, c);
            v = TOps.Div(TOps.Round(TOps.Mul(v, q)), q);
            v = TOps.Select(TOps.AsF(TOps.Equals(kind, kindStuck)), param, v);
            TOps.StoreF(v, ref valueOut, o);

            TI missing = TOps.Equals(kind, kindMissing);
            TI flag = TOps.Or(kind, TOps.And(missing, TOps.I(OmittedFlag)));
            TOps.StoreLowBytes(flag, ref flagOut, o);
            omitted += BitOperations.PopCount(TOps.MaskBits(missing));
        }
        for (int i = vectorEnd; i < count; i++)
        {
            omitted += StepScalar(s, p, start + i, in t, out values[i], out flags[i]);
        }
        return omitted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Signed<TOps, TF, TI>(TI h)
        where TOps : ISimdOps<TF, TI>
        where TF : struct
        where TI : struct =>
        TOps.Mul(TOps.ToFloat(TOps.ShiftRightArithmetic(h, 8)), TOps.F(1f / 8388608f));

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
