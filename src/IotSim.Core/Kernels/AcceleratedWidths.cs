using System.Runtime.Intrinsics;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

/// <summary>
/// Which vector widths the hardware accelerates. Every width runs regardless; an unaccelerated one runs in
/// software (bit for bit the same output, many times slower).
/// </summary>
internal readonly record struct AcceleratedWidths(bool V128, bool V256, bool V512)
{
    /// <summary>This process, as the JIT sees it (<c>DOTNET_EnableHWIntrinsic=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableAVX512=0</c> turn widths off).</summary>
    public static AcceleratedWidths Current =>
        new(Vector128.IsHardwareAccelerated, Vector256.IsHardwareAccelerated, Vector512.IsHardwareAccelerated);

    /// <summary>The widest accelerated width, or <see cref="SimdWidth.Scalar"/> when none is.</summary>
    public SimdWidth Widest => V512 ? SimdWidth.V512 : V256 ? SimdWidth.V256 : V128 ? SimdWidth.V128 : SimdWidth.Scalar;

    /// <summary>Whether <paramref name="width"/> runs on vector hardware; scalar and auto need none.</summary>
    public bool Accelerates(SimdWidth width) => width switch
    {
        SimdWidth.Auto or SimdWidth.Scalar => true,
        SimdWidth.V128 => V128,
        SimdWidth.V256 => V256,
        SimdWidth.V512 => V512,
        _ => false,
    };
}
