using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IotSim.Core.Kernels;

/// <summary><see cref="ISimdOps{TF, TI}"/> over Vector256.</summary>
internal readonly struct V256Ops : ISimdOps<Vector256<float>, Vector256<int>>
{
    public static int Lanes => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadF(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreF(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> LoadI(ref uint source, nuint index) => Vector256.LoadUnsafe(ref source, index).AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreI(Vector256<int> value, ref uint destination, nuint index) => value.AsUInt32().StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> F(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> I(int value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> IsNaN(Vector256<float> a) => ~Vector256.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Sub(Vector256<int> a, Vector256<int> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Mul(Vector256<int> a, Vector256<int> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Xor(Vector256<int> a, Vector256<int> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> And(Vector256<int> a, Vector256<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Or(Vector256<int> a, Vector256<int> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> AndNot(Vector256<int> a, Vector256<int> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftRightLogical(Vector256<int> a, int count) => Vector256.ShiftRightLogical(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftRightArithmetic(Vector256<int> a, int count) => Vector256.ShiftRightArithmetic(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftLeft(Vector256<int> a, int count) => Vector256.ShiftLeft(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Equals(Vector256<int> a, Vector256<int> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> GreaterThan(Vector256<int> a, Vector256<int> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> LessThan(Vector256<int> a, Vector256<int> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Select(Vector256<int> mask, Vector256<int> a, Vector256<int> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AsF(Vector256<int> a) => a.AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> AsI(Vector256<float> a) => a.AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ToFloat(Vector256<int> a) => Vector256.ConvertToSingle(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ToInt(Vector256<float> a) => Vector256.ConvertToInt32(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector256<int> mask) => (uint)mask.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLowBytes(Vector256<int> value, ref byte destination, nuint index)
    {
        Vector128<short> s = Vector128.Narrow(value.GetLower(), value.GetUpper());
        Vector128<byte> b = Vector128.Narrow(s.AsUInt16(), s.AsUInt16());
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, index), b.AsUInt64().ToScalar());
    }
}
