using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Identity files: both reference formats, generation, and every validation rule.</summary>
public sealed class IdentityFileTests
{
    private const string Flat = """
        {
          "id": "SENSOR_NY_123456",
          "location": "New York",
          "latitude": 40.7128,
          "longitude": -74.0060,
          "timezone": "America/New_York",
          "manufacturer": "SensorTech",
          "model": "TempSensor Pro",
          "firmware_version": "1.2.0"
        }
        """;

    private const string Nested = """
        {
          "sensor_id": "SENSOR_NY_123456",
          "location": {
            "city": "New York",
            "coordinates": { "latitude": 40.7128, "longitude": -74.0060 },
            "timezone": "America/New_York",
            "address": "New York, NY, USA"
          },
          "device_info": { "manufacturer": "SensorTech", "model": "TempSensor Pro", "firmware_version": "1.2.0" }
        }
        """;

    private static Fleet FleetWith(IReadOnlyList<IdentityFile.Entry> identities, int devices = 1) =>
        Fleet.Build(new Scenario { Industries = ["environmental"], Devices = devices, Device = new DeviceOptions { Identities = identities } });

    [Fact]
    public void FlatAndNested_LoadToTheSameDevice()
    {
        DeviceIdentity flat = FleetWith(IdentityFile.Parse(Flat, "flat.json")).Identity(0);
        DeviceIdentity nested = FleetWith(IdentityFile.Parse(Nested, "nested.json")).Identity(0);
        Assert.Equal(flat, nested);
        Assert.Equal(("SENSOR_NY_123456", "New York", 40.7128, -74.0060, "America/New_York"), (flat.Id, flat.Location, flat.Latitude, flat.Longitude, flat.TimeZone));
        Assert.Equal(("SensorTech", "TempSensor Pro", "1.2.0"), (flat.Manufacturer, flat.Model, flat.Firmware));
        // The file's firmware sets the anomaly factor: SensorTech 1.2 × firmware 1.2.0 0.7.
        Assert.Equal(1.2 * 0.7, FleetWith(IdentityFile.Parse(Flat, "flat.json")).AnomalyFactor(0), 9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Generated_RoundTripsThroughBothFormats(bool nested)
    {
        Fleet fleet = Fleet.Build(new Scenario { Seed = 4, Industries = ["environmental"], Devices = 25 });
        DeviceIdentity[] generated = [.. Enumerable.Range(0, 25).Select(fleet.Identity)];
        Assert.All(generated, g => Assert.DoesNotContain(g.Location, DeviceIdentity.PlaceholderLocations));
        Assert.True(generated.Select(g => g.Location).Distinct().Count() > 5, "devices spread over cities");
        Assert.All(generated, g => Assert.Matches("^i-[0-9a-f]{17}$", g.InstanceId));
        Assert.All(generated, g => Assert.True(g.InstallationDate > g.ManufactureDate));
        string json = IdentityFile.Write(generated, nested);
        Fleet reloaded = FleetWith(IdentityFile.Parse(json, "generated.json"), 25);
        Assert.Equal(generated, Enumerable.Range(0, 25).Select(reloaded.Identity));
    }

    [Theory]
    [InlineData("""{"id":"X","location":"TBD"}""", "location", "placeholder")]
    [InlineData("""{"id":"X","location":"  "}""", "location", "placeholder")]
    [InlineData("""{"id":"X"}""", "location", "required")]
    [InlineData("""{"id":"X","location":"Atlantis"}""", "latitude", "not in the built-in city list")]
    [InlineData("""{"id":"bad id!","location":"Tokyo"}""", "id", "letters, digits")]
    [InlineData("""{"location":"Tokyo","manufacturer":"Acme"}""", "manufacturer", "allowed: SensorTech, DataLogger, DataSense, MonitorPro")]
    [InlineData("""{"location":"Tokyo","manufacturer":"SensorTech","model":"ProTemp-500"}""", "model", "allowed: TempSensor Pro")]
    [InlineData("""{"location":"Tokyo","firmware_version":"DLG_v3.15.21"}""", "firmware_version", "allowed: 1.0, 1.2.0")]
    [InlineData("""{"location":"Tokyo","timezone":"Mars/Olympus"}""", "timezone", "IANA")]
    [InlineData("""{"location":"Tokyo","latitude":91,"longitude":0}""", "latitude", "-90 to 90")]
    [InlineData("""{"location":"Tokyo","deployment_type":"orbit"}""", "deployment_type", "allowed: fixed, mobile_unit")]
    [InlineData("""{"location":"Tokyo","manufacture_date":"24/03/2025"}""", "manufacture_date", "YYYY-MM-DD")]
    [InlineData("""{"location":"Tokyo","colour":"red"}""", "colour", "unknown field")]
    [InlineData("""{"sensor_id":"A","location":{"city":"Tokyo"},"device_info":{"firmware_version":"9"}}""", "device_info.firmware_version", "allowed")]
    [InlineData("""[{"id":"A","location":"Tokyo"},{"id":"A","location":"Tokyo"}]""", "[1].id", "used by two devices")]
    [InlineData("""{"location":""", "identity_file", "not valid JSON")]
    public void InvalidEntries_AreRefused_NamingTheField(string json, string key, string fragment)
    {
        var ex = Assert.Throws<ConfigException>(() => IdentityFile.Parse(json, "ids.json"));
        Assert.Equal("ids.json", ex.File);
        Assert.EndsWith(key, ex.Key, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OneIdentityWithAnId_ForManyDevices_OrAWrongCount_IsRefused()
    {
        var withId = IdentityFile.Parse(Flat, "flat.json");
        var ex = Assert.Throws<ConfigException>(() => FleetWith(withId, devices: 3));
        Assert.Contains("array with one identity per device", ex.Problem, StringComparison.Ordinal);
        var two = IdentityFile.Parse("""[{"location":"Tokyo"},{"location":"Paris"}]""", "two.json");
        ex = Assert.Throws<ConfigException>(() => FleetWith(two, devices: 3));
        Assert.Contains("2 identities but the fleet has 3 devices", ex.Problem, StringComparison.Ordinal);
        // One object without an id is shared by every device.
        Fleet shared = FleetWith(IdentityFile.Parse("""{"location":"Paris","firmware_version":"3.0.0-beta"}""", "shared.json"), devices: 3);
        Assert.All(Enumerable.Range(0, 3), d => Assert.Equal(("Paris", "3.0.0-beta"), (shared.Identity(d).Location, shared.Identity(d).Firmware)));
    }
}

/// <summary><c>fleet.device.number_of_cities</c> limits placement to the largest cities.</summary>
public sealed class NumberOfCitiesTests
{
    [Fact]
    public void NumberOfCities_PlacesDevicesInTheLargestCitiesOnly()
    {
        Fleet fleet = Fleet.Build(new Scenario { Industries = ["environmental"], Devices = 300, Device = new DeviceOptions { NumberOfCities = 3 } });
        string[] largest = [.. Cities.All.Take(3).Select(c => c.Name)];
        string[] used = [.. Enumerable.Range(0, 300).Select(d => fleet.DeviceLocation(d).City.Name).Distinct()];
        Assert.Equal(largest.Order(), used.Order());
        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("fleet: {device: {number_of_cities: 0}}\n", "s.yaml", null));
        Assert.Equal("fleet.device.number_of_cities", ex.Key);
    }
}
