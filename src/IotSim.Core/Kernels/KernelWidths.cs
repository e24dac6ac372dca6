using IotSim.Core.Scenarios;

namespace IotSim.Core.Kernels;

/// <summary>The vector widths the kernels run at in this process, for version and diagnostic output.</summary>
public static class KernelWidths
{
    /// <summary>
    /// The width a run with <c>simd: auto</c> uses here: the one the <c>IOTSIM_SIMD</c> environment variable forces,
    /// else the widest accelerated one. Throws a <see cref="ConfigException"/> when the variable names no width.
    /// </summary>
    public static SimdWidth Auto => SensorKernel.ResolveWidth(SimdWidth.Auto);

    /// <summary>Whether <paramref name="width"/> runs on vector hardware here (scalar and auto always do).</summary>
    public static bool IsAccelerated(SimdWidth width) => SensorKernel.IsSupported(width);
}
