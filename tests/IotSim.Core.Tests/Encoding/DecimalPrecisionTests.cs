using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IotSim.Core.Catalog;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Encoders;

/// <summary>Every encoded value carries exactly its sensor's decimals and equals the batch value rounded to them.</summary>
[Collection(SerialTestCollection.Name)]
public sealed partial class DecimalPrecisionTests
{
    private const int MaxPrecision = 6;

    /// <summary>
    /// Per precision 0..6: a sensor within ±5 (a float holds 6 decimals there, so every last digit occurs) and one
    /// as wide as the precision allows (|bound| × 10^precision up to 2^24).
    /// </summary>
    private static Scenario Scenario(OutputShape shape) => new()
    {
        Industries = [],
        CustomSensors =
        [
            .. Enumerable.Range(0, MaxPrecision + 1).Select(p => new SensorDefinition
            {
                Name = $"small_p{p}", Industry = "precision", Type = SensorType.Temperature, Unit = "u",
                Min = -5, Max = 5, Nominal = 0.5, NoiseStd = 2, Precision = p,
            }),
            .. Enumerable.Range(0, MaxPrecision + 1).Select(p => new SensorDefinition
            {
                Name = $"large_p{p}", Industry = "precision", Type = SensorType.Pressure, Unit = "u",
                Min = -Bound(p), Max = Bound(p), Nominal = Bound(p) / 3, NoiseStd = Bound(p) / 4, Precision = p,
            }),
        ],
        Devices = 20,
        Duration = TimeSpan.FromSeconds(20),
        Seed = 3,
        Shape = shape,
    };

    private static double Bound(int precision) => Math.Floor(OptionSpecs.MaxScaledMagnitude / Math.Pow(10, precision));

    public static TheoryData<string> Encoders() => ["narrow-csv", "narrow-jsonl", "narrow-text", "wide-csv", "wide-jsonl"];

    private static Func<Fleet, ReadingEncoder> Create(string encoder) => encoder switch
    {
        "narrow-csv" => NarrowEncoder.Csv,
        "narrow-jsonl" => NarrowEncoder.JsonLines,
        "narrow-text" => NarrowEncoder.Text,
        "wide-csv" => WideEncoder.Csv,
        "wide-jsonl" => WideEncoder.JsonLines,
        _ => throw new ArgumentOutOfRangeException(nameof(encoder)),
    };

    [GeneratedRegex(@"^\S+ \S+ \[precision/(\S+)\] +(\S+) u \(")]
    private static partial Regex TextLine();

    /// <summary>(sensor, value text, batch value) of every encoded reading.</summary>
    private static List<(string Sensor, string Text, float Value)> EncodedValues(string encoder, EncodedRun run)
    {
        var values = new List<(string, string, float)>();
        var truth = run.Readings.ToDictionary(r => (EncoderTestKit.Iso(r.Timestamp), r.DeviceId, r.Sensor));
        switch (encoder)
        {
            case "narrow-csv":
                List<string[]> records = EncoderTestKit.ParseCsv(run.Text);
                Assert.Equal(run.Readings.Count, records.Count - 1);
                values.AddRange(records.Skip(1).Select((f, i) => (f[3], f[4], run.Readings[i].Value)));
                break;
            case "narrow-jsonl":
                string[] jsonLines = EncoderTestKit.Lines(run.Text);
                Assert.Equal(run.Readings.Count, jsonLines.Length);
                for (int i = 0; i < jsonLines.Length; i++)
                {
                    using var doc = JsonDocument.Parse(jsonLines[i]);
                    values.Add((doc.RootElement.GetProperty("sensor").GetString()!, doc.RootElement.GetProperty("value").GetRawText(), run.Readings[i].Value));
                }
                break;
            case "narrow-text":
                string[] textLines = EncoderTestKit.Lines(run.Text);
                Assert.Equal(run.Readings.Count, textLines.Length);
                for (int i = 0; i < textLines.Length; i++)
                {
                    Match m = TextLine().Match(textLines[i]);
                    Assert.True(m.Success, textLines[i]);
                    values.Add((m.Groups[1].Value, m.Groups[2].Value, run.Readings[i].Value));
                }
                break;
            case "wide-csv":
                List<string[]> rows = EncoderTestKit.ParseCsv(run.Text);
                string[] header = rows[0];
                foreach (string[] row in rows.Skip(1))
                {
                    for (int c = 5; c < header.Length - 3; c++)
                    {
                        if (row[c].Length > 0) values.Add((header[c], row[c], truth[(row[0], row[1], header[c])].Value));
                    }
                }
                break;
            default:
                foreach (string line in EncoderTestKit.Lines(run.Text))
                {
                    using var doc = JsonDocument.Parse(line);
                    JsonElement o = doc.RootElement;
                    var key = (o.GetProperty("timestamp").GetString()!, o.GetProperty("device_id").GetString()!);
                    foreach (JsonProperty p in o.EnumerateObject().Where(p => p.Name.Contains("_p", StringComparison.Ordinal)))
                    {
                        values.Add((p.Name, p.Value.GetRawText(), truth[(key.Item1, key.Item2, p.Name)].Value));
                    }
                }
                break;
        }
        Assert.Equal(run.Readings.Count, values.Count);
        return values;
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public async Task EveryValue_HasExactlyItsPrecision_AndEqualsTheRoundedBatchValue(string encoder)
    {
        OutputShape shape = encoder.StartsWith("wide", StringComparison.Ordinal) ? OutputShape.Wide : OutputShape.Narrow;
        EncodedRun run = await EncoderTestKit.RunAsync(Scenario(shape), Create(encoder));
        var values = EncodedValues(encoder, run);
        for (int p = 0; p <= MaxPrecision; p++)
        {
            var decimals = new Regex(p == 0 ? @"^-?\d+$" : $@"^-?\d+\.\d{{{p}}}$");
            foreach (string prefix in new[] { "small", "large" })
            {
                string sensor = $"{prefix}_p{p}";
                var ofSensor = values.Where(v => v.Sensor == sensor).ToList();
                Assert.True(ofSensor.Count > 100, $"{sensor}: {ofSensor.Count} values");
                foreach (var (_, text, value) in ofSensor)
                {
                    Assert.True(decimals.IsMatch(text), $"{sensor}: '{text}' does not have exactly {p} decimals");
                    // Exact: both sides are the double nearest to round(value · 10^p) / 10^p.
                    double expected = Math.Round((double)value, p);
                    Assert.True(double.Parse(text, CultureInfo.InvariantCulture) == expected, $"{sensor}: '{text}' for {value:R}, expected {expected:R}");
                }
                // A coarser rounding (in the encoder or the kernel's quantum) leaves the last digit 0 everywhere.
                Assert.True(ofSensor.Any(v => v.Text[^1] != '0'), $"{sensor}: every value ends in 0, so it was rounded coarser than {p} decimals");
            }
        }
    }
}
