using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Every labelled anomaly changes the value: compared with the same seed and anomalies off.</summary>
public sealed class AnomalyEffectTests
{
    private static async Task<List<(float Value, byte Flag, bool Status)>> ReadingsAsync(Scenario scenario)
    {
        var (fleet, slots) = await SlotRecorder.RunAsync(scenario);
        return [.. slots.Select(x => (x.Value, x.Flag, fleet.Sensors[x.Sensor].Type == SensorType.Status))];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKind_ChangesMostLabelledReadings(bool statusSensors)
    {
        Scenario scenario = new()
        {
            Seed = 21,
            Industries = ["mining", "oil_gas", "renewable_energy", "manufacturing"],
            Devices = 30,
            Interval = TimeSpan.FromSeconds(1),
            Start = new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromHours(2),
            Anomalies = new AnomalyOptions { ProbabilityScale = 10 },
        };
        var labelled = await ReadingsAsync(scenario);
        var clean = await ReadingsAsync(scenario with { Anomalies = new AnomalyOptions { Enabled = false } });
        Assert.Equal(clean.Count, labelled.Count);
        var changed = new int[AnomalyKinds.Count];
        var total = new int[AnomalyKinds.Count];
        for (int i = 0; i < labelled.Count; i++)
        {
            Assert.Equal(0, clean[i].Flag);
            if (labelled[i].Status != statusSensors) continue;
            int kind = labelled[i].Flag & SensorKernel.KindMask;
            if (kind == 0)
            {
                Assert.Equal(clean[i].Value, labelled[i].Value);
                continue;
            }
            total[kind]++;
            bool omitted = (labelled[i].Flag & SensorKernel.OmittedFlag) != 0;
            changed[kind] += omitted || labelled[i].Value != clean[i].Value ? 1 : 0;
        }
        for (int k = 1; k < AnomalyKinds.Count; k++)
        {
            var kind = (AnomalyKind)k;
            Assert.True(total[k] > 30, $"{kind}: only {total[k]} labelled readings");
            double share = changed[k] / (double)total[k];
            Assert.True(share >= 0.6, $"{kind} ({(statusSensors ? "status" : "analog")} sensors): {changed[k]} of {total[k]} labelled readings differ from the clean run ({share:P0})");
        }
    }
}
