using IotSim.Core.Simulation;

namespace IotSim.Sqlite;

/// <summary>
/// The table a SQLite sink writes. Wide: the reference's <c>sensor_readings</c> table (id, timestamp, sensor_id — the
/// device —, one REAL column per sensor, status_code, anomaly_flag, anomaly_type, synced, the device's identity) plus
/// <c>anomalies</c> (per-sensor labels); for the environmental profile the sensor columns are exactly the reference's
/// temperature, humidity, pressure, vibration and voltage. Narrow: one row per reading.
/// </summary>
internal sealed class SqliteLayout
{
    /// <summary>Identity columns of the wide table after <c>synced</c>, with the device field each takes and its SQL type.</summary>
    public static readonly (string Column, string Field, string Type)[] IdentityColumns =
    [
        ("firmware_version", "firmware", "TEXT"), ("model", "model", "TEXT"), ("manufacturer", "manufacturer", "TEXT"),
        ("serial_number", "serial_number", "TEXT"), ("manufacture_date", "manufacture_date", "TEXT"), ("location", "location", "TEXT"),
        ("latitude", "latitude", "REAL"), ("longitude", "longitude", "REAL"), ("original_timezone", "timezone", "TEXT"),
        ("deployment_type", "deployment_type", "TEXT"), ("installation_date", "installation_date", "TEXT"),
        ("height_meters", "height_meters", "REAL"), ("orientation_degrees", "orientation_degrees", "REAL"),
        ("instance_id", "instance_id", "TEXT"), ("sensor_type", "sensor_type", "TEXT"),
    ];

    /// <summary>Columns of the wide table a sensor may not be named like.</summary>
    public static readonly string[] WideFixed =
    [
        "id", "timestamp", "sensor_id", "status_code", "anomaly_flag", "anomaly_type", "synced", "anomalies", .. IdentityColumns.Select(c => c.Column),
    ];

    public SqliteLayout(Fleet fleet, string table, bool wide)
    {
        Table = table;
        Wide = wide;
        var columns = new List<(string, string)> { ("id", "INTEGER PRIMARY KEY AUTOINCREMENT"), ("timestamp", wide ? "DATETIME NOT NULL" : "TEXT NOT NULL") };
        if (wide)
        {
            columns.Add(("sensor_id", "TEXT NOT NULL"));
            columns.AddRange(fleet.Sensors.Select(s => (s.Name, "REAL")));
            columns.Add(("status_code", "INTEGER NOT NULL"));
            columns.Add(("anomaly_flag", "BOOLEAN NOT NULL"));
            columns.Add(("anomaly_type", "TEXT"));
            columns.Add(("synced", "BOOLEAN DEFAULT 0"));
            columns.AddRange(IdentityColumns.Select(c => (c.Column, c.Type)));
            columns.Add(("anomalies", "TEXT"));
        }
        else
        {
            columns.Add(("device_id", "TEXT NOT NULL"));
            columns.Add(("sensor", "TEXT NOT NULL"));
            columns.Add(("value", "REAL"));
            columns.Add(("status_code", "INTEGER NOT NULL"));
            columns.Add(("anomaly_type", "TEXT"));
        }
        Columns = columns;
    }

    public string Table { get; }

    public bool Wide { get; }

    /// <summary>Every column with its declared type, in table order.</summary>
    public IReadOnlyList<(string Name, string Type)> Columns { get; }

    /// <summary>The columns an INSERT binds (all but <c>id</c> and <c>synced</c>, which take their defaults).</summary>
    public IReadOnlyList<string> Inserted => [.. Columns.Select(c => c.Name).Where(n => n is not "id" and not "synced")];

    /// <summary>The column the device goes to: <c>sensor_id</c> (the reference's name for the simulated device) or <c>device_id</c>.</summary>
    public string DeviceColumn => Wide ? "sensor_id" : "device_id";

    /// <summary>CREATE TABLE for the table (if missing).</summary>
    public string CreateTable() => $"CREATE TABLE IF NOT EXISTS {Quote(Table)} ({string.Join(", ", Columns.Select(c => $"{Quote(c.Name)} {c.Type}"))})";

    /// <summary>CREATE INDEX statements (if missing): on timestamp and on the device column, as the reference has them.</summary>
    public IEnumerable<string> CreateIndexes()
    {
        yield return $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + Table + "_timestamp")} ON {Quote(Table)} (timestamp)";
        yield return $"CREATE INDEX IF NOT EXISTS {Quote("idx_" + Table + "_" + DeviceColumn)} ON {Quote(Table)} ({DeviceColumn})";
    }

    public string InsertStatement() =>
        $"INSERT INTO {Quote(Table)} ({string.Join(", ", Inserted.Select(Quote))}) VALUES ({string.Join(", ", Inserted.Select((_, i) => "?" + (i + 1)))})";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
