using System.Buffers;
using System.Globalization;
using System.Text;
using IotSim.Core.Catalog;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Encoders;

/// <summary>A run's encoded text next to the readings a <see cref="CallbackSink"/> saw (the independent truth).</summary>
internal sealed record EncodedRun(string Text, List<Reading> Readings, RunReport Report, Fleet Fleet)
{
    /// <summary>Every reading slot, omitted ones included: (timestamp ms, device, sensor index) → (value, flag).</summary>
    public Dictionary<(long Ts, int Device, int Sensor), (float Value, byte Flag)> Slots { get; init; } = [];
}

/// <summary>Scenarios, runs and parsers shared by the encoder and sink tests.</summary>
internal static class EncoderTestKit
{
    public static Scenario Mining(int devices = 3, int seconds = 20, double anomalyScale = 1) => new()
    {
        Industries = ["mining"],
        Devices = devices,
        Duration = TimeSpan.FromSeconds(seconds),
        Seed = 7,
        Anomalies = anomalyScale > 1 ? TestAnomalies.Dense(anomalyScale) : new AnomalyOptions { ProbabilityScale = anomalyScale },
    };

    /// <summary>Custom sensors with negative ranges, precision 0 and 3, and texts that need CSV quoting and JSON escaping.</summary>
    public static Scenario Awkward() => new()
    {
        Industries = [],
        CustomSensors =
        [
            new SensorDefinition { Name = "freezer_temp", Industry = "cold,chain", Type = SensorType.Temperature, Unit = "°C", Min = -40, Max = 5, Nominal = -0.04, NoiseStd = 0.3, Precision = 2 },
            new SensorDefinition { Name = "door \"A\" count", Industry = "cold,chain", Type = SensorType.Status, Unit = "n", Min = -5, Max = 5, Nominal = 0, NoiseStd = 2, Precision = 0 },
            new SensorDefinition { Name = "offset\\mm", Industry = "cold,chain", Type = SensorType.Position, Unit = "mm,abs", Min = -0.5, Max = 0.5, Nominal = 0, NoiseStd = 0.2, Precision = 3, Interval = TimeSpan.FromSeconds(2) },
        ],
        Devices = 4,
        Duration = TimeSpan.FromSeconds(30),
        Seed = 11,
    };

    /// <summary>Runs <paramref name="scenario"/>, encoding every batch with one encoder (header first).</summary>
    public static async Task<EncodedRun> RunAsync(Scenario scenario, Func<Fleet, ReadingEncoder> create)
    {
        var output = new ArrayBufferWriter<byte>();
        ReadingEncoder? encoder = null;
        var readings = new List<Reading>();
        var slots = new Dictionary<(long, int, int), (float, byte)>();
        var encoding = new CallbackSink((batch, _) =>
        {
            if (encoder is null)
            {
                encoder = create(batch.Fleet);
                encoder.WriteHeader(output);
            }
            encoder.Encode(batch, output);
            foreach (BatchSegment seg in batch.Segments)
            {
                IntervalGroup g = batch.Fleet.Groups[seg.Group];
                for (int i = 0; i < seg.ChannelCount; i++)
                {
                    int ch = seg.ChannelStart + i;
                    slots.Add((seg.TimestampMs, batch.Fleet.FirstDevice + ch / g.SensorsPerDevice, g.SensorIndices[ch % g.SensorsPerDevice]),
                        (batch.Values[seg.Offset + i], batch.Flags[seg.Offset + i]));
                }
            }
            return ValueTask.CompletedTask;
        }, "encoder");
        var sim = new Simulator(scenario);
        sim.AddSink(encoding).AddSink(new CallbackSink(r => readings.AddRange(r), "truth"));
        RunReport report = await sim.RunAsync();
        Assert.True(report.Succeeded, string.Join("; ", report.Sinks.Select(s => s.Error)));
        Assert.Equal(report.Generated, readings.Count);
        return new EncodedRun(Encoding.UTF8.GetString(output.WrittenSpan), readings, report, sim.Fleet!) { Slots = slots };
    }

    /// <summary>Readings as a <see cref="CallbackSink"/> hands them over.</summary>
    public static async Task<(List<Reading> Readings, RunReport Report, Fleet Fleet)> TruthAsync(Scenario scenario)
    {
        var readings = new List<Reading>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(r => readings.AddRange(r)));
        RunReport report = await sim.RunAsync();
        return (readings, report, sim.Fleet!);
    }

    /// <summary>The first batch of a scenario, computed through the engine's internal planner and kernels.</summary>
    public static ReadingBatch Batch(Scenario scenario, int capacity)
    {
        Fleet fleet = Fleet.Build(scenario);
        var batch = new ReadingBatch(fleet, capacity, null);
        new BatchPlanner(fleet).Fill(batch, singleTimestamp: false);
        new BatchComputer(fleet, SimdWidth.Auto, 1).Compute(batch);
        return batch;
    }

    public static int PrecisionOf(Fleet fleet, string industry, string sensor)
    {
        for (int s = 0; s < fleet.Sensors.Count; s++)
        {
            if (fleet.Sensors[s].Name == sensor && fleet.Sensors[s].Industry == industry) return fleet.Precision[s];
        }
        throw new InvalidOperationException("no sensor " + sensor);
    }

    /// <summary>Reference formatting through decimal: value rounded to <paramref name="precision"/> digits.</summary>
    public static string Fixed(float value, int precision)
    {
        decimal scaled = (decimal)Math.Round((double)value * Math.Pow(10, precision));
        return (scaled / (decimal)Math.Pow(10, precision)).ToString("F" + precision, CultureInfo.InvariantCulture);
    }

    public static string Iso(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Label(AnomalyKind kind) => AnomalyKinds.ToName(kind);

    public static string[] Lines(string text)
    {
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    /// <summary>
    /// RFC 4180 records with LF line ends, strictly: a field is either plain (no quote, CR or LF) or wholly quoted
    /// (commas, line breaks and doubled quotes inside), and a closing quote must end the field. Anything else fails.
    /// </summary>
    public static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, $"unterminated quoted field in record {records.Count}");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                Assert.True(i == text.Length || text[i] is ',' or '\n', $"text after a closing quote in record {records.Count}");
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n'))
                {
                    Assert.True(text[i] is not ('"' or '\r'), $"quote or CR in an unquoted field of record {records.Count}");
                    field.Append(text[i++]);
                }
            }
            fields.Add(field.ToString());
            field.Clear();
            Assert.True(i < text.Length, "the last record has no line end");
            if (text[i++] == '\n')
            {
                records.Add([.. fields]);
                fields.Clear();
            }
        }
        Assert.Empty(fields);
        return records;
    }
}
