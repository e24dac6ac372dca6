using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Fleets;

/// <summary>Daily cycles follow the local solar clock: solar output is zero at night, ambient temperature peaks in the afternoon.</summary>
public sealed class SolarAndSeasonTests
{
    /// <summary>Per device and sensor: (UTC ms, value).</summary>
    private static async Task<(Fleet Fleet, Dictionary<(int Device, int Sensor), List<(long Ts, float Value)>> Series)> SeriesAsync(Scenario scenario)
    {
        var (fleet, slots) = await SlotRecorder.RunAsync(scenario);
        var series = slots.GroupBy(x => (x.Device, x.Sensor)).ToDictionary(g => g.Key, g => g.Select(x => (x.Ts, x.Value)).ToList());
        return (fleet, series);
    }

    /// <summary>Sunrise and sunset (UTC ms) from the NOAA approximation, independent of IotSim's model.</summary>
    private static (double Sunrise, double Sunset) Sun(DateTimeOffset day, double latitude, double longitude)
    {
        int n = day.DayOfYear;
        double gamma = 2 * Math.PI / 365 * (n - 1);
        double decl = 0.006918 - 0.399912 * Math.Cos(gamma) + 0.070257 * Math.Sin(gamma) - 0.006758 * Math.Cos(2 * gamma)
            + 0.000907 * Math.Sin(2 * gamma) - 0.002697 * Math.Cos(3 * gamma) + 0.00148 * Math.Sin(3 * gamma);
        double eqTime = 229.18 * (0.000075 + 0.001868 * Math.Cos(gamma) - 0.032077 * Math.Sin(gamma) - 0.014615 * Math.Cos(2 * gamma) - 0.040849 * Math.Sin(2 * gamma));
        double lat = latitude * Math.PI / 180;
        double ha = Math.Acos(Math.Cos(90.833 * Math.PI / 180) / (Math.Cos(lat) * Math.Cos(decl)) - Math.Tan(lat) * Math.Tan(decl)) * 180 / Math.PI;
        double midnight = day.ToUnixTimeMilliseconds();
        double sunrise = midnight + (720 - 4 * (longitude + ha) - eqTime) * 60_000;
        double sunset = midnight + (720 - 4 * (longitude - ha) - eqTime) * 60_000;
        return (sunrise, sunset);
    }

    [Theory]
    [InlineData(2026, 6, 21)]
    [InlineData(2026, 12, 21)]
    [InlineData(2026, 3, 20)]
    public async Task SolarOutput_IsZeroBetweenLocalSunsetAndSunrise_AndPositiveAtNoon(int year, int month, int dayOfMonth)
    {
        var day = new DateTimeOffset(year, month, dayOfMonth, 0, 0, 0, TimeSpan.Zero);
        // Two UTC days, so every device's local night falls inside the window whatever its longitude.
        Scenario scenario = new()
        {
            Seed = 3,
            Industries = ["renewable_energy"],
            Devices = 12,
            Interval = TimeSpan.FromMinutes(5),
            Start = day,
            Duration = TimeSpan.FromDays(2),
            Anomalies = new AnomalyOptions { Enabled = false },
        };
        var (fleet, series) = await SeriesAsync(scenario);
        int[] solar = [.. Enumerable.Range(0, fleet.Sensors.Count).Where(i => fleet.Sensors[i].Name == "solar_inverter_1_ac_power")];
        Assert.Single(solar);
        // The inverter's status: output is only expected while it runs (code 2); stops are the equipment's, not the sun's.
        int status = Enumerable.Range(0, fleet.Sensors.Count).Single(i => fleet.Sensors[i].Name == "solar_inverter_1_status");
        int checkedNights = 0, checkedNoons = 0;
        for (int d = 0; d < scenario.Devices; d++)
        {
            var (_, lat, lon) = fleet.DeviceLocation(d);
            if (Math.Abs(lat) > 60) continue; // polar days and nights: no sunrise to test against
            Dictionary<long, float> running = series[(d, status)].ToDictionary(p => p.Ts, p => p.Value);
            foreach ((long ts, float value) in series[(d, solar[0])])
            {
                DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(ts);
                // Sunrise and sunset of the local (solar) calendar day this timestamp falls in, in UTC.
                DateTime localDate = at.AddHours(lon / 15).UtcDateTime.Date;
                var (rise, set) = Sun(new DateTimeOffset(localDate, TimeSpan.Zero), lat, lon);
                const double Margin = 40 * 60_000; // the model's sunrise may differ from NOAA's by refraction and the equation of time
                if (ts < rise - Margin || ts > set + Margin)
                {
                    Assert.True(value == 0f, $"device {d} ({lat:F2}, {lon:F2}) at {at:O}: {value} kW at night (sunrise {DateTimeOffset.FromUnixTimeMilliseconds((long)rise):t}, sunset {DateTimeOffset.FromUnixTimeMilliseconds((long)set):t} UTC)");
                    checkedNights++;
                }
                else if (Math.Abs(ts - (rise + set) / 2) < 30 * 60_000 && running[ts] == 2f)
                {
                    Assert.True(value > 0f, $"device {d} at {at:O}: {value} kW at solar noon");
                    checkedNoons++;
                }
            }
        }
        Assert.True(checkedNights > 500, $"{checkedNights} night readings checked");
        Assert.True(checkedNoons > 20, $"{checkedNoons} noon readings checked");
    }

