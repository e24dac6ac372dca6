using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using IotSim.Core;
using IotSim.Core.Kernels;

namespace IotSim.Cli;

/// <summary>
/// What this build of <c>iotsim</c> is: version and commit (AssemblyInformationalVersion, <c>1.2.3+sha</c>), build
/// date and NativeAOT instruction set (assembly metadata written by the project file), and what runs it here.
/// </summary>
internal static class BuildInfo
{
    private static readonly Assembly s_assembly = typeof(BuildInfo).Assembly;

    /// <summary>The informational version: the version, then the commit after '+' when the build knew it.</summary>
    public static string InformationalVersion { get; } =
        s_assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The package and assembly version (one for the whole repository, <c>VersionPrefix</c> in Directory.Build.props).</summary>
    public static string Version => InformationalVersion.Split('+', 2)[0];

    /// <summary>The commit the build came from, or "unknown" (built outside a git checkout).</summary>
    public static string Commit => InformationalVersion.Split('+', 2) is [_, { Length: > 0 } sha] ? sha : "unknown";

    /// <summary>The UTC day of the build (yyyy-MM-dd), or "unknown".</summary>
    public static string BuildDate => Metadata("IotSimBuildDate") ?? "unknown";

    /// <summary>Whether this is the NativeAOT binary (nothing is compiled at run time) rather than a JIT build.</summary>
    /// <remarks><c>RuntimeFeature.IsDynamicCodeSupported</c> is false in JIT runs too, because the project sets PublishAot.</remarks>
    public static bool NativeAot => System.Runtime.JitInfo.GetCompiledMethodCount() == 0;

    /// <summary>"NativeAOT" or "JIT", with the .NET version and runtime identifier.</summary>
    public static string Runtime => $"{(NativeAot ? "NativeAOT" : "JIT")}, {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})";

    /// <summary>
    /// The instruction set: for the NativeAOT binary, the one it was compiled for (IlcInstructionSet); for the JIT, the
    /// highest x86-64 level (or Arm64 extensions) this machine offers as the JIT sees it (DOTNET_Enable* settings apply).
    /// </summary>
    public static string InstructionSet => NativeAot
        ? $"{(Metadata("IotSimInstructionSet") is { Length: > 0 } isa ? isa : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "armv8.0-a, the default" : "the default")} (compiled in)"
        : $"{MachineInstructionSet()} (this machine, JIT)";

    /// <summary>The kernel width a run with <c>simd: auto</c> uses, and whether it is accelerated; what <c>iotsim bench</c> reports.</summary>
    public static string Simd
    {
        get
        {
            try
            {
                var width = KernelWidths.Auto;
                return $"{width}{(KernelWidths.IsAccelerated(width) ? "" : " emulated in software: not accelerated here")}";
            }
            catch (ConfigException ex)
            {
                return $"none: {ex.Message}";
            }
        }
    }

    /// <summary>The lines <c>iotsim --version</c> prints.</summary>
    public static string Text =>
        $"""
        iotsim {Version}
        commit:          {Commit}
        built:           {BuildDate}
        runtime:         {Runtime}
        instruction set: {InstructionSet}
        simd:            {Simd}

        """;

    private static string? Metadata(string key)
    {
        foreach (var a in s_assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (a.Key == key) return a.Value;
        }
        return null;
    }

    private static string MachineInstructionSet()
    {
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            if (Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512CD.IsSupported && Avx512DQ.IsSupported) return "x86-64-v4";
            if (Avx2.IsSupported && Fma.IsSupported && Bmi1.IsSupported && Bmi2.IsSupported && Lzcnt.IsSupported) return "x86-64-v3";
            if (Sse42.IsSupported && Ssse3.IsSupported && Popcnt.IsSupported) return "x86-64-v2";
            return "x86-64";
        }
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return AdvSimd.IsSupported ? "arm64 (AdvSimd)" : "arm64";
        }
        return RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }
}
