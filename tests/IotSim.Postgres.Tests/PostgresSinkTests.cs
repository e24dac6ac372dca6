using System.Globalization;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using Npgsql;

namespace IotSim.Postgres.Tests;

/// <summary>The postgres sink against a real PostgreSQL 15 server: every row read back equals what the engine generated.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSinkTests(PostgresServer server)
{
    private static Scenario Mining(int devices = 12, int seconds = 90) => new()
    {
        Seed = 3,
        Industries = ["mining"],
        Devices = devices,
        Start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        BatchSize = 5000,
        Anomalies = new AnomalyOptions { ProbabilityScale = 30 },
    };

    /// <summary>A reading as compared: microseconds since the Unix epoch, device id, sensor, value bits (NaN for NULL), label ("" for none).</summary>
    private readonly record struct Row(long Micros, string Device, string Sensor, float Value, string Anomaly);

    private static async Task<(RunReport Report, List<Row> Expected)> RunAsync(Scenario scenario, PostgresSinkOptions options, SinkOptions? flow = null)
    {
        var expected = new List<Row>();
        var sim = new Simulator(scenario);
        sim.AddSink(new CallbackSink(readings =>
        {
            foreach (Reading r in readings)
            {
                expected.Add(new Row(r.Timestamp.ToUnixTimeMilliseconds() * 1000, r.DeviceId, r.Sensor, r.Value, r.Anomaly == AnomalyKind.None ? "" : AnomalyKinds.ToName(r.Anomaly)));
            }
        }));
        sim.AddSink(new PostgresSink(options), flow ?? new SinkOptions { Type = "postgres" });
        RunReport report = await sim.RunAsync();
        return (report, expected);
    }

    private async Task<List<Row>> ReadNarrowAsync(string database, string table = "readings", bool dimensions = false)
    {
        string sql = dimensions
            ? $"SELECT r.time, d.name, s.name, r.value, coalesce(r.anomaly, '') FROM {table} r JOIN {table}_devices d ON d.id = r.device_id JOIN {table}_sensors s ON s.id = r.sensor_id"
            : $"SELECT time, device_id, sensor, value, coalesce(anomaly, '') FROM {table}";
        var rows = new List<Row>();
        await using var connection = new NpgsqlConnection(server.ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            DateTime time = reader.GetDateTime(0);
            long micros = (time.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            rows.Add(new Row(micros, reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? float.NaN : reader.GetFloat(3), reader.GetString(4)));
        }
        return rows;
    }

    private static List<Row> Sorted(IEnumerable<Row> rows) =>
        [.. rows.OrderBy(r => r.Micros).ThenBy(r => r.Device, StringComparer.Ordinal).ThenBy(r => r.Sensor, StringComparer.Ordinal)];

    private PostgresSinkOptions Options(string database) => new() { ConnectionString = server.ConnectionString(database) };

    [Fact]
    public async Task Narrow_EveryRowReadBack_EqualsTheEngine()
    {
        string db = await server.CreateDatabaseAsync();
        var (report, expected) = await RunAsync(Mining(), Options(db) with { RowsPerCopy = 7000 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        List<Row> actual = await ReadNarrowAsync(db);
        Assert.Equal(report.Generated, actual.Count);
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
        Assert.Matches(@"table readings, [\d,]+ readings committed; the table now holds about [\d,]+ rows in [\d.]+ MiB", report.Sinks[1].Location);
        Assert.Contains(actual, r => r.Anomaly.Length > 0);
        Assert.Equal(Sorted(expected), Sorted(actual));
        // Per-sensor aggregates as a database user would check them.
        List<string?> sums = await server.QueryAsync("SELECT sensor || ':' || count(*) || ':' || round(sum(value::float8)::numeric, 1) FROM readings GROUP BY sensor ORDER BY sensor", db);
        var expectedSums = expected.GroupBy(r => r.Sensor).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}:{g.Count()}:{Math.Round((decimal)g.Sum(r => (double)r.Value), 1).ToString("0.0", CultureInfo.InvariantCulture)}");
        Assert.Equal(expectedSums, sums);
    }

    [Fact]
    public async Task Dimensions_IdsJoinToTheDeviceAndSensorTables_WithIdentities()
    {
        string db = await server.CreateDatabaseAsync();
        var (report, expected) = await RunAsync(Mining(devices: 5, seconds: 30), Options(db) with { Dimensions = true, DoubleValues = true });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(Sorted(expected), Sorted(await ReadNarrowAsync(db, dimensions: true)));
        Assert.Equal(["double precision", "smallint"], await server.QueryAsync(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'readings' AND column_name IN ('sensor_id', 'value') ORDER BY column_name DESC", db));
        Fleet fleet = Fleet.Build(Mining(devices: 5, seconds: 30));
        List<string?> devices = await server.QueryAsync("SELECT name || '|' || manufacturer || '|' || location || '|' || latitude FROM readings_devices ORDER BY id", db);
        Assert.Equal(Enumerable.Range(0, 5).Select(fleet.Identity).Select(i => $"{i.Id}|{i.Manufacturer}|{i.Location}|{i.Latitude.ToString("R", CultureInfo.InvariantCulture)}"), devices);
        Assert.Equal(["17"], await server.QueryAsync("SELECT count(*) FROM readings_sensors", db));
    }

    [Fact]
    public async Task Wide_OneRowPerDeviceAndTimestamp_WithEverySensorsValue()
    {
        string db = await server.CreateDatabaseAsync();
        Scenario scenario = Mining(devices: 6, seconds: 120) with { Shape = OutputShape.Wide };
        var (report, expected) = await RunAsync(scenario, Options(db));
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Fleet fleet = Fleet.Build(scenario);
        // Unpivot the wide table in SQL and compare reading by reading.
        string unpivot = string.Join(" UNION ALL ", fleet.Sensors.Select(s =>
            $"SELECT time, device_id, '{s.Name}', \"{s.Name}\", coalesce((SELECT split_part(p, ':', 2) FROM unnest(string_to_array(anomalies, ';')) p WHERE split_part(p, ':', 1) = '{s.Name}'), '') FROM readings WHERE \"{s.Name}\" IS NOT NULL"));
        await server.ExecuteAsync($"CREATE VIEW narrow (time, device_id, sensor, value, anomaly) AS {unpivot}", db);
        Assert.Equal(Sorted(expected), Sorted(await ReadNarrowAsync(db, "narrow")));
        Assert.Equal([(6 * 120).ToString(CultureInfo.InvariantCulture)], await server.QueryAsync("SELECT count(*) FROM readings", db));
        Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM (SELECT time, device_id FROM readings GROUP BY 1, 2 HAVING count(*) > 1) d", db));
        Assert.Equal(report.Generated, report.Sinks[1].Delivered);
    }

    [Fact]
    public async Task DirtyNullsAndClockSkew_AreNullValuesAndShiftedTimes()
    {
        string db = await server.CreateDatabaseAsync();
        Scenario scenario = Mining(devices: 20, seconds: 20) with { Dirty = new DirtyOptions { Nulls = 0.05, ClockSkew = 0.5, Duplicates = 0.05 } };
        var (report, expected) = await RunAsync(scenario, Options(db));
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        List<Row> actual = await ReadNarrowAsync(db);
        Assert.Contains(actual, r => float.IsNaN(r.Value));
        Assert.Contains(actual, r => r.Micros % 1_000_000 != 0);
        Assert.Equal(Sorted(expected), Sorted(actual));
    }

    [Fact]
    public async Task ParallelConnections_DeliverEveryReadingOnce()
    {
        string db = await server.CreateDatabaseAsync();
        var (report, expected) = await RunAsync(Mining(devices: 30, seconds: 120) with { BatchSize = 3000 }, Options(db) with { RowsPerCopy = 1000 },
            new SinkOptions { Type = "postgres", Parallelism = 3 });
        Assert.True(report.Succeeded, report.Sinks[1].Error);
        Assert.Equal(Sorted(expected), Sorted(await ReadNarrowAsync(db)));
    }

    [Fact]
    public async Task ExistingTable_WithWrongColumns_IsRefusedBeforeWriting()
    {
        string db = await server.CreateDatabaseAsync();
        await server.ExecuteAsync("CREATE TABLE readings (time timestamptz, device_id text, sensor text, value integer, anomaly text)", db);
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(Mining(devices: 1, seconds: 5), Options(db)));
        Assert.Contains("column value is integer, expected real", e.Message, StringComparison.Ordinal);
        Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM readings", db));
    }

    [Fact]
    public async Task NamesLongerThanPostgresIdentifiers_AreRefused_InsteadOfCut()
    {
        string db = await server.CreateDatabaseAsync();
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(Mining(devices: 1, seconds: 5), Options(db) with { Table = new string('r', 58), Dimensions = true }));
        Assert.Contains("longer than PostgreSQL's 63-byte identifiers", e.Message, StringComparison.Ordinal);
        Assert.Contains(new string('r', 58) + "_devices", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTable_WithCreateTableFalse_IsRefused_GivingTheDdl()
    {
        string db = await server.CreateDatabaseAsync();
        var e = await Assert.ThrowsAsync<ConfigException>(() => RunAsync(Mining(devices: 1, seconds: 5), Options(db) with { CreateTable = false }));
        Assert.Contains("does not exist and create_table is false", e.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"readings\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'readings'", db));
    }

    [Fact]
    public async Task WrongPassword_AndUnreachableServer_AreClearErrors_WithoutThePassword()
    {
        var wrong = await Assert.ThrowsAsync<IOException>(() => RunAsync(Mining(devices: 1, seconds: 5),
            new PostgresSinkOptions { ConnectionString = server.ConnectionString(password: "not-the-password") }));
        Assert.Contains("authentication failed", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrong.ToString(), StringComparison.Ordinal);
        var down = await Assert.ThrowsAsync<IOException>(() => RunAsync(Mining(devices: 1, seconds: 5),
            new PostgresSinkOptions { ConnectionString = $"Host=127.0.0.1;Port=1;Username=postgres;Password={PostgresServer.Password};Timeout=2" }));
        Assert.Contains("postgresql://127.0.0.1:1/", down.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, down.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataTheTableRefuses_FailsAtOnce_WithTheServersMessage_AndNoRows()
    {
        string db = await server.CreateDatabaseAsync();
        // A check constraint the readings break: permanent, so no retry.
        await server.ExecuteAsync("CREATE TABLE readings (time timestamptz NOT NULL, device_id text NOT NULL, sensor text NOT NULL, value real CHECK (value < 0), anomaly text)", db);
        var (report, _) = await RunAsync(Mining(devices: 2, seconds: 5), Options(db), new SinkOptions { Type = "postgres", Retries = 5 });
        SinkReport sink = report.Sinks[1];
        Assert.Contains("not retried", sink.Error, StringComparison.Ordinal);
        Assert.Contains("violates check constraint", sink.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.Delivered);
        Assert.Equal(report.Generated, sink.Failed);
        Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM readings", db));
    }
}
