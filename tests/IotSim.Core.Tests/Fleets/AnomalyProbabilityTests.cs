using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>The per-channel anomaly start probability folds in the device's manufacturer and firmware factors and the scenario scale.</summary>
public sealed class AnomalyProbabilityTests
{
    private static readonly SensorDefinition s_custom = new()
    {
        Name = "probe",
        Type = SensorType.Temperature,
        Unit = "C",
        Min = 0,
        Max = 100,
        Nominal = 50,
        AnomalyProbability = 0.0037,
    };

    /// <summary>Factors written out from the reference, not read from <see cref="DeviceModels"/>, so a changed table fails too.</summary>
    [Theory]
    [InlineData("SensorTech", 1.2, "1.4", 0.7, 1.0)]
    [InlineData("SensorTech", 1.2, "3.0.0-beta", 1.5, 3.0)]
    [InlineData("DataSense", 0.8, "2.3.5", 0.85, 1.0)]
    [InlineData("DataSense", 0.8, "3.2-rc1", 1.5, 0.25)]
    [InlineData("DataLogger", 1.1, "1.0", 0.7, 2.0)]
    [InlineData("MonitorPro", 0.9, "3.1.2-alpha", 1.5, 1.0)]
    public void Build_ChannelProbability_IsSensorTimesManufacturerTimesFirmwareTimesScale(
        string manufacturer, double manufacturerFactor, string firmware, double firmwareFactor, double scale)
    {
        var scenario = new Scenario
        {
            Industries = ["mining"],
            CustomSensors = [s_custom],
            Devices = 5,
            Device = new DeviceOptions { Manufacturer = manufacturer, Firmware = firmware },
            Anomalies = new AnomalyOptions { ProbabilityScale = scale },
        };
        Fleet fleet = Fleet.Build(scenario);
        Assert.True(fleet.Groups.Count > 1);
        int channels = 0;
        foreach (IntervalGroup group in fleet.Groups)
        {
            for (int c = 0; c < group.ChannelCount; c++)
            {
                SensorDefinition sensor = fleet.Sensors[group.SensorIndices[c % group.SensorsPerDevice]];
                // Per minute, times the minutes of an anomaly slot: the chance of an episode in the slot.
                double expected = Math.Min(1, sensor.AnomalyProbability * manufacturerFactor * firmwareFactor * scale * group.Params.SlotMinutes);
                Assert.InRange(expected, 1e-6, 1);
                // Stored as float, and the product's order is not part of the contract: compare to float precision.
                Assert.Equal(expected, group.State.SlotProb[c], expected * 1e-6);
                channels++;
            }
        }
        Assert.Equal(fleet.ChannelCount, channels);
        Assert.All(Enumerable.Range(0, 5), d => Assert.Equal((manufacturer, firmware), (fleet.DeviceIdentity(d).Manufacturer, fleet.DeviceIdentity(d).Firmware)));
    }

    [Fact]
    public void Build_AnomaliesDisabled_EveryProbabilityIsZero()
    {
        Fleet fleet = Fleet.Build(new Scenario
        {
            CustomSensors = [s_custom],
            Devices = 2,
            Device = new DeviceOptions { Manufacturer = "SensorTech", Firmware = "3.0.0-beta" },
            Anomalies = new AnomalyOptions { Enabled = false },
        });
        Assert.All(fleet.Groups, g => Assert.All(g.State.SlotProb, p => Assert.Equal(0f, p)));
    }
}
