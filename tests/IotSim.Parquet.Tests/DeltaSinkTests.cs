using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Parquet.Tests;

/// <summary>The delta sink: the log is checked against the Delta protocol and the data files read back by DuckDB.</summary>
public sealed class DeltaSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-delta-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Table => Path.Combine(_dir, "table");

    private static long Count(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using DuckDBCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Checks the log (contiguous versions from 0, protocol and metaData first, every file added once and present, stats that match the file) and returns the added files.</summary>
    private List<(string Path, long Records, string MinTime, string MaxTime)> CheckLog()
    {
        string log = Path.Combine(Table, "_delta_log");
        long[] versions = [.. Directory.GetFiles(log, "*.json").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture)).Order()];
        Assert.Equal(Enumerable.Range(0, versions.Length).Select(v => (long)v), versions);
        Assert.Empty(Directory.GetFiles(log, "*.tmp"));
        string[] first = File.ReadAllLines(Path.Combine(log, $"{0:D20}.json"));
        Assert.StartsWith("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}", first[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"metaData\":", first[1], StringComparison.Ordinal);
        var adds = new List<(string, long, string, string)>();
        foreach (long v in versions.Skip(1))
        {
            foreach (string line in File.ReadAllLines(Path.Combine(log, $"{v:D20}.json")))
            {
                using var doc = JsonDocument.Parse(line);
                if (!doc.RootElement.TryGetProperty("add", out JsonElement add)) continue;
                string path = add.GetProperty("path").GetString()!;
                Assert.True(File.Exists(Path.Combine(Table, path)), path);
                Assert.Equal(new FileInfo(Path.Combine(Table, path)).Length, add.GetProperty("size").GetInt64());
                using var stats = JsonDocument.Parse(add.GetProperty("stats").GetString()!);
                long records = stats.RootElement.GetProperty("numRecords").GetInt64();
                string file = Path.Combine(Table, path);
                Assert.Equal(records, Count($"SELECT count(*) FROM read_parquet('{file}')"));
                string min = stats.RootElement.GetProperty("minValues").GetProperty("time").GetString()!;
                string max = stats.RootElement.GetProperty("maxValues").GetProperty("time").GetString()!;
                Assert.Equal(1, Count($"SELECT count(*) FROM (SELECT min(time) AS a, max(time) AS b FROM read_parquet('{file}')) WHERE a = '{min}'::TIMESTAMPTZ AND b = '{max}'::TIMESTAMPTZ"));
                adds.Add((path, records, min, max));
            }
        }
        Assert.Equal(adds.Count, adds.Select(a => a.Item1).Distinct().Count());
        return adds;
    }

    private static Scenario Mining(int seconds = 120) => new()
    {
        Seed = 2,
        Industries = ["mining"],
        Devices = 8,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 5, 1, 23, 59, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        BatchSize = 2000,
    };

    [Fact]
    public async Task Appends_CommitEachFile_WithStatsThatMatchTheFile_AndAppendsAgain()
    {
        var options = new ParquetSinkOptions { Path = Table, FileRows = 5000, PartitionByDate = true };
        var sink = new DeltaSink(options);
        RunReport report = await new Simulator(Mining()).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded, report.Sinks[0].Error);
        Assert.True(sink.Versions.Count > 2);
        var adds = CheckLog();
        Assert.Equal(report.Generated, adds.Sum(a => a.Records));
        Assert.Contains(adds, a => a.Path.StartsWith("date=2026-05-02/", StringComparison.Ordinal));
        // A second run appends at the next versions.
        RunReport again = await new Simulator(Mining() with { Start = new DateTimeOffset(2026, 5, 2, 0, 1, 0, TimeSpan.Zero) }).AddSink(new DeltaSink(options)).RunAsync();
        Assert.Equal(report.Generated + again.Generated, CheckLog().Sum(a => a.Records));
    }

    [Fact]
    public async Task PartitionByIndustry_OneCommitPerFileGroup_WithPartitionValuesThatMatchTheRows()
    {
        var options = new ParquetSinkOptions { Path = Table, FileRows = 4000, PartitionByIndustry = true, PartitionByDate = true };
        var sink = new DeltaSink(options);
        Scenario scenario = Mining() with { Industries = ["mining", "electric_power"] };
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded, report.Sinks[0].Error);
        var adds = CheckLog();
        Assert.Equal(report.Generated, adds.Sum(a => a.Records));
        using (var doc = JsonDocument.Parse(File.ReadAllLines(Path.Combine(Table, "_delta_log", $"{0:D20}.json"))[1]))
        {
            JsonElement meta = doc.RootElement.GetProperty("metaData");
            Assert.Equal(["industry", "date"], meta.GetProperty("partitionColumns").EnumerateArray().Select(c => c.GetString()));
            Assert.Contains("\"name\":\"industry\"", meta.GetProperty("schemaString").GetString()!, StringComparison.Ordinal);
        }
        // Each add's partition values name its folder, and every row in the file belongs to them.
        var industryOf = Fleet.Build(scenario).Sensors.ToDictionary(s => s.Name, s => s.Industry);
        int multiFileCommits = 0;
        foreach (string version in Directory.GetFiles(Path.Combine(Table, "_delta_log"), "*.json").Order(StringComparer.Ordinal).Skip(1))
        {
            var lines = File.ReadAllLines(version).Select(l => JsonDocument.Parse(l)).ToList();
            var versionAdds = lines.Where(d => d.RootElement.TryGetProperty("add", out _)).Select(d => d.RootElement.GetProperty("add")).ToList();
            multiFileCommits += versionAdds.Count > 1 ? 1 : 0;
            foreach (JsonElement add in versionAdds)
            {
                string industry = add.GetProperty("partitionValues").GetProperty("industry").GetString()!;
                string date = add.GetProperty("partitionValues").GetProperty("date").GetString()!;
                string path = add.GetProperty("path").GetString()!;
                Assert.StartsWith($"industry={industry}/date={date}/", path, StringComparison.Ordinal);
                string file = Path.Combine(Table, path);
                string sensors = string.Join(",", industryOf.Where(kv => kv.Value == industry).Select(kv => $"'{kv.Key}'"));
                Assert.Equal(0, Count($"SELECT count(*) FROM read_parquet('{file}') WHERE sensor NOT IN ({sensors}) OR strftime(time, '%Y-%m-%d') <> '{date}'"));
            }
            lines.ForEach(d => d.Dispose());
        }
        // The industries' files complete together at the row limit and midnight: their adds share commits.
        Assert.True(multiFileCommits > 0);
        Assert.True(sink.Versions.Count < adds.Count);
    }

    [Fact]
    public async Task ATableOfAnotherShape_IsRefused()
    {
        await new Simulator(Mining(seconds: 5)).AddSink(new DeltaSink(new ParquetSinkOptions { Path = Table })).RunAsync();
        var e = await Assert.ThrowsAsync<ConfigException>(() => new Simulator(Mining(seconds: 5) with { Shape = OutputShape.Wide }).AddSink(new DeltaSink(new ParquetSinkOptions { Path = Table })).RunAsync());
        Assert.Contains("has another schema or partitioning", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FourShardProcesses_AppendToOneTable_WithContiguousVersions()
    {
        string yaml = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(yaml, $"seed: 3\nfleet: {{ industries: [mining], devices: 40, interval: 1s }}\ntime: {{ start: 2026-01-01T00:00:00Z, duration: 2m }}\nengine: {{ batch_size: 2000 }}\nsinks: [ {{ type: delta, path: {Table}, file_rows: 3000 }} ]\n");
        var processes = Enumerable.Range(0, 4).Select(i =>
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet") { RedirectStandardError = true };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "iotsim.dll"), "run", yaml, "-q", "--shard", $"{i}/4" }) info.ArgumentList.Add(a);
            return Process.Start(info)!;
        }).ToList();
        foreach (Process p in processes)
        {
            string error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, error);
            p.Dispose();
        }
        var adds = CheckLog();
        // The unsharded run's readings (missing-data anomalies omit some of the 40 × 17 × 120).
        Scenario whole = ScenarioLoader.Load(File.ReadAllText(yaml), yaml, null, Core.Sinks.SinkRegistry.CreateDefault().Register(new ParquetSinkProvider()).Register(new DeltaSinkProvider())) with { Sinks = [] };
        long generated = (await new Simulator(whole).AddSink(new Core.Sinks.CallbackSink(_ => { })).RunAsync()).Generated;
        Assert.True(generated > 40 * 17 * 100);
        Assert.Equal(generated, adds.Sum(a => a.Records));
        Assert.Equal(generated, Count($"SELECT count(*) FROM read_parquet('{Table}/*.parquet')"));
    }
}
