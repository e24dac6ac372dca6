namespace IotSim.Core.Kernels;

/// <summary>
/// The vector operations a kernel needs, for one fixed width. Kernels are generic over an implementing struct,
/// so the JIT specialises and inlines every call; one kernel source serves Vector128, Vector256 and Vector512.
/// </summary>
/// <typeparam name="TF">The float vector type.</typeparam>
/// <typeparam name="TI">The int vector type of the same width.</typeparam>
internal interface ISimdOps<TF, TI>
    where TF : struct
    where TI : struct
{
    static abstract int Lanes { get; }
    static abstract TF LoadF(ref float source, nuint index);
    static abstract void StoreF(TF value, ref float destination, nuint index);
    static abstract TI LoadI(ref uint source, nuint index);
    static abstract void StoreI(TI value, ref uint destination, nuint index);
    static abstract TF F(float value);
    static abstract TI I(int value);
    static abstract TF Add(TF a, TF b);
    static abstract TF Sub(TF a, TF b);
    static abstract TF Mul(TF a, TF b);
    static abstract TF Div(TF a, TF b);
    static abstract TF Sqrt(TF a);
    static abstract TF Round(TF a);
    static abstract TF LessThan(TF a, TF b);
    static abstract TF GreaterThan(TF a, TF b);
    static abstract TF IsNaN(TF a);
    static abstract TF Select(TF mask, TF a, TF b);
    static abstract TI Add(TI a, TI b);
    static abstract TI Sub(TI a, TI b);
    static abstract TI Mul(TI a, TI b);
    static abstract TI Xor(TI a, TI b);
    static abstract TI And(TI a, TI b);
    static abstract TI Or(TI a, TI b);
    static abstract TI AndNot(TI a, TI b);
    static abstract TI ShiftRightLogical(TI a, int count);
    static abstract TI ShiftRightArithmetic(TI a, int count);
    static abstract TI ShiftLeft(TI a, int count);
    static abstract TI Equals(TI a, TI b);
    static abstract TI GreaterThan(TI a, TI b);
    static abstract TI LessThan(TI a, TI b);
    static abstract TI Select(TI mask, TI a, TI b);
    static abstract TF AsF(TI a);
    static abstract TI AsI(TF a);
    static abstract TF ToFloat(TI a);

    /// <summary>Float to int, truncating; only used on values well inside the int range.</summary>
    static abstract TI ToInt(TF a);
    static abstract uint MaskBits(TI mask);

    /// <summary>Stores the low byte of every lane to <paramref name="destination"/> + <paramref name="index"/>.</summary>
    static abstract void StoreLowBytes(TI value, ref byte destination, nuint index);
}
