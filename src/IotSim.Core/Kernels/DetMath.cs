using System.Runtime.CompilerServices;

namespace IotSim.Core.Kernels;

/// <summary>
/// Deterministic single-precision math used by every kernel width: only IEEE basic operations (+ − × ÷ √, round,
/// int↔float conversion) in a fixed order, no FMA, so scalar and vector paths agree bit for bit.
/// The vector kernels mirror these functions operation by operation.
/// </summary>
internal static class DetMath
{
    public const float TwoPiOver2Pow32 = 1.46291807926715968e-9f; // 2π / 2^32
    public const float S3 = -1f / 6f;
    public const float S5 = 1f / 120f;
    public const float S7 = -1f / 5040f;
    public const float S9 = 1f / 362880f;
    public const float S11 = -1f / 39916800f;
    public const float Ln2 = 0.693147180559945309f;
    public const float L3 = 1f / 3f;
    public const float L5 = 1f / 5f;
    public const float L7 = 1f / 7f;
    public const float L9 = 1f / 9f;
    public const int Sqrt2Bits = 0x3FB504F3; // bits of √2 as float
    public const int QuarterTurn = 0x40000000;

    /// <summary>sin(2π·a/2^32) for an angle in fixed-point turns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SinTurns(uint a)
    {
        int t = (int)a;
        // Fold (0.25, 0.5) and [-0.5, -0.25) turns onto [-0.25, 0.25] with sin(π − θ) = sin θ.
        if (t > QuarterTurn || t < -QuarterTurn)
        {
            t = (int)(0x80000000u - a);
        }
        float x = t * TwoPiOver2Pow32;
        float x2 = x * x;
        float p = S11;
        p = p * x2 + S9;
        p = p * x2 + S7;
        p = p * x2 + S5;
        p = p * x2 + S3;
        p = p * x2;
        return x + x * p;
    }

    /// <summary>A standard normal deviate from 32 random bits (Box–Muller, 16 bits per uniform).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Normal(uint h)
    {
        // u1 = k / 2^16 with k in 1..65536, so ln u1 = ln k − 16 ln 2.
        int k = (int)(h >> 16) + 1;
        int bits = BitConverter.SingleToInt32Bits(k);
        int e = (bits >> 23) - 127;
        int mBits = (bits & 0x007FFFFF) | 0x3F800000;
        if (mBits > Sqrt2Bits)
        {
            mBits -= 0x00800000;
            e += 1;
        }
        float m = BitConverter.Int32BitsToSingle(mBits);
        float f = m - 1f;
        float t = f / (f + 2f);
        float t2 = t * t;
        float q = L9;
        q = q * t2 + L7;
        q = q * t2 + L5;
        q = q * t2 + L3;
        q = q * t2;
        float lnM = (t + t) + (t + t) * q;
        float lnU = (e - 16) * Ln2 + lnM;
        float r = MathF.Sqrt(lnU * -2f);
        float c = SinTurns((h << 16) + (uint)QuarterTurn);
        return r * c;
    }
}