    [Fact]
    public async Task AmbientTemperature_PeaksMidAfternoonLocalTime_AndFollowsTheSeasonByHemisphere()
    {
        Scenario scenario = new()
        {
            Seed = 8,
            Industries = ["environmental"],
            Devices = 60,
            Interval = TimeSpan.FromMinutes(10),
            Start = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromDays(3),
            Anomalies = new AnomalyOptions { Enabled = false },
        };
        var (fleet, series) = await SeriesAsync(scenario);
        int temperature = Enumerable.Range(0, fleet.Sensors.Count).Single(i => fleet.Sensors[i].Name == "temperature");
        var byHour = new double[24];
        var counts = new int[24];
        double north = 0, south = 0;
        int northCount = 0, southCount = 0;
        for (int d = 0; d < scenario.Devices; d++)
        {
            var (_, lat, lon) = fleet.DeviceLocation(d);
            foreach ((long ts, float value) in series[(d, temperature)])
            {
                double localHour = ((ts / 3_600_000.0 + lon / 15) % 24 + 24) % 24;
                byHour[(int)localHour] += value;
                counts[(int)localHour]++;
            }
            double mean = series[(d, temperature)].Average(p => p.Value);
            if (lat > 30) { north += mean; northCount++; }
            if (lat < -20) { south += mean; southCount++; }
        }
        int peak = Enumerable.Range(0, 24).MaxBy(h => byHour[h] / counts[h]);
        Assert.InRange(peak, 13, 17);
        // In July the northern devices are in summer and the southern ones in winter.
        Assert.True(northCount > 0 && southCount > 0, $"{northCount} northern and {southCount} southern devices");
        Assert.True(north / northCount > south / southCount + 2, $"north {north / northCount:F2} vs south {south / southCount:F2}");
    }

    [Fact]
    public void Cities_AtLeastAHundred_WithValidCoordinatesAndZones()
    {
        Assert.True(Cities.All.Count >= 100);
        Assert.All(Cities.All, c =>
        {
            Assert.InRange(c.Latitude, -90, 90);
            Assert.InRange(c.Longitude, -180, 180);
            Assert.True(c.Population > 0);
            Assert.Matches("^[A-Z]{2}$", c.Country);
            Assert.NotNull(TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone));
        });
        Assert.Equal(Cities.All.Count, Cities.All.Select(c => c.Name).Distinct().Count());
    }
}
