using System.Globalization;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

/// <summary>
/// Dirty delivery: every fault is checked against the same run without it (the clean readings), and the labels file
/// against the data.
/// </summary>
public sealed class DirtyDeliveryTests
{
    private static Scenario Base(int devices = 40, int seconds = 60) => new()
    {
        Seed = 11,
        Industries = ["mining"],
        Devices = devices,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        BatchSize = 4096,
    };

    /// <summary>One delivered reading: timestamp as reported, device, sensor name, value bits and anomaly label.</summary>
    private readonly record struct Row(long Ts, int Device, string Sensor, int Bits, AnomalyKind Anomaly)
    {
        public float Value => BitConverter.Int32BitsToSingle(Bits);
    }

    private sealed record Label(string Kind, string Timestamp, string DeviceId, string Sensor, string Detail);

    private static async Task<(List<Row> Rows, RunReport Report, Fleet Fleet)> RunAsync(Scenario scenario)
    {
        var rows = new List<Row>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink((batch, _) =>
        {
#pragma warning disable IOTSIM001
            var walker = new SegmentWalker(batch);
#pragma warning restore IOTSIM001
            while (walker.MoveNext())
            {
                rows.Add(new Row(walker.TimestampMs, walker.Device, batch.Fleet.Sensors[walker.Sensor].Name,
                    BitConverter.SingleToInt32Bits(walker.Value), walker.Anomaly));
            }
            return ValueTask.CompletedTask;
        }));
        RunReport report = await sim.RunAsync();
        return (rows, report, sim.Fleet!);
    }

    private static List<Label> ReadLabels(string path)
    {
        string[] lines = File.ReadAllLines(path);
        Assert.Equal("kind,timestamp,device_id,sensor,detail", lines[0]);
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => new Label(f[0], f[1], f[2], f[3], f[4]))];
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static (long, int, string, int, AnomalyKind) SortKey(Row r) => (r.Ts, r.Device, r.Sensor, r.Bits, r.Anomaly);

    private static string Key(Fleet fleet, Row r) => $"{Iso(r.Ts)},{fleet.DeviceId(r.Device)},{r.Sensor}";

    [Fact]
    public async Task Off_ByDefault_NoReportAndTheSameReadings()
    {
        var (rows, report, _) = await RunAsync(Base(devices: 3, seconds: 10));
        Assert.Null(report.Dirty);
        Assert.Equal(report.Generated, rows.Count);
        Assert.Equal(3 * 17 * 10, rows.Count);
    }

    [Fact]
    public async Task Nulls_AreNaN_AtTheirShare_AndEachIsLabelled()
    {
        using var dir = new TempDirectory();
        string labels = Path.Combine(dir.Path, "labels.csv");
        var (clean, _, _) = await RunAsync(Base());
        var (rows, report, fleet) = await RunAsync(Base() with { Dirty = new DirtyOptions { Nulls = 0.1, Labels = labels } });
        Assert.Equal(clean.Count, rows.Count);
        int nulls = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal((clean[i].Ts, clean[i].Device, clean[i].Sensor, clean[i].Anomaly), (rows[i].Ts, rows[i].Device, rows[i].Sensor, rows[i].Anomaly));
            if (float.IsNaN(rows[i].Value)) nulls++;
            else Assert.Equal(clean[i].Bits, rows[i].Bits);
        }
        Assert.InRange(nulls / (double)rows.Count, 0.09, 0.11);
        Assert.Equal(nulls, report.Dirty!.Nulls);
        List<Label> nullLabels = [.. ReadLabels(labels).Where(l => l.Kind == "null")];
        Assert.Equal(
            rows.Where(r => float.IsNaN(r.Value)).Select(r => Key(fleet, r)).Order(StringComparer.Ordinal),
            nullLabels.Select(l => $"{l.Timestamp},{l.DeviceId},{l.Sensor}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Duplicates_RepeatWholeMessages_AndAreLabelled()
    {
        using var dir = new TempDirectory();
        string labels = Path.Combine(dir.Path, "labels.csv");
        var (clean, _, _) = await RunAsync(Base());
        var (rows, report, fleet) = await RunAsync(Base() with { Dirty = new DirtyOptions { Duplicates = 0.05, Labels = labels } });
        // Every clean reading once, plus the copies; a copy carries the original's value and label.
        var counts = rows.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(clean.ToHashSet(), counts.Keys.ToHashSet());
        Row[] copies = [.. counts.Where(kv => kv.Value > 1).Select(kv => kv.Key)];
        Assert.All(counts.Values, c => Assert.InRange(c, 1, 2));
        Assert.Equal(rows.Count - clean.Count, copies.Length);
        Assert.Equal(copies.Length, report.Dirty!.Duplicated);
        Assert.Equal(clean.Count + copies.Length, report.Generated);
        Assert.Equal(report.Generated, report.Sinks[0].Delivered);
        // Whole messages: a duplicated device timestamp has all of its sensors duplicated.
        Assert.All(copies.GroupBy(c => (c.Ts, c.Device)), m => Assert.Equal(clean.Count(r => r.Ts == m.Key.Ts && r.Device == m.Key.Device), m.Count()));
        double messages = copies.Select(c => (c.Ts, c.Device)).Distinct().Count() / (40.0 * 60);
        Assert.InRange(messages, 0.035, 0.065);
        Assert.Equal(
            copies.Select(r => Key(fleet, r)).Order(StringComparer.Ordinal),
            ReadLabels(labels).Where(l => l.Kind == "duplicate").Select(l => $"{l.Timestamp},{l.DeviceId},{l.Sensor}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Late_DeliversEveryReadingOnce_AfterTheStreamPassedItsDelay()
    {
        using var dir = new TempDirectory();
        string labels = Path.Combine(dir.Path, "labels.csv");
        var (clean, _, _) = await RunAsync(Base());
        var (rows, report, fleet) = await RunAsync(Base() with { Dirty = new DirtyOptions { Late = 0.05, MaxDelay = TimeSpan.FromSeconds(10), Labels = labels } });
        // The same readings, each once, in another order.
        Assert.Equal(clean.Count, rows.Count);
        Assert.Equal(clean.OrderBy(SortKey).ToList(), rows.OrderBy(SortKey).ToList());
        Assert.Equal(clean.Count, report.Generated);
        List<Label> late = [.. ReadLabels(labels).Where(l => l.Kind == "late")];
        Assert.Equal(late.Count, report.Dirty!.Late);
        Assert.InRange(late.Count / (double)rows.Count, 0.035, 0.065);
        var position = new Dictionary<string, int>();
        var latestBefore = new long[rows.Count];
        long latest = long.MinValue;
        for (int i = 0; i < rows.Count; i++)
        {
            position[Key(fleet, rows[i])] = i;
            latestBefore[i] = latest;
            latest = Math.Max(latest, rows[i].Ts);
        }
        long lastTick = clean.Max(r => r.Ts);
        int outOfOrder = 0;
        foreach (Label l in late)
        {
            long ts = DateTimeOffset.Parse(l.Timestamp, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            long delay = long.Parse(l.Detail, CultureInfo.InvariantCulture);
            Assert.InRange(delay, 1, 10_000);
            int at = position[$"{l.Timestamp},{l.DeviceId},{l.Sensor}"];
            // Delivered right after the readings of the first tick at or past its due time (the last tick when the
            // due time lies beyond the run).
            long dueTick = Math.Min(ts + ((delay + 999) / 1000 * 1000), lastTick);
            Assert.Equal(Iso(dueTick), Iso(latestBefore[at]));
            outOfOrder += latestBefore[at] > ts ? 1 : 0;
        }
        Assert.True(outOfOrder > late.Count * 0.8, $"{outOfOrder} of {late.Count} late readings came after later ones");
    }

    [Fact]
    public async Task ClockSkew_ShiftsEveryTimestampOfASkewedDevice_ByItsOffset()
    {
        using var dir = new TempDirectory();
        string labels = Path.Combine(dir.Path, "labels.csv");
        Scenario scenario = Base(devices: 400, seconds: 3) with { Dirty = new DirtyOptions { ClockSkew = 0.25, MaxSkew = TimeSpan.FromSeconds(2), Labels = labels } };
        var (clean, _, _) = await RunAsync(Base(devices: 400, seconds: 3));
        var (rows, report, fleet) = await RunAsync(scenario);
        long[] offsets = [.. Enumerable.Range(0, 400).Select(fleet.ClockSkewMs)];
        int skewed = offsets.Count(o => o != 0);
        Assert.InRange(skewed, 70, 130);
        Assert.Equal(skewed, report.Dirty!.SkewedDevices);
        Assert.All(offsets, o => Assert.InRange(Math.Abs(o), 0, 2000));
        Assert.Contains(offsets, o => o < 0);
        Assert.Contains(offsets, o => o > 0);
        Assert.Equal(clean.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(clean[i] with { Ts = clean[i].Ts + offsets[clean[i].Device] }, rows[i]);
        }
        var skewLabels = ReadLabels(labels).Where(l => l.Kind == "clock_skew").ToDictionary(l => l.DeviceId, l => long.Parse(l.Detail, CultureInfo.InvariantCulture));
        Assert.Equal(skewed, skewLabels.Count);
        Assert.All(skewLabels, kv => Assert.Equal(offsets[int.Parse(kv.Key["dev-".Length..], CultureInfo.InvariantCulture)], kv.Value));
    }

    [Fact]
    public async Task AllFaults_SameSeed_SameDataAndLabels_AndShardsTogetherEqualTheWholeFleet()
    {
        using var dir = new TempDirectory();
        var dirty = new DirtyOptions { Late = 0.03, Duplicates = 0.03, Nulls = 0.02, ClockSkew = 0.2 };
        async Task<(List<Row> Rows, string Labels)> Run(Scenario s, string name)
        {
            string path = Path.Combine(dir.Path, name);
            var (rows, _, _) = await RunAsync(s with { Dirty = dirty with { Labels = path } });
            return (rows, File.ReadAllText(path));
        }
        async Task<(List<Row> Rows, string Labels)> RunShard(Scenario s, string name)
        {
            string path = Path.Combine(dir.Path, name);
            var (rows, _, _) = await RunAsync(s with { Dirty = dirty with { Labels = path } });
            // Each shard writes its own labels file beside the path given.
            string own = DirtyDelivery.LabelsPath(path, s.Shard);
            Assert.EndsWith($"shards-{s.Shard.Index}of3.csv", own, StringComparison.Ordinal);
            return (rows, File.ReadAllText(own));
        }
        var a = await Run(Base(), "a.csv");
        var b = await Run(Base() with { Threads = 1 }, "b.csv");
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Labels, b.Labels);
        // Other batch sizes and shards move copies within the stream but deliver the same readings and labels.
        var small = await Run(Base() with { BatchSize = 100 }, "small.csv");
        Assert.Equal(a.Rows.OrderBy(SortKey).ToList(), small.Rows.OrderBy(SortKey).ToList());
        Assert.Equal(SortedLines(a.Labels), SortedLines(small.Labels));
        var shards = new List<Row>();
        var shardLabels = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var part = await RunShard(Base() with { Shard = new Shard(i, 3) }, "shards.csv");
            shards.AddRange(part.Rows);
            shardLabels.AddRange(part.Labels.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        }
        Assert.Equal(a.Rows.OrderBy(SortKey).ToList(), shards.OrderBy(SortKey).ToList());
        Assert.Equal(SortedLines(a.Labels), shardLabels.Order(StringComparer.Ordinal).ToList());
    }

    private static List<string> SortedLines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task WideShape_LateAndDuplicateMessages_AreWholeRows_AndNoRowIsEmpty()
    {
        using var dir = new TempDirectory();
        Scenario scenario = Base(devices: 20, seconds: 30) with
        {
            Interval = null, // mining's mixed intervals: rows hold several groups
            Shape = OutputShape.Wide,
            BatchSize = 300, // little spare room: copies wait for the next batch, but a row is never split

            // Many late messages still pending at the end: the closing batches fill to the brim.
            Dirty = new DirtyOptions { Late = 0.5, Duplicates = 0.05, MaxDelay = TimeSpan.FromSeconds(60) },
        };
        var sim = new Simulator(scenario);
        RunReport report = await sim.AddSink(new FileSink(new FileSinkOptions { Path = dir.Path })).RunAsync();
        string[] lines = File.ReadAllLines(Directory.GetFiles(dir.Path).Single());
        string[] header = lines[0].Split(',');
        int firstSensor = 5, sensors = sim.Fleet!.Sensors.Count;
        var keys = new Dictionary<string, int>();
        var cellsOf = new Dictionary<string, string>();
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split(',');
            Assert.Contains(f[firstSensor..(firstSensor + sensors)], c => c.Length > 0);
            string key = f[0] + "," + f[1];
            keys[key] = keys.GetValueOrDefault(key) + 1;
            // A copy is the whole row: the same sensors filled as the original.
            string filled = string.Concat(f[firstSensor..(firstSensor + sensors)].Select(c => c.Length > 0 ? '1' : '0'));
            Assert.Equal(cellsOf.GetValueOrDefault(key, filled), filled);
            cellsOf[key] = filled;
        }
        Assert.Equal(sensors, header.Length - 8);
        Assert.True(report.Dirty!.Late > 0 && report.Dirty.Duplicated > 0);
        Assert.Contains(keys.Values, n => n == 2);
        Assert.All(keys.Values, n => Assert.InRange(n, 1, 2));
    }

    [Fact]
    public async Task WideShape_CopiesThatFillABatch_NeverSplitARow()
    {
        // At 00:00:00 every mining interval group is due: a wide row has parts of 13, 2, 1 and 1 sensors. Every row is
        // late, so all 20 wait for the closing batches, whose 184 slots (24 + 24 of extra room + 8 rows of 17) end 14
        // slots into the 11th row: its 13-sensor part would fit, its 2-sensor part not.
        Scenario scenario = Base(devices: 20, seconds: 1) with
        {
            Interval = null,
            Shape = OutputShape.Wide,
            BatchSize = 24,
            Dirty = new DirtyOptions { Late = 1, MaxDelay = TimeSpan.FromSeconds(60) },
        };
        Assert.Equal(184, Fleet.Build(scenario).Plan.BatchCapacity + Fleet.Build(scenario).Plan.BatchExtraRoom);
        using var dir = new TempDirectory();
        RunReport report = await new Simulator(scenario).AddSink(new FileSink(new FileSinkOptions { Path = dir.Path })).RunAsync();
        string[] rows = File.ReadAllLines(Directory.GetFiles(dir.Path).Single())[1..];
        Assert.Equal(20 * 17, report.Generated);
        Assert.Equal(20, report.Dirty!.Late / 17);
        Assert.Equal(20, rows.Length);
        Assert.All(rows, r => Assert.Equal(17, r.Split(',')[5..22].Count(c => c.Length > 0)));
    }

    [Theory]
    [InlineData("dirty:\n  late: 1.5\n", "dirty.late", "0 to 1")]
    [InlineData("dirty:\n  late: 0.6\n  duplicates: 0.6\n", "dirty", "together at most 1")]
    [InlineData("dirty:\n  max_delay: 0s\n", "dirty.max_delay", "1ms")]
    [InlineData("dirty:\n  nulls: lots\n", "dirty.nulls", "a number")]
    [InlineData("dirty:\n  skew: 0.1\n", "dirty.skew", "clock_skew")]
    public void BadSettings_AreRefused_NamingTheKey(string yaml, string key, string fragment)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(yaml, "s.yaml", null));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
