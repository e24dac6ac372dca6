using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Kernels;

public sealed class SensorKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTestData.VectorWidths), MemberType = typeof(KernelTestData))]
    public void Advance_AllLengths_MatchesScalarBitForBit(SimdWidth width)
    {
        KernelParams p = KernelTestData.Params();
        for (int length = 0; length <= 257; length++)
        {
            const int Offset = 3;
            SensorState reference = KernelTestData.State(length + 2 * Offset);
            SensorState vector = KernelTestData.State(length + 2 * Offset);
            for (long tick = 0; tick < 12; tick++)
            {
                float[] expectedValues = new float[length + 2];
                byte[] expectedFlags = new byte[length + 2];
                float[] actualValues = new float[length + 2];
                byte[] actualFlags = new byte[length + 2];
                actualValues[0] = actualValues[^1] = expectedValues[0] = expectedValues[^1] = -12345f;
                actualFlags[0] = actualFlags[^1] = expectedFlags[0] = expectedFlags[^1] = 0x55;
                int expectedOmitted = SensorKernel.Advance(SimdWidth.Scalar, reference, p, Offset, KernelTestData.BaseMs + tick * 1000,
                    expectedValues.AsSpan(1, length), expectedFlags.AsSpan(1, length));
                int actualOmitted = SensorKernel.Advance(width, vector, p, Offset, KernelTestData.BaseMs + tick * 1000,
                    actualValues.AsSpan(1, length), actualFlags.AsSpan(1, length));
                Assert.Equal(expectedOmitted, actualOmitted);
                for (int i = 0; i < expectedValues.Length; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(expectedValues[i]) == BitConverter.SingleToInt32Bits(actualValues[i]),
                        $"length {length}, tick {tick}, slot {i}: expected {expectedValues[i]:R}, got {actualValues[i]:R}");
                }
                Assert.Equal(expectedFlags, actualFlags);
            }
            AssertStatesEqual(reference, vector);
        }
    }

    [Theory]
    [MemberData(nameof(KernelTestData.VectorWidths), MemberType = typeof(KernelTestData))]
    public void Advance_LongRun_StateMatchesScalar(SimdWidth width)
    {
        KernelParams p = KernelTestData.Params(99);
        SensorState reference = KernelTestData.State(1000, 99);
        SensorState vector = KernelTestData.State(1000, 99);
        float[] a = new float[1000], b = new float[1000];
        byte[] fa = new byte[1000], fb = new byte[1000];
        // 25 hours in 90-second steps: slot boundaries, drift knots, a day of daylight, every episode kind and equipment stops.
        for (long tick = 0; tick < 1000; tick++)
        {
            SensorKernel.Advance(SimdWidth.Scalar, reference, p, 0, KernelTestData.BaseMs + tick * 90_000, a, fa);
            SensorKernel.Advance(width, vector, p, 0, KernelTestData.BaseMs + tick * 90_000, b, fb);
            Assert.Equal(a, b);
            Assert.Equal(fa, fb);
        }
        AssertStatesEqual(reference, vector);
    }

    [Fact]
    public void Advance_HighAnomalyRate_ProducesEveryKindAndOmissions()
    {
        KernelParams p = KernelTestData.Params();
        SensorState s = KernelTestData.State(2000);
        var seen = new HashSet<int>();
        int omitted = 0;
        float[] values = new float[2000];
        byte[] flags = new byte[2000];
        for (long tick = 0; tick < 50; tick++)
        {
            omitted += SensorKernel.Advance(SimdWidth.Scalar, s, p, 0, KernelTestData.BaseMs + tick * 1000, values, flags);
            foreach (byte f in flags) seen.Add(f & SensorKernel.KindMask);
            for (int c = 0; c < 2000; c++)
            {
                Assert.InRange(values[c], s.Min[c], s.Max[c]);
                Assert.Equal((flags[c] & SensorKernel.KindMask) == (int)AnomalyKind.MissingData, (flags[c] & SensorKernel.OmittedFlag) != 0);
            }
        }
        Assert.True(omitted > 0);
        for (int k = 0; k < AnomalyKinds.Count; k++)
        {
            Assert.Contains(k, seen);
        }
    }

    [Fact]
    public void Advance_ValuesAreRoundedToPrecision()
    {
        KernelParams p = KernelTestData.Params();
        SensorState s = KernelTestData.State(500);
        float[] values = new float[500];
        byte[] flags = new byte[500];
        SensorKernel.Advance(SimdWidth.Scalar, s, p, 0, KernelTestData.BaseMs + 5000, values, flags);
        for (int c = 0; c < 500; c++)
        {
            double scaled = values[c] * (double)s.Quantum[c];
            Assert.True(Math.Abs(scaled - Math.Round(scaled)) < 1e-3 * Math.Max(1, Math.Abs(scaled)) + 1e-6, $"channel {c}: {values[c]} at quantum {s.Quantum[c]}");
        }
    }

    [Fact]
    public void Advance_NoiseHasRequestedStandardDeviation()
    {
        var options = new AnomalyOptions { Enabled = false };
        var p = new KernelParams(5, 0, TimeSpan.FromSeconds(1), options);
        const int N = 4096;
        var s = new SensorState(N);
        for (int c = 0; c < N; c++)
        {
            s.Key[c] = Hash32.ChannelKey(5, c);
            s.Min[c] = -1000;
            s.Max[c] = 1000;
            s.Sigma[c] = 2f;
            s.Quantum[c] = 1e6f;
        }
        float[] values = new float[N];
        byte[] flags = new byte[N];
        double sum = 0, sumSq = 0;
        long n = 0;
        for (long tick = 0; tick < 50; tick++)
        {
            SensorKernel.Advance(SimdWidth.Scalar, s, p, 0, KernelTestData.BaseMs + tick * 1000, values, flags);
            foreach (float v in values)
            {
                sum += v;
                sumSq += (double)v * v;
                n++;
            }
        }
        double mean = sum / n;
        double sd = Math.Sqrt(sumSq / n - mean * mean);
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(sd, 1.95, 2.05);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Advance_IsAllocationFree(SimdWidth width)
    {
        // Vector loop, lane starts and a scalar tail at every width; small, as software widths run slowly.
        const int Channels = 1027;
        KernelParams p = KernelTestData.Params();
        SensorState s = KernelTestData.State(Channels);
        float[] values = new float[Channels];
        byte[] flags = new byte[Channels];
        long tick = 0;
        AllocationAssert.SteadyStateIsAllocationFree(() => SensorKernel.Advance(width, s, p, 0, KernelTestData.BaseMs + 1000 * tick++, values, flags));
        Assert.True(tick > 1000);
    }

    public static TheoryData<SimdWidth> Widths() => [.. KernelTestData.AllWidths];

    private static void AssertStatesEqual(SensorState a, SensorState b)
    {
        Assert.Equal(a.BlockSlot, b.BlockSlot);
        Assert.Equal(a.BlockEqSlot, b.BlockEqSlot);
        Assert.Equal(a.EpKind, b.EpKind);
        Assert.Equal(a.EpStart, b.EpStart);
        Assert.Equal(a.EpEnd, b.EpEnd);
        Assert.Equal(a.EqState, b.EqState);
        Assert.Equal(a.EqStart, b.EqStart);
        Assert.Equal(a.EqEnd, b.EqEnd);
        Assert.Equal(a.EqCode, b.EqCode);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(a.EpParam[i]), BitConverter.SingleToInt32Bits(b.EpParam[i]));
        }
    }
}
