using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Sensors sharing an equipment prefix share its operating state: the status reports it, the drives follow it.</summary>
public sealed class EquipmentTests
{
    [Theory]
    [InlineData("crusher_1_motor_power", "crusher_1")]
    [InlineData("solar_inverter_12_ac_power", "solar_inverter_12")]
    [InlineData("satellite_1_solar_array_current", "satellite_1")]
    [InlineData("temperature", null)]
    [InlineData("pump_a_flow", null)]
    [InlineData("line_7", null)]
    public void EquipmentOf_IsTheNameUpToTheFirstNumberedPart(string name, string? expected) =>
        Assert.Equal(expected, Fleet.EquipmentOf(new SensorDefinition { Name = name, Type = SensorType.Power, Unit = "kW", Min = 0, Max = 1, Nominal = 0 }));

    [Fact]
    public async Task WhenTheStatusReadsStopped_TheEquipmentsDrivesAreAtTheirMinimum_AndEveryStateOccurs()
    {
        Scenario scenario = new()
        {
            Seed = 12,
            Industries = ["mining", "oil_gas", "manufacturing"],
            Devices = 10,
            Interval = TimeSpan.FromSeconds(30),
            Start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromDays(2),
            Anomalies = new AnomalyOptions { Enabled = false },
        };
        var (fleet, slots) = await SlotRecorder.RunAsync(scenario);
        var values = slots.ToDictionary(x => (x.Ts, x.Device, x.Sensor), x => x.Value);
        IReadOnlyList<SensorDefinition> sensors = fleet.Sensors;
        var statusOf = new Dictionary<(string, string), int>();
        for (int i = 0; i < sensors.Count; i++)
        {
            if (sensors[i].Type == SensorType.Status && Fleet.EquipmentOf(sensors[i]) is { } eq) statusOf[(sensors[i].Industry, eq)] = i;
        }
        int stoppedReadings = 0, checkedDrives = 0, runningDrivesAboveMin = 0;
        var codes = new HashSet<float>();
        foreach (var ((ts, device, sensor), value) in values)
        {
            SensorDefinition def = sensors[sensor];
            if (def.Type is not (SensorType.Speed or SensorType.Power or SensorType.Current or SensorType.Flow or SensorType.Vibration)) continue;
            if (Fleet.EquipmentOf(def) is not { } equipment || !statusOf.TryGetValue((def.Industry, equipment), out int status)) continue;
            SensorDefinition statusDef = sensors[status];
            float code = values[(ts, device, status)];
            codes.Add(code);
            float min = (float)(Math.Ceiling(def.Min * Math.Pow(10, def.Precision) - 1e-9) / Math.Pow(10, def.Precision));
            if (code != (float)Math.Round(statusDef.Nominal))
            {
                Assert.True(value == min, $"{def.Name} of device {device} reads {value} while {statusDef.Name} reads {code} at {DateTimeOffset.FromUnixTimeMilliseconds(ts):O}");
                stoppedReadings++;
            }
            else
            {
                runningDrivesAboveMin += value > min ? 1 : 0;
                checkedDrives++;
            }
        }
        Assert.True(stoppedReadings > 500, $"{stoppedReadings} readings of stopped equipment");
        Assert.True(runningDrivesAboveMin > checkedDrives * 0.95, $"{runningDrivesAboveMin} of {checkedDrives} running drives above their minimum");
        // Running, idle (min), fault (max) and maintenance codes all occur.
        Assert.True(codes.Count >= 3, string.Join(", ", codes));
    }
}
