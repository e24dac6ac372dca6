using System.Diagnostics;
using DuckDB.NET.Data;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Parquet.Tests;

/// <summary>The parquet sink, read back by DuckDB (an independent reader): every reading equals the engine's.</summary>
public sealed class ParquetSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-parquet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Scenario Mining(int devices = 10, int seconds = 60) => new()
    {
        Seed = 12,
        Industries = ["mining"],
        Devices = devices,
        Start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        BatchSize = 4000,
        Anomalies = new AnomalyOptions { ProbabilityScale = 30 },
    };

    private readonly record struct Row(long Micros, string Device, string Sensor, float? Value, string Anomaly);

    private static async Task<(RunReport Report, List<Row> Expected, ParquetSink Sink)> RunAsync(Scenario scenario, ParquetSinkOptions options)
    {
        var expected = new List<Row>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(readings =>
        {
            foreach (Reading r in readings)
            {
                expected.Add(new Row(r.Timestamp.ToUnixTimeMilliseconds() * 1000, r.DeviceId, r.Sensor, float.IsNaN(r.Value) ? null : r.Value,
                    r.Anomaly == AnomalyKind.None ? "" : AnomalyKinds.ToName(r.Anomaly)));
            }
        }));
        var sink = new ParquetSink(options);
        sim.AddSink(sink);
        return (await sim.RunAsync(), expected, sink);
    }

    private static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using DuckDBCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static long Micros(object value) => ((DateTime)value - DateTime.UnixEpoch).Ticks / 10;

    private static List<Row> Sorted(IEnumerable<Row> rows) =>
        [.. rows.OrderBy(r => r.Micros).ThenBy(r => r.Device, StringComparer.Ordinal).ThenBy(r => r.Sensor, StringComparer.Ordinal)];

    [Fact]
    public async Task Narrow_EveryReadingReadBackByDuckDB_InSeveralRowGroupsAndFiles()
    {
        Scenario scenario = Mining() with { Dirty = new DirtyOptions { Nulls = 0.03, ClockSkew = 0.3 } };
        var (report, expected, sink) = await RunAsync(scenario, new ParquetSinkOptions { Path = _dir, RowGroupRows = 1000, FileRows = 4000 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.True(sink.Files.Count > 1);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        var actual = Query($"SELECT time, device_id, sensor, value, coalesce(anomaly, '') FROM read_parquet('{_dir}/*.parquet')")
            .Select(r => new Row(Micros(r[0]!), (string)r[1]!, (string)r[2]!, (float?)r[3], (string)r[4]!)).ToList();
        Assert.Contains(actual, r => r.Value is null);
        Assert.Contains(actual, r => r.Anomaly.Length > 0);
        Assert.Equal(Sorted(expected), Sorted(actual));
        // The time column is a UTC TIMESTAMP(MICROS); the files say so in their schema.
        Assert.Equal(["TIMESTAMP WITH TIME ZONE"], Query($"SELECT DISTINCT typeof(time) FROM read_parquet('{_dir}/*.parquet')").Select(r => (string)r[0]!));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Theory]
    [InlineData(global::Parquet.CompressionMethod.None, "UNCOMPRESSED")]
    [InlineData(global::Parquet.CompressionMethod.Zstd, "ZSTD")]
    [InlineData(global::Parquet.CompressionMethod.Lz4Raw, "LZ4_RAW")]
    [InlineData(global::Parquet.CompressionMethod.Gzip, "GZIP")]
    public async Task Narrow_EveryCodec_ReadBackByDuckDBAndParquetNet_WithStatistics(global::Parquet.CompressionMethod codec, string name)
    {
        Scenario scenario = Mining(devices: 4, seconds: 30) with { Dirty = new DirtyOptions { Nulls = 0.05 } };
        var (report, expected, sink) = await RunAsync(scenario, new ParquetSinkOptions { Path = _dir, Compression = codec, RowGroupRows = 1000 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        string file = Assert.Single(sink.Files);
        var actual = Query($"SELECT time, device_id, sensor, value, coalesce(anomaly, '') FROM read_parquet('{file}')")
            .Select(r => new Row(Micros(r[0]!), (string)r[1]!, (string)r[2]!, (float?)r[3], (string)r[4]!)).ToList();
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.Equal([name], Query($"SELECT DISTINCT compression FROM parquet_metadata('{file}')").Select(r => (string)r[0]!));
        // Row-group statistics: the time range and the value column's nulls, per row group.
        var stats = Query($"SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata('{file}') WHERE path_in_schema = 'time' ORDER BY 1");
        Assert.True(stats.Count > 1);
        var nulls = Query($"SELECT sum(stats_null_count)::BIGINT FROM parquet_metadata('{file}') WHERE path_in_schema = 'value'").Single()[0];
        Assert.Equal((long)expected.Count(r => r.Value is null), (long)nulls!);
        Assert.Contains(expected, r => r.Value is null);
        // A second, independent reader: Parquet.Net reads the same devices, sensors and values.
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(file);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["time", "device_id", "sensor", "value", "anomaly"], fields.Select(f => f.Name));
        var read = new List<string>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            string?[] devices = new string?[n], sensors = new string?[n];
            float?[] values = new float?[n];
            await group.ReadAsync(fields[1], devices.AsMemory());
            await group.ReadAsync(fields[2], sensors.AsMemory());
            await group.ReadAsync<float>(fields[3], values.AsMemory());
            read.AddRange(Enumerable.Range(0, n).Select(i => $"{devices[i]}|{sensors[i]}|{values[i]}"));
        }
        Assert.Equal(expected.Select(r => $"{r.Device}|{r.Sensor}|{r.Value}").Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Wide_OneRowPerDeviceAndTimestamp_WithEverySensorsValue()
    {
        Scenario scenario = Mining(devices: 5, seconds: 30) with { Shape = OutputShape.Wide };
        var (report, expected, _) = await RunAsync(scenario, new ParquetSinkOptions { Path = _dir, Compression = global::Parquet.CompressionMethod.Zstd });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Fleet fleet = Fleet.Build(scenario);
        string unpivot = string.Join(" UNION ALL ", fleet.Sensors.Select(s =>
            $"SELECT time, device_id, '{s.Name}' AS sensor, \"{s.Name}\" AS value, coalesce((SELECT split_part(p, ':', 2) FROM unnest(string_split(anomalies, ';')) t(p) WHERE split_part(p, ':', 1) = '{s.Name}'), '') AS anomaly FROM read_parquet('{_dir}/*.parquet') WHERE \"{s.Name}\" IS NOT NULL"));
        var actual = Query(unpivot).Select(r => new Row(Micros(r[0]!), (string)r[1]!, (string)r[2]!, (float?)r[3], (string)r[4]!)).ToList();
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.Equal([5L * 30], Query($"SELECT count(*) FROM read_parquet('{_dir}/*.parquet')").Single());
    }

    [Fact]
    public async Task PartitionByDate_WritesHiveFolders_AcrossMidnight()
    {
        Scenario scenario = Mining(devices: 2, seconds: 120) with { Start = new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero), Interval = TimeSpan.FromSeconds(1) };
        var (report, expected, _) = await RunAsync(scenario, new ParquetSinkOptions { Path = _dir, PartitionByDate = true });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(["date=2026-03-01", "date=2026-03-02"], Directory.GetDirectories(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var counts = Query($"SELECT date::VARCHAR, count(*), min(time), max(time) FROM read_parquet('{_dir}/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1");
        Assert.Equal(2, counts.Count);
        Assert.Equal(expected.Count, counts.Sum(r => (long)r[1]!));
        Assert.Equal(new DateTime(2026, 3, 1, 23, 59, 59, DateTimeKind.Utc), ((DateTime)counts[0][3]!).ToUniversalTime());
        Assert.Equal(new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), ((DateTime)counts[1][2]!).ToUniversalTime());
    }

    [Fact]
    public async Task PartitionByIndustryAndDate_EachReadingInItsSensorsIndustry_OneOpenFilePerIndustry()
    {
        Scenario scenario = Mining(devices: 3, seconds: 120) with
        {
            Industries = ["mining", "electric_power", "agriculture"],
            Start = new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero),
            Dirty = new DirtyOptions { Nulls = 0.02 },
        };
        Fleet fleet = Fleet.Build(scenario);
        var industryOf = fleet.Sensors.ToDictionary(s => s.Name, s => s.Industry);
        var (report, expected, sink) = await RunAsync(scenario, new ParquetSinkOptions { Path = _dir, PartitionByIndustry = true, PartitionByDate = true, RowGroupRows = 1000 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        Assert.Equal(["industry=agriculture", "industry=electric_power", "industry=mining"], Directory.GetDirectories(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string industry in Directory.GetDirectories(_dir))
        {
            Assert.Equal(["date=2026-03-01", "date=2026-03-02"], Directory.GetDirectories(industry).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        // One file per industry and day: the industries' files are open side by side, not one after another.
        Assert.Equal(6, sink.Files.Count);
        var rows = Query($"SELECT time, device_id, sensor, value, coalesce(anomaly, ''), industry, date::VARCHAR FROM read_parquet('{_dir}/*/*/*.parquet', hive_partitioning = true)");
        var actual = rows.Select(r => new Row(Micros(r[0]!), (string)r[1]!, (string)r[2]!, (float?)r[3], (string)r[4]!)).ToList();
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.All(rows, r => Assert.Equal(industryOf[(string)r[2]!], (string)r[5]!));
        Assert.All(rows, r => Assert.Equal(DateTime.UnixEpoch.AddTicks(Micros(r[0]!) * 10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string)r[6]!));
        Assert.Equal(3, rows.Select(r => (string)r[5]!).Distinct().Count());
    }

    [Fact]
    public async Task PartitionByIndustry_WideRowsOfSeveralIndustries_AreRefusedAtOpen_OneIndustryIsWritten()
    {
        Scenario several = Mining(devices: 2, seconds: 5) with { Industries = ["mining", "electric_power"], Shape = OutputShape.Wide };
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(several, new ParquetSinkOptions { Path = _dir, PartitionByIndustry = true }));
        Assert.Equal("partition_by", e.Key);
        Assert.Contains("2 industries (mining, electric_power)", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));

        var (report, _, sink) = await RunAsync(Mining(devices: 2, seconds: 5) with { Shape = OutputShape.Wide }, new ParquetSinkOptions { Path = _dir, PartitionByIndustry = true });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.StartsWith(Path.Combine(_dir, "industry=mining") + Path.DirectorySeparatorChar, Assert.Single(sink.Files), StringComparison.Ordinal);
        Assert.Equal([2L * 5], Query($"SELECT count(*) FROM read_parquet('{_dir}/*/*.parquet')").Single());
    }

    [Theory]
    [InlineData("mining", "mining")]
    [InlineData("a b/c=d%", "a%20b%2Fc%3Dd%25")]
    [InlineData("ü", "%C3%BC")]
    public void HiveEscape_KeepsSafeCharacters_EscapesTheRestAsUtf8(string value, string folder) =>
        Assert.Equal(folder, ParquetSink.HiveEscape(value));

    [Fact]
    public async Task KilledMidRun_LeavesNoFileUnderAFinalNameThatCannotBeRead()
    {
        string yaml = Path.Combine(_dir, "s.yaml");
        string output = Path.Combine(_dir, "out");
        File.WriteAllText(yaml, $"fleet: {{ industries: [all], devices: 2000, interval: 1s }}\ntime: {{ duration: 2h }}\nsinks: [ {{ type: parquet, path: {output}, file_rows: 2000000 }} ]\n");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsim.dll"));
        foreach (string a in new[] { "run", yaml, "-q" }) info.ArgumentList.Add(a);
        using (Process p = Process.Start(info)!)
        {
            // Wait until at least one file is complete and another is being written, then kill without warning.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60)
                   && !(Directory.Exists(output) && Directory.GetFiles(output, "*.parquet").Length > 0 && Directory.GetFiles(output, "*.partial").Length > 0))
            {
                await Task.Delay(50);
            }
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        string[] complete = Directory.GetFiles(output, "*.parquet");
        Assert.NotEmpty(complete);
        foreach (string file in complete)
        {
            Assert.Equal([2_000_000L], Query($"SELECT count(*) FROM read_parquet('{file}')").Single());
        }
    }
}
