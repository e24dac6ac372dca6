using System.Text.Json;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Encoders;

/// <summary>Device numbers past the six zero-padded digits keep every digit in every encoder.</summary>
[Collection(SerialTestCollection.Name)]
public sealed class DeviceNumberTests
{
    private const int MaxDevices = 100_000_000;

    /// <summary>A one-device shard holding exactly <paramref name="device"/>, so huge indices cost nothing.</summary>
    private static Scenario OnlyDevice(int device, OutputShape shape)
    {
        int devices = Math.Min(device + 3, MaxDevices);
        return EncoderTestKit.Mining(devices: devices, seconds: 3) with { Shard = new Shard(device, devices), Shape = shape };
    }

    public static TheoryData<int, string, string> Cases()
    {
        var data = new TheoryData<int, string, string>();
        foreach (string encoder in new[] { "narrow-csv", "narrow-jsonl", "narrow-text", "wide-csv", "wide-jsonl" })
        {
            data.Add(1_234_567, "dev-1234567", encoder);
            data.Add(9_999_999, "dev-9999999", encoder);
            data.Add(MaxDevices - 1, "dev-99999999", encoder);
        }
        data.Add(42, "dev-000042", "narrow-csv");
        data.Add(999_999, "dev-999999", "wide-jsonl");
        return data;
    }

    private static Func<Fleet, ReadingEncoder> Create(string encoder) => encoder switch
    {
        "narrow-csv" => NarrowEncoder.Csv,
        "narrow-jsonl" => NarrowEncoder.JsonLines,
        "narrow-text" => NarrowEncoder.Text,
        "wide-csv" => WideEncoder.Csv,
        "wide-jsonl" => WideEncoder.JsonLines,
        _ => throw new ArgumentOutOfRangeException(nameof(encoder)),
    };

    private static string JsonDeviceId(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("device_id").GetString()!;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DeviceId_AllDigits_InEveryEncoder(int device, string expectedId, string encoder)
    {
        EncodedRun run = await EncoderTestKit.RunAsync(OnlyDevice(device, encoder.StartsWith("wide", StringComparison.Ordinal) ? OutputShape.Wide : OutputShape.Narrow), Create(encoder));
        Assert.Equal((device, device + 1), (run.Fleet.FirstDevice, run.Fleet.EndDevice));
        Assert.Equal(expectedId, run.Fleet.DeviceId(device));
        string[] ids = encoder switch
        {
            "narrow-csv" or "wide-csv" => [.. EncoderTestKit.ParseCsv(run.Text).Skip(1).Select(f => f[1])],
            "narrow-jsonl" or "wide-jsonl" => [.. EncoderTestKit.Lines(run.Text).Select(JsonDeviceId)],
            _ => [.. EncoderTestKit.Lines(run.Text).Select(l => l.Split(' ')[1])],
        };
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Equal(expectedId, id));
        if (encoder.StartsWith("narrow", StringComparison.Ordinal))
        {
            Assert.Equal(run.Readings.Count, ids.Length);
            Assert.All(run.Readings, r => Assert.Equal(expectedId, r.DeviceId));
        }
        else
        {
            // One wide row per timestamp (the device's sensors of every interval share it).
            Assert.Equal(run.Slots.Keys.Select(k => k.Ts).Distinct().Count(), ids.Length);
        }
    }
}
