using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Postgres;

/// <summary>The readings table's shape: which columns, of which PostgreSQL types.</summary>
/// <param name="Table">Readings table name (unquoted; quoted in SQL).</param>
/// <param name="Wide">One row per device per timestamp with a column per sensor; else one row per reading.</param>
/// <param name="Dimensions">Devices and sensors as integer ids into <c>{table}_devices</c> and <c>{table}_sensors</c>; else as text.</param>
/// <param name="Double">Values as <c>double precision</c> (float8); else <c>real</c> (float4).</param>
internal sealed record CopyLayout(string Table, bool Wide, bool Dimensions, bool Double)
{
    /// <summary>Name of the devices dimension table.</summary>
    public string DevicesTable => Table + "_devices";

    /// <summary>Name of the sensors dimension table.</summary>
    public string SensorsTable => Table + "_sensors";

    private string ValueType => Double ? "double precision" : "real";

    /// <summary>The readings table's columns in COPY order: (name, SQL type as information_schema's data_type names it).</summary>
    public IReadOnlyList<(string Name, string Type)> Columns(Fleet fleet)
    {
        var columns = new List<(string, string)> { ("time", "timestamp with time zone"), ("device_id", Dimensions ? "integer" : "text") };
        if (Wide)
        {
            columns.AddRange(fleet.Sensors.Select(s => (s.Name, ValueType)));
            columns.Add(("anomaly_flag", "boolean"));
            columns.Add(("anomaly_type", "text"));
            columns.Add(("anomalies", "text"));
        }
        else
        {
            columns.Add(Dimensions ? ("sensor_id", "smallint") : ("sensor", "text"));
            columns.Add(("value", ValueType));
            columns.Add(("anomaly", "text"));
        }
        return columns;
    }

    /// <summary>The CREATE TABLE statements (readings, then the dimension tables when used).</summary>
    public IEnumerable<string> CreateStatements(Fleet fleet)
    {
        if (Dimensions)
        {
            string fields = string.Join(", ", DeviceFields.Names.Select(f => $"{Quote(f)} {FieldType(f)}"));
            yield return $"CREATE TABLE IF NOT EXISTS {Quote(DevicesTable)} (id integer PRIMARY KEY, name text NOT NULL, {fields})";
            yield return $"CREATE TABLE IF NOT EXISTS {Quote(SensorsTable)} (id smallint PRIMARY KEY, name text NOT NULL, industry text NOT NULL, unit text NOT NULL, sensor_type text NOT NULL, precision smallint NOT NULL, interval_ms integer NOT NULL)";
        }
        IEnumerable<string> columns = Columns(fleet).Select(c => $"{Quote(c.Name)} {c.Type}{(c.Name is "time" or "device_id" or "sensor" or "sensor_id" ? " NOT NULL" : "")}");
        yield return $"CREATE TABLE IF NOT EXISTS {Quote(Table)} ({string.Join(", ", columns)})";
    }

    /// <summary>The first table or column name longer than PostgreSQL's 63-byte identifiers, or null.</summary>
    public string? TooLong(Fleet fleet)
    {
        IEnumerable<string> names = Columns(fleet).Select(c => c.Name).Append(Table);
        if (Dimensions) names = names.Append(DevicesTable).Append(SensorsTable);
        return names.FirstOrDefault(n => System.Text.Encoding.UTF8.GetByteCount(n) > 63);
    }

    /// <summary>The SQL type of a device field in the devices table.</summary>
    public static string FieldType(string field) => field switch
    {
        "latitude" or "longitude" or "height_meters" or "orientation_degrees" => "double precision",
        "manufacture_date" or "installation_date" => "date",
        _ => "text",
    };

    /// <summary>The COPY command for the readings table.</summary>
    public string CopyCommand(Fleet fleet) =>
        $"COPY {Quote(Table)} ({string.Join(", ", Columns(fleet).Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>A double-quoted SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
