using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IotSim.Core.Kernels;

/// <summary><see cref="ISimdOps{TF, TI}"/> over Vector512.</summary>
internal readonly struct V512Ops : ISimdOps<Vector512<float>, Vector512<int>>
{
    public static int Lanes => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadF(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreF(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> LoadI(ref uint source, nuint index) => Vector512.LoadUnsafe(ref source, index).AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreI(Vector512<int> value, ref uint destination, nuint index) => value.AsUInt32().StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> F(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> I(int value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> IsNaN(Vector512<float> a) => ~Vector512.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Add(Vector512<int> a, Vector512<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Sub(Vector512<int> a, Vector512<int> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Mul(Vector512<int> a, Vector512<int> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Xor(Vector512<int> a, Vector512<int> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> And(Vector512<int> a, Vector512<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Or(Vector512<int> a, Vector512<int> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> AndNot(Vector512<int> a, Vector512<int> b) => Vector512.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> ShiftRightLogical(Vector512<int> a, int count) => Vector512.ShiftRightLogical(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> ShiftRightArithmetic(Vector512<int> a, int count) => Vector512.ShiftRightArithmetic(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> ShiftLeft(Vector512<int> a, int count) => Vector512.ShiftLeft(a, count);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Equals(Vector512<int> a, Vector512<int> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> GreaterThan(Vector512<int> a, Vector512<int> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> LessThan(Vector512<int> a, Vector512<int> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Select(Vector512<int> mask, Vector512<int> a, Vector512<int> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AsF(Vector512<int> a) => a.AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> AsI(Vector512<float> a) => a.AsInt32();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ToFloat(Vector512<int> a) => Vector512.ConvertToSingle(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> ToInt(Vector512<float> a) => Vector512.ConvertToInt32(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector512<int> mask) => (uint)mask.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLowBytes(Vector512<int> value, ref byte destination, nuint index)
    {
        Vector256<short> s = Vector256.Narrow(value.GetLower(), value.GetUpper());
        Vector128<byte> b = Vector128.Narrow(s.GetLower().AsUInt16(), s.GetUpper().AsUInt16());
        b.StoreUnsafe(ref destination, index);
    }
}
