using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Simulation;

public sealed class FleetTests
{
    [Fact]
    public void Catalog_Has16IndustriesAnd379Sensors_WithConsistentDefinitions()
    {
        Assert.Equal(16, SensorCatalog.Industries.Count);
        Assert.Equal(379, SensorCatalog.SensorCount);
        foreach (string industry in SensorCatalog.Industries)
        {
            Assert.Contains(SensorCatalog.Sensors(industry), s => s.Type == SensorType.Status);
            Assert.All(SensorCatalog.Sensors(industry), s => Assert.Null(s.Validate()));
        }
        var types = SensorCatalog.Industries.SelectMany(SensorCatalog.Sensors).Select(s => s.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<SensorType>().Length, types.Count);
        var crusher = SensorCatalog.Sensors("mining").Single(s => s.Name == "crusher_1_motor_power");
        Assert.Equal(("kW", 200.0, 800.0, 450.0), (crusher.Unit, crusher.Min, crusher.Max, crusher.Nominal));
        Assert.Equal(["temperature", "humidity", "pressure", "vibration", "voltage"], SensorCatalog.Environmental.Select(s => s.Name));
    }

    [Fact]
    public void Catalog_UnknownIndustry_SuggestsClosest()
    {
        var ex = Assert.Throws<ConfigException>(() => SensorCatalog.Sensors("minning"));
        Assert.Contains("did you mean 'mining'", ex.Message);
        Assert.Contains("renewable_energy", ex.Message);
    }

    [Fact]
    public void Build_TenMillionChannels_FitsIn96BytesPerChannel()
    {
        var scenario = new Scenario { Industries = [], CustomSensors = [new SensorDefinition { Name = "t", Type = SensorType.Temperature, Unit = "C", Min = 0, Max = 100, Nominal = 50 }], Devices = 10_000_000 };
        // Allocations of this thread only, so tests running in parallel do not disturb the figure.
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fleet fleet = Fleet.Build(scenario);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(10_000_000, fleet.ChannelCount);
        Assert.InRange(after - before, 10_000_000L * 92, 10_000_000L * 102);
        Assert.Equal(96, SensorState.BytesPerChannel);
        GC.KeepAlive(fleet);
    }

    [Fact]
    public void Build_GroupsSensorsByInterval_AndAppliesOverride()
    {
        var mixed = Fleet.Build(new Scenario { Industries = ["mining"], Devices = 2 });
        Assert.True(mixed.Groups.Count > 1);
        Assert.Equal(mixed.Sensors.Count, mixed.Groups.Sum(g => g.SensorsPerDevice));
        var single = Fleet.Build(new Scenario { Industries = ["mining"], Devices = 2, Interval = TimeSpan.FromMilliseconds(250) });
        Assert.Single(single.Groups);
        Assert.Equal(250, single.Groups[0].IntervalMs);
    }

    [Fact]
    public void DeviceIdentity_FixedOrMixed_AndFactorsFollowReference()
    {
        var fixedFleet = Fleet.Build(new Scenario { Devices = 3, Device = new DeviceOptions { Manufacturer = "SensorTech", Firmware = "3.0.0-beta" } });
        Assert.Equal("SensorTech", fixedFleet.DeviceIdentity(1).Manufacturer);
        Assert.Equal(1.2 * 1.5, fixedFleet.AnomalyFactor(2), 6);
        var mixed = Fleet.Build(new Scenario { Devices = 200 });
        Assert.Equal(4, Enumerable.Range(0, 200).Select(d => mixed.DeviceIdentity(d).Manufacturer).Distinct().Count());
        Assert.Equal("dev-000042", mixed.DeviceId(42));
    }

    [Fact]
    public void Build_EndBeforeStart_IsAConfigError()
    {
        var scenario = new Scenario { Start = Fleet.DefaultBackfillStart, End = Fleet.DefaultBackfillStart.AddSeconds(-1) };
        var ex = Assert.Throws<ConfigException>(() => Fleet.Build(scenario));
        Assert.Equal("time.end", ex.Key);
    }
}
