using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IotSim.Core.Kernels;

/// <summary><see cref="ISimdOps{TF, TI}"/> over Vector128.</summary>
internal readonly struct V128Ops : ISimdOps<Vector128<float>, Vector128<int>>
{
    public static int Lanes => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadF(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreF(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> LoadI(ref uint source, nuint index) => Vector128.LoadUnsafe(ref source, index).AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreI(Vector128<int> value, ref uint destination, nuint index) => value.AsUInt32().StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> F(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> I(int value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => Vector128.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> IsNaN(Vector128<float> a) => ~Vector128.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sub(Vector128<int> a, Vector128<int> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Mul(Vector128<int> a, Vector128<int> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Xor(Vector128<int> a, Vector128<int> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Or(Vector128<int> a, Vector128<int> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> AndNot(Vector128<int> a, Vector128<int> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftRightLogical(Vector128<int> a, int count) => Vector128.ShiftRightLogical(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftRightArithmetic(Vector128<int> a, int count) => Vector128.ShiftRightArithmetic(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftLeft(Vector128<int> a, int count) => Vector128.ShiftLeft(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Equals(Vector128<int> a, Vector128<int> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> GreaterThan(Vector128<int> a, Vector128<int> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> LessThan(Vector128<int> a, Vector128<int> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Select(Vector128<int> mask, Vector128<int> a, Vector128<int> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AsF(Vector128<int> a) => a.AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> AsI(Vector128<float> a) => a.AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ToFloat(Vector128<int> a) => Vector128.ConvertToSingle(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ToInt(Vector128<float> a) => Vector128.ConvertToInt32(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector128<int> mask) => (uint)mask.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLowBytes(Vector128<int> value, ref byte destination, nuint index)
    {
        Vector128<short> s = Vector128.Narrow(value, value);
        Vector128<byte> b = Vector128.Narrow(s.AsUInt16(), s.AsUInt16());
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, index), b.AsUInt32().ToScalar());
    }
}
