using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Anomaly rates follow the device factors and the kind weights, measured over a million readings.</summary>
public sealed class AnomalyRateTests
{
    /// <summary>1,000,000 readings: 200 environmental devices × 5 sensors × 1000 s, with dense 5 s episodes.</summary>
    private static Scenario Fleet(string firmware) => new()
    {
        Seed = 31,
        Industries = ["environmental"],
        Devices = 200,
        Start = new DateTimeOffset(2026, 8, 3, 10, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(1000),
        Device = new DeviceOptions { Manufacturer = "SensorTech", Firmware = firmware },
        Anomalies = TestAnomalies.Dense(20),
    };

    private static async Task<long[]> KindCountsAsync(Scenario scenario)
    {
        var (_, slots) = await SlotRecorder.RunAsync(scenario);
        var counts = new long[AnomalyKinds.Count];
        foreach (Slot x in slots) counts[x.Flag & SensorKernel.KindMask]++;
        Assert.Equal(1_000_000, counts.Sum());
        return counts;
    }

    [Fact]
    public async Task BetaFirmware_HasMoreAnomalies_ThanStable_ByTheRatioOfTheirFactors()
    {
        long[] beta = await KindCountsAsync(Fleet("3.0.0-beta"));
        long[] stable = await KindCountsAsync(Fleet("2.3.5"));
        double betaShare = beta.Skip(1).Sum() / 1e6;
        double stableShare = stable.Skip(1).Sum() / 1e6;
        Assert.InRange(stableShare, 0.002, 0.3);
        // Factors 1.5 (beta) and 0.85 (2.x stable).
        Assert.InRange(betaShare / stableShare, 1.5 / 0.85 * 0.9, 1.5 / 0.85 * 1.1);
    }

    [Fact]
    public async Task KindShares_FollowWeightsTimesDurations()
    {
        long[] counts = await KindCountsAsync(Fleet("3.0.0-beta"));
        double total = counts.Skip(1).Sum();
        // Dense test episodes last 5 s (spikes 1 s): the share of readings is weight × duration, normalised.
        var expected = new double[AnomalyKinds.Count];
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            var kind = (AnomalyKind)k;
            expected[k] = AnomalyOptions.Defaults[kind].Weight * (kind == AnomalyKind.Spike ? 1 : 5);
        }
        double sum = expected.Sum();
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            double share = counts[k] / total;
            Assert.True(Math.Abs(share - expected[k] / sum) < 0.1 * expected[k] / sum + 0.002,
                $"{(AnomalyKind)k}: {share:P2} of anomalous readings, expected {expected[k] / sum:P2}");
        }
    }
}
