using IotSim.Core.Kernels;

namespace IotSim.Core.Tests.Kernels;

public sealed class DetMathTests
{
    [Fact]
    public void SinTurns_MatchesMathSinWithin1e6()
    {
        for (long a = 0; a < 1L << 32; a += 9_999_991)
        {
            double expected = Math.Sin(2 * Math.PI * a / 4294967296.0);
            Assert.True(Math.Abs(DetMath.SinTurns((uint)a) - expected) < 1e-6, $"angle {a}");
        }
    }

    [Fact]
    public void Normal_AllInputsFiniteAndBounded()
    {
        double sum = 0, sumSq = 0;
        const int N = 1 << 20;
        for (int i = 0; i < N; i++)
        {
            float z = DetMath.Normal(Hash32.Mix((uint)i));
            Assert.True(float.IsFinite(z));
            Assert.InRange(z, -4.8f, 4.8f);
            sum += z;
            sumSq += z * z;
        }
        Assert.InRange(sum / N, -0.01, 0.01);
        Assert.InRange(Math.Sqrt(sumSq / N), 0.99, 1.01);
    }
}
