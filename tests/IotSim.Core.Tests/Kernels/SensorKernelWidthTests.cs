using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Kernels;

public sealed class SensorKernelWidthTests
{
    private static readonly AcceleratedWidths s_all = new(true, true, true);
    private static readonly AcceleratedWidths s_upTo256 = new(true, true, false);
    private static readonly AcceleratedWidths s_only128 = new(true, false, false);
    private static readonly AcceleratedWidths s_none = new(false, false, false);

    [Fact]
    public void ChooseWidth_Auto_PicksWidestAccelerated_ScalarWhenNone()
    {
        Assert.Equal(SimdWidth.V512, SensorKernel.ChooseWidth(SimdWidth.Auto, null, s_all));
        Assert.Equal(SimdWidth.V256, SensorKernel.ChooseWidth(SimdWidth.Auto, null, s_upTo256));
        Assert.Equal(SimdWidth.V128, SensorKernel.ChooseWidth(SimdWidth.Auto, null, s_only128));
        Assert.Equal(SimdWidth.Scalar, SensorKernel.ChooseWidth(SimdWidth.Auto, null, s_none));
    }

    [Theory]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" AUTO ")]
    public void ChooseWidth_EmptyOrAutoVariable_IsUnset(string value)
    {
        Assert.Equal(SimdWidth.V256, SensorKernel.ChooseWidth(SimdWidth.Auto, value, s_upTo256));
        Assert.Equal(SimdWidth.Scalar, SensorKernel.ChooseWidth(SimdWidth.Auto, value, s_none));
    }

    [Theory]
    [InlineData("scalar", SimdWidth.Scalar)]
    [InlineData("v128", SimdWidth.V128)]
    [InlineData("v256", SimdWidth.V256)]
    [InlineData("v512", SimdWidth.V512)]
    [InlineData(" V512\n", SimdWidth.V512)]
    public void ChooseWidth_VariableForcesTheWidthOfAuto_AcceleratedOrNot(string value, SimdWidth expected)
    {
        Assert.Equal(expected, SensorKernel.ChooseWidth(SimdWidth.Auto, value, s_all));
        Assert.Equal(expected, SensorKernel.ChooseWidth(SimdWidth.Auto, value, s_only128));
        Assert.Equal(expected, SensorKernel.ChooseWidth(SimdWidth.Auto, value, s_none));
    }

    [Theory]
    [InlineData(SimdWidth.Scalar, "v512")]
    [InlineData(SimdWidth.V128, "scalar")]
    [InlineData(SimdWidth.V256, "v128")]
    [InlineData(SimdWidth.V512, "v256")]
    [InlineData(SimdWidth.V256, null)]
    public void ChooseWidth_ExplicitRequest_BeatsTheVariableAndTheHardware(SimdWidth requested, string? value)
    {
        Assert.Equal(requested, SensorKernel.ChooseWidth(requested, value, s_all));
        Assert.Equal(requested, SensorKernel.ChooseWidth(requested, value, s_none));
    }

    [Theory]
    [InlineData(SimdWidth.Auto, "avx2")]
    [InlineData(SimdWidth.Auto, "256")]
    [InlineData(SimdWidth.V256, "v1024")]
    public void ChooseWidth_UnknownVariableValue_IsAConfigErrorNamingTheVariableAndTheAllowedValues(SimdWidth requested, string value)
    {
        var ex = Assert.Throws<ConfigException>(() => SensorKernel.ChooseWidth(requested, value, s_all));
        Assert.Equal("IOTSIM_SIMD", ex.Key);
        Assert.Contains("IOTSIM_SIMD", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("auto, scalar, v128, v256, v512", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorWidths_AreEveryVectorWidth_WhateverTheHardwareAccelerates()
    {
        Assert.Equal([SimdWidth.V128, SimdWidth.V256, SimdWidth.V512], KernelTestData.VectorWidths().Cast<object[]>().Select(row => (SimdWidth)row[0]));
    }

    [Fact]
    public void AcceleratedWidths_Current_MatchesTheRuntime()
    {
        AcceleratedWidths current = AcceleratedWidths.Current;
        Assert.Equal(System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated, current.Accelerates(SimdWidth.V128));
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, current.Accelerates(SimdWidth.V256));
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, current.Accelerates(SimdWidth.V512));
        Assert.True(current.Accelerates(SimdWidth.Scalar));
        Assert.Equal(current.Widest, SensorKernel.ChooseWidth(SimdWidth.Auto, null, current));
    }
}
