using System.Diagnostics;
using System.Globalization;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using Microsoft.Data.Sqlite;

namespace IotSim.Sqlite.Tests;

/// <summary>The sqlite sink, read back with Microsoft.Data.Sqlite: rows equal the engine's readings; shards share one file.</summary>
public sealed class SqliteSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-sqlite-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db(string name = "t.db") => Path.Combine(_dir, name);

    private static Scenario Environmental(int devices = 8, int seconds = 60, OutputShape shape = OutputShape.Wide) => new()
    {
        Seed = 4,
        Industries = ["environmental"],
        Devices = devices,
        Interval = TimeSpan.FromSeconds(1),
        Start = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        Shape = shape,
        BatchSize = 1000,
        Anomalies = new AnomalyOptions { ProbabilityScale = 40 },
    };

    /// <summary>A reading: ISO timestamp, device, sensor, value rounded as reported (null as NaN), label.</summary>
    private readonly record struct Row(string Time, string Device, string Sensor, double Value, string Anomaly);

    private static async Task<(RunReport Report, List<Row> Expected, Fleet Fleet)> RunAsync(Scenario scenario, SqliteSinkOptions options)
    {
        var expected = new List<Row>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(readings =>
        {
            foreach (Reading r in readings)
            {
                expected.Add(new Row(r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), r.DeviceId, r.Sensor,
                    float.IsNaN(r.Value) ? double.NaN : Math.Round(r.Value, sim.Fleet!.Precision[sim.Fleet.Sensors.ToList().FindIndex(s => s.Name == r.Sensor)]),
                    r.Anomaly == AnomalyKind.None ? "" : AnomalyKinds.ToName(r.Anomaly)));
            }
        }));
        sim.AddSink(new SqliteSink(options));
        RunReport report = await sim.RunAsync();
        return (report, expected, sim.Fleet!);
    }

    private static List<Row> Sorted(IEnumerable<Row> rows) =>
        [.. rows.OrderBy(r => r.Time, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal).ThenBy(r => r.Sensor, StringComparer.Ordinal)];

    private static List<object?[]> Query(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task Wide_IsTheReferenceSensorReadingsTable_WithEveryReadingAndIdentity()
    {
        var (report, expected, fleet) = await RunAsync(Environmental(), new SqliteSinkOptions { Path = Db() });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        string[] columns = [.. Query(Db(), "SELECT name FROM pragma_table_info('sensor_readings')").Select(r => (string)r[0]!)];
        Assert.Equal(
            ["id", "timestamp", "sensor_id", "temperature", "humidity", "pressure", "vibration", "voltage", "status_code", "anomaly_flag", "anomaly_type", "synced",
             "firmware_version", "model", "manufacturer", "serial_number", "manufacture_date", "location", "latitude", "longitude", "original_timezone",
             "deployment_type", "installation_date", "height_meters", "orientation_degrees", "instance_id", "sensor_type", "anomalies"],
            columns);
        Assert.Equal(["idx_sensor_readings_sensor_id", "idx_sensor_readings_timestamp"],
            Query(Db(), "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensor_readings' ORDER BY name").Select(r => (string)r[0]!));
        // Unpivot and compare reading by reading.
        var actual = new List<Row>();
        foreach (object?[] r in Query(Db(), "SELECT timestamp, sensor_id, temperature, humidity, pressure, vibration, voltage, anomalies FROM sensor_readings"))
        {
            var labels = ((string?)r[7] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':')).ToDictionary(p => p[0], p => p[1]);
            for (int s = 0; s < 5; s++)
            {
                if (r[2 + s] is null) continue;
                string sensor = fleet.Sensors[s].Name;
                actual.Add(new Row((string)r[0]!, (string)r[1]!, sensor, (double)r[2 + s]!, labels.GetValueOrDefault(sensor, "")));
            }
        }
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.Equal(8 * 60, Query(Db(), "SELECT count(*) FROM sensor_readings").Single()[0] is long n ? (int)n : -1);
        Assert.Equal([0L], Query(Db(), "SELECT count(*) FROM sensor_readings WHERE synced <> 0 OR status_code <> anomaly_flag").Single());
        Assert.NotEmpty(Query(Db(), "SELECT 1 FROM sensor_readings WHERE anomaly_flag = 1 AND anomaly_type IS NOT NULL"));
        // Identity columns are the device's identity.
        foreach (object?[] d in Query(Db(), "SELECT DISTINCT sensor_id, manufacturer, model, firmware_version, location, latitude, original_timezone, instance_id FROM sensor_readings"))
        {
            var id = fleet.Identity(int.Parse(((string)d[0]!)["dev-".Length..], CultureInfo.InvariantCulture));
            Assert.Equal([id.Manufacturer, id.Model, id.Firmware, id.Location, id.Field("latitude"), id.TimeZone, id.InstanceId],
                [(string)d[1]!, (string)d[2]!, (string)d[3]!, (string)d[4]!, ((double)d[5]!).ToString("F5", CultureInfo.InvariantCulture), (string)d[6]!, (string)d[7]!]);
        }
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
    }

    [Fact]
    public async Task Narrow_AnyIndustry_EveryReadingReadBack_NullsIncluded()
    {
        Scenario scenario = Environmental(shape: OutputShape.Narrow) with { Industries = ["mining"], Interval = null, Dirty = new DirtyOptions { Nulls = 0.05 } };
        var (report, expected, _) = await RunAsync(scenario, new SqliteSinkOptions { Path = Db(), RowsPerTransaction = 777 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        List<Row> actual = [.. Query(Db(), "SELECT timestamp, device_id, sensor, value, coalesce(anomaly_type, ''), status_code FROM readings")
            .Select(r => new Row((string)r[0]!, (string)r[1]!, (string)r[2]!, r[3] is double v ? v : double.NaN, (string)r[4]!))];
        Assert.Contains(actual, r => double.IsNaN(r.Value));
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.Equal([0L], Query(Db(), "SELECT count(*) FROM readings WHERE status_code <> (anomaly_type IS NOT NULL)").Single());
    }

    [Fact]
    public async Task ExistingDatabase_IsAppendedTo_AndRecreateStartsAfresh()
    {
        Scenario scenario = Environmental(devices: 2, seconds: 10);
        await RunAsync(scenario, new SqliteSinkOptions { Path = Db() });
        await RunAsync(scenario with { Start = scenario.Start!.Value.AddSeconds(10) }, new SqliteSinkOptions { Path = Db() });
        Assert.Equal([40L], Query(Db(), "SELECT count(*) FROM sensor_readings").Single());
        await RunAsync(scenario, new SqliteSinkOptions { Path = Db(), Recreate = true });
        Assert.Equal([20L], Query(Db(), "SELECT count(*) FROM sensor_readings").Single());
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(scenario with { Shard = new Shard(0, 2) }, new SqliteSinkOptions { Path = Db(), Recreate = true }));
        Assert.Contains("recreate would delete the rows of the other shards", e.Message, StringComparison.Ordinal);
        Assert.Equal([20L], Query(Db(), "SELECT count(*) FROM sensor_readings").Single());
    }

    [Fact]
    public async Task ExistingTableOfAnotherShape_IsRefusedBeforeWriting()
    {
        using (var c = new SqliteConnection($"Data Source={Db()};Pooling=False"))
        {
            c.Open();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE sensor_readings (id INTEGER PRIMARY KEY, timestamp TEXT, sensor_id TEXT)";
            cmd.ExecuteNonQuery();
        }
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(Environmental(devices: 1, seconds: 5), new SqliteSinkOptions { Path = Db() }));
        Assert.Contains("lacks the column(s) temperature, humidity", e.Message, StringComparison.Ordinal);
        Assert.Equal([0L], Query(Db(), "SELECT count(*) FROM sensor_readings").Single());
    }

    [Fact]
    public async Task FourProcesses_FourShards_OneFile_EqualTheUnshardedRun()
    {
        string shared = Db("shared.db");
        string yaml = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(yaml, $"""
            seed: 9
            fleet: {"{"} industries: [environmental], devices: 40, interval: 1s {"}"}
            time: {"{"} start: 2026-01-01T00:00:00Z, duration: 3m {"}"}
            output: {"{"} shape: wide {"}"}
            engine: {"{"} batch_size: 500 {"}"}
            sinks: [ {"{"} type: sqlite, path: shared.db, rows_per_transaction: 50 {"}"} ]
            """);
        var processes = Enumerable.Range(0, 4).Select(i => Start(yaml, "--shard", $"{i}/4")).ToList();
        foreach (Process p in processes)
        {
            string error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, error);
            p.Dispose();
        }
        Assert.Equal([40L * 180], Query(shared, "SELECT count(*) FROM sensor_readings").Single());
        Assert.Equal(["ok"], Query(shared, "PRAGMA integrity_check").Select(r => (string)r[0]!));
        // The union of the shards is the unsharded run, row for row (ids aside).
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("shared.db", "whole.db", StringComparison.Ordinal));
        using (Process whole = Start(yaml))
        {
            await whole.WaitForExitAsync();
            Assert.Equal(0, whole.ExitCode);
        }
        const string rows = "SELECT timestamp, sensor_id, temperature, humidity, pressure, vibration, voltage, anomaly_type, anomalies, firmware_version FROM sensor_readings ORDER BY timestamp, sensor_id";
        Assert.Equal(Query(Db("whole.db"), rows), Query(shared, rows));
    }

    private static Process Start(string yaml, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = false,
            WorkingDirectory = Path.GetDirectoryName(yaml)!,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsim.dll"));
        info.ArgumentList.Add("run");
        info.ArgumentList.Add(yaml);
        info.ArgumentList.Add("-q");
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    [Fact]
    public async Task UnwritablePath_IsBadInput()
    {
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(Environmental(devices: 1, seconds: 5), new SqliteSinkOptions { Path = "/proc/iotsim/t.db" }));
        Assert.Contains("cannot open the database /proc/iotsim/t.db", e.Message, StringComparison.Ordinal);
    }
}
