using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Configurable shares of manufacturers, models and firmware versions (<c>fleet.device.manufacturer: {name: share}</c>).</summary>
public sealed class DeviceShareTests
{
    private const int Devices = 4000;

    private static Fleet Build(string device) =>
        Fleet.Build(ScenarioLoader.Load($"fleet:\n  devices: {Devices}\n  device:\n{device}time: {{ duration: 1s }}\n", "s.yaml", null));

    private static Dictionary<string, int> Count(Fleet fleet, Func<(string Manufacturer, string Model, string Firmware), string> field) =>
        Enumerable.Range(0, Devices).Select(d => field(fleet.DeviceIdentity(d))).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void ManufacturerShares_AreFollowed_AndZeroSharesNeverDrawn()
    {
        Fleet fleet = Build("    manufacturer: { SensorTech: 3, DataSense: 1, MonitorPro: 0 }\n");
        Dictionary<string, int> counts = Count(fleet, i => i.Manufacturer);
        Assert.Equal(["DataSense", "SensorTech"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(counts["SensorTech"] / (double)Devices, 0.72, 0.78);
        // Models stay those of each device's manufacturer.
        Assert.All(Enumerable.Range(0, Devices).Select(fleet.DeviceIdentity), i => Assert.Contains(i.Model, DeviceModels.Models[i.Manufacturer]));
    }

    [Fact]
    public void FirmwareShares_AreFollowed()
    {
        Fleet fleet = Build("    firmware: { \"1.0\": 1, \"3.0.0-beta\": 1 }\n");
        Dictionary<string, int> counts = Count(fleet, i => i.Firmware);
        Assert.Equal(["1.0", "3.0.0-beta"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(counts["1.0"] / (double)Devices, 0.46, 0.54);
    }

    [Fact]
    public void ModelShares_ChooseTheModel_AndItsManufacturer()
    {
        Fleet fleet = Build("    model: { ProTemp-500: 1, AllSense-Pro: 4 }\n");
        Dictionary<string, int> models = Count(fleet, i => i.Model);
        Assert.Equal(["AllSense-Pro", "ProTemp-500"], models.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(models["AllSense-Pro"] / (double)Devices, 0.77, 0.83);
        Assert.All(Enumerable.Range(0, Devices).Select(fleet.DeviceIdentity), i => Assert.Contains(i.Model, DeviceModels.Models[i.Manufacturer]));
        Assert.Equal(2, Count(fleet, i => i.Manufacturer).Count);
    }

    [Fact]
    public void NoShares_KeepTheEvenMix()
    {
        Dictionary<string, int> counts = Count(Build("    id_prefix: dev\n"), i => i.Manufacturer);
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n / (double)Devices, 0.21, 0.29));
    }

    [Fact]
    public void Reload_OfTheSameShares_IsNotAChangeOfFleetDevice()
    {
        const string yaml = "fleet:\n  devices: 10\n  device:\n    manufacturer: { SensorTech: 3, DataSense: 1 }\ntime: { duration: 1s }\n";
        Fleet fleet = Fleet.Build(ScenarioLoader.Load(yaml, "s.yaml", null));
        Scenario again = ScenarioLoader.Load(yaml, "s.yaml", null);
        Assert.Null(fleet.ReloadBlocker(again, Fleet.ResolveSensors(again)));
        Scenario changed = ScenarioLoader.Load(yaml.Replace("SensorTech: 3", "SensorTech: 2", StringComparison.Ordinal), "s.yaml", null);
        Assert.Equal("fleet.device", fleet.ReloadBlocker(changed, Fleet.ResolveSensors(changed)));
    }

    [Theory]
    [InlineData("    manufacturer: { SensorTek: 1 }\n", "fleet.device.manufacturer.SensorTek", "did you mean 'SensorTech'")]
    [InlineData("    manufacturer: { SensorTech: 0 }\n", "fleet.device.manufacturer", "at least one manufacturer with a share above 0")]
    [InlineData("    firmware: { \"1.0\": -1 }\n", "fleet.device.firmware.1.0", "0 to 1000")]
    [InlineData("    manufacturer: SensorTech\n    model: { ProTemp-500: 1 }\n", "fleet.device.model", "not both")]
    [InlineData("    model: { Nope: 1 }\n", "fleet.device.model.Nope", "allowed: TempSensor Pro")]
    public void BadShares_AreRefused_NamingTheKeyAndTheAllowedValues(string device, string key, string fragment)
    {
        var e = Assert.Throws<ConfigException>(() => Build(device));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
