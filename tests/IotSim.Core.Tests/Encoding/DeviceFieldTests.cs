using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IotSim.Core.Catalog;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Encoders;

/// <summary>Identity fields in output rows, checked against <see cref="Fleet.Identity"/>.</summary>
[Collection(SerialTestCollection.Name)]
public sealed class DeviceFieldTests
{
    private static string Expected(DeviceIdentity id, string field) => field switch
    {
        "manufacturer" => id.Manufacturer,
        "model" => id.Model,
        "firmware" => id.Firmware,
        "serial_number" => id.SerialNumber,
        "manufacture_date" => id.ManufactureDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "location" => id.Location,
        "region" => id.Region,
        "country" => id.Country,
        "latitude" => id.Latitude.ToString("F5", CultureInfo.InvariantCulture),
        "longitude" => id.Longitude.ToString("F5", CultureInfo.InvariantCulture),
        "timezone" => id.TimeZone,
        "deployment_type" => id.DeploymentType,
        "installation_date" => id.InstallationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "height_meters" => id.HeightMeters.ToString("F1", CultureInfo.InvariantCulture),
        "orientation_degrees" => id.OrientationDegrees.ToString("F0", CultureInfo.InvariantCulture),
        "instance_id" => id.InstanceId,
        "sensor_type" => id.SensorType,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static Scenario WithAll(OutputShape shape) => EncoderTestKit.Mining(devices: 6, seconds: 5) with { Shape = shape, DeviceFields = DeviceFields.Normalize(["all"]) };

    [Fact]
    public async Task NarrowCsv_AllFields_AfterTheDeviceId_EqualTheIdentity()
    {
        EncodedRun run = await EncoderTestKit.RunAsync(WithAll(OutputShape.Narrow), NarrowEncoder.Csv);
        List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
        Assert.Equal(["timestamp", "device_id", .. DeviceFields.Names, "industry", "sensor", "value", "unit", "status_code", "anomaly"], records[0]);
        Assert.Equal(run.Readings.Count, records.Count - 1);
        var byId = Enumerable.Range(run.Fleet.FirstDevice, run.Fleet.EndDevice - run.Fleet.FirstDevice).Select(run.Fleet.Identity).ToDictionary(i => i.Id);
        foreach (string[] row in records.Skip(1))
        {
            DeviceIdentity id = byId[row[1]];
            Assert.Equal(DeviceFields.Names.Select(f => Expected(id, f)), row[2..(2 + DeviceFields.Names.Length)]);
        }
    }

    [Fact]
    public async Task JsonLines_NarrowAndWide_CarryTheFieldsAsMembers()
    {
        foreach (OutputShape shape in new[] { OutputShape.Narrow, OutputShape.Wide })
        {
            EncodedRun run = await EncoderTestKit.RunAsync(WithAll(shape), shape == OutputShape.Narrow ? NarrowEncoder.JsonLines : WideEncoder.JsonLines);
            foreach (string line in EncoderTestKit.Lines(run.Text))
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement o = doc.RootElement;
                string[] names = [.. o.EnumerateObject().Select(p => p.Name)];
                Assert.Equal(["timestamp", "device_id", .. DeviceFields.Names], names[..(2 + DeviceFields.Names.Length)]);
                DeviceIdentity id = run.Fleet.Identity(int.Parse(o.GetProperty("device_id").GetString()!["dev-".Length..], CultureInfo.InvariantCulture));
                foreach (string f in DeviceFields.Names)
                {
                    JsonElement v = o.GetProperty(f);
                    Assert.Equal(Expected(id, f), v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText());
                }
            }
        }
    }

    [Fact]
    public async Task IdentityFileIds_ReplaceTheGeneratedIds_InEveryEncoder()
    {
        var entries = IdentityFile.Parse("""[{"id":"CHI_000001","location":"Chicago"},{"id":"TYO_000002","location":"Tokyo"}]""", "ids.json");
        Scenario scenario = EncoderTestKit.Mining(devices: 2, seconds: 3) with { Device = new DeviceOptions { Identities = entries }, DeviceFields = ["location"] };
        EncodedRun narrow = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        Assert.Equal(["CHI_000001,Chicago", "TYO_000002,Tokyo"], EncoderTestKit.ParseCsv(narrow.Text).Skip(1).Select(f => f[1] + "," + f[2]).Distinct().Order());
        EncodedRun wide = await EncoderTestKit.RunAsync(scenario with { Shape = OutputShape.Wide }, WideEncoder.JsonLines);
        Assert.Equal(["CHI_000001", "TYO_000002"], EncoderTestKit.Lines(wide.Text).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("device_id").GetString()).Distinct().Order());
        Assert.Equal("CHI_000001", narrow.Fleet.DeviceId(0));
    }

    [Theory]
    [InlineData(OutputShape.Narrow)]
    [InlineData(OutputShape.Wide)]
    public void Encode_WithAllFields_SteadyState_AllocatesNothing(OutputShape shape)
    {
        ReadingBatch batch = EncoderTestKit.Batch(WithAll(shape) with { Devices = 40, Duration = TimeSpan.FromSeconds(30) }, 8192);
        ReadingEncoder encoder = shape == OutputShape.Narrow ? NarrowEncoder.Csv(batch.Fleet) : WideEncoder.JsonLines(batch.Fleet);
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(batch, output);
        AllocationAssert.SteadyStateIsAllocationFree(() =>
        {
            output.ResetWrittenCount();
            encoder.Encode(batch, output);
        });
    }
}

/// <summary><c>fleet.device.id_style: city</c>.</summary>
[Collection(SerialTestCollection.Name)]
public sealed class CityIdTests
{
    [Fact]
    public async Task CityIds_FollowTheReferencePattern_InEveryEncoder_AndMatchTheDevicesCity()
    {
        Scenario scenario = EncoderTestKit.Mining(devices: 30, seconds: 2) with { Device = new DeviceOptions { CityIds = true } };
        EncodedRun narrow = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        string[] ids = [.. EncoderTestKit.ParseCsv(narrow.Text).Skip(1).Select(f => f[1]).Distinct()];
        Assert.Equal(30, ids.Length);
        Assert.All(ids, id => Assert.Matches("^[A-Z]{3}_[0-9]{6}$", id));
        for (int d = 0; d < 30; d++)
        {
            string id = narrow.Fleet.DeviceId(d);
            Assert.Contains(id, ids);
            Assert.EndsWith(d.ToString("D6", CultureInfo.InvariantCulture), id, StringComparison.Ordinal);
            string city = new([.. narrow.Fleet.DeviceLocation(d).City.Name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter)]);
            Assert.StartsWith(city.ToUpperInvariant()[..3], id, StringComparison.Ordinal);
        }
        EncodedRun wide = await EncoderTestKit.RunAsync(scenario with { Shape = OutputShape.Wide }, WideEncoder.JsonLines);
        Assert.Equal(ids.Order(), EncoderTestKit.Lines(wide.Text).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("device_id").GetString()!).Distinct().Order());
    }
}
