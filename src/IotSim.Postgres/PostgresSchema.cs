using System.Globalization;
using System.Text;
using IotSim.Core;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using Npgsql;

namespace IotSim.Postgres;

/// <summary>
/// Gets the target ready before anything is generated: creates the tables (a hypertable when TimescaleDB is installed)
/// or checks that existing ones have the expected columns, and fills the dimension tables. Shards preparing one
/// database at once are serialised by an advisory lock.
/// </summary>
internal sealed class PostgresSchema(NpgsqlConnection connection, CopyLayout layout, Fleet fleet, PostgresSinkOptions options)
{
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"SELECT pg_advisory_xact_lock(hashtext({Literal("iotsim:" + layout.Table)}))", cancellationToken).ConfigureAwait(false);
        bool exists = await ExistsAsync(layout.Table, cancellationToken).ConfigureAwait(false);
        if (!exists && !options.CreateTable)
        {
            throw new ConfigException(null, 0, "create_table",
                $"{options.Name}: table {layout.Table} does not exist and create_table is false; create it with: {string.Join("; ", layout.CreateStatements(fleet))}");
        }
        if (options.CreateTable)
        {
            foreach (string statement in layout.CreateStatements(fleet))
            {
                await ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }
            if (!exists && await ScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'", cancellationToken).ConfigureAwait(false) > 0)
            {
                await MakeHypertableAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await CheckColumnsAsync(layout.Table, layout.Columns(fleet), cancellationToken).ConfigureAwait(false);
        if (layout.Dimensions)
        {
            await FillDimensionsAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task MakeHypertableAsync(CancellationToken cancellationToken)
    {
        string table = Literal(CopyLayout.Quote(layout.Table));
        await ExecuteAsync($"SELECT create_hypertable({table}, 'time', chunk_time_interval => {Interval(options.ChunkInterval)}, if_not_exists => true)", cancellationToken).ConfigureAwait(false);
        if (options.CompressAfter is { } after)
        {
            await ExecuteAsync($"ALTER TABLE {CopyLayout.Quote(layout.Table)} SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id')", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"SELECT add_compression_policy({table}, {Interval(after)}, if_not_exists => true)", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ExistsAsync(string table, CancellationToken cancellationToken) =>
        await ScalarAsync<bool>($"SELECT to_regclass({Literal(CopyLayout.Quote(table))}) IS NOT NULL", cancellationToken).ConfigureAwait(false);

    /// <summary>Every expected column must exist with its type (more columns are fine when they have defaults or allow NULL).</summary>
    private async Task CheckColumnsAsync(string table, IReadOnlyList<(string Name, string Type)> expected, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[reader.GetString(0)] = reader.GetString(1);
            }
        }
        var problems = new List<string>();
        foreach (var (name, type) in expected)
        {
            if (!found.TryGetValue(name, out string? actual)) problems.Add($"column {name} ({type}) is missing");
            else if (actual != type) problems.Add($"column {name} is {actual}, expected {type}");
        }
        if (problems.Count > 0)
        {
            throw new ConfigException(null, 0, "table",
                $"{options.Name}: table {table} does not match the scenario's {(layout.Wide ? "wide" : "narrow")} rows: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $" (and {problems.Count - 5} more)" : "")}; "
                + $"expected columns: {string.Join(", ", expected.Select(c => $"{c.Name} {c.Type}"))}");
        }
    }

    /// <summary>Inserts this shard's devices and every sensor (rows that exist already are kept: other shards share the tables).</summary>
    private async Task FillDimensionsAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync($"CREATE TEMP TABLE iotsim_devices (LIKE {CopyLayout.Quote(layout.DevicesTable)}) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);
        string[] fields = DeviceFields.Names;
        await using (TextWriter writer = await connection.BeginTextImportAsync(
            $"COPY iotsim_devices (id, name, {string.Join(", ", fields.Select(CopyLayout.Quote))}) FROM STDIN", cancellationToken).ConfigureAwait(false))
        {
            var line = new StringBuilder();
            for (int d = fleet.FirstDevice; d < fleet.EndDevice; d++)
            {
                DeviceIdentity id = fleet.Identity(d);
                line.Clear().Append(d.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(CopyText(id.Id));
                foreach (string f in fields) line.Append('\t').Append(CopyText(id.Field(f)));
                await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
        await ExecuteAsync($"INSERT INTO {CopyLayout.Quote(layout.DevicesTable)} SELECT * FROM iotsim_devices ON CONFLICT (id) DO NOTHING", cancellationToken).ConfigureAwait(false);
        var intervalOf = new long[fleet.Sensors.Count];
        foreach (IntervalGroup group in fleet.Groups)
        {
            foreach (int s in group.SensorIndices) intervalOf[s] = (long)group.Interval.TotalMilliseconds;
        }
        var sensors = new StringBuilder();
        for (int s = 0; s < fleet.Sensors.Count; s++)
        {
            SensorDefinition def = fleet.Sensors[s];
            sensors.Append(s == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({s}, {Literal(def.Name)}, {Literal(def.Industry)}, {Literal(def.Unit)}, {Literal(SensorTypes.ToName(def.Type))}, {def.Precision}, {intervalOf[s]})");
        }
        await ExecuteAsync($"INSERT INTO {CopyLayout.Quote(layout.SensorsTable)} VALUES {sensors} ON CONFLICT (id) DO NOTHING", cancellationToken).ConfigureAwait(false);
        // Sensors of another scenario under the same ids would make the ids lie.
        long mismatched = await ScalarAsync<long>(
            $"SELECT count(*) FROM (VALUES {sensors}) AS v(id, name) JOIN {CopyLayout.Quote(layout.SensorsTable)} s ON s.id = v.id WHERE s.name <> v.name", cancellationToken).ConfigureAwait(false);
        if (mismatched > 0)
        {
            throw new ConfigException(null, 0, "table",
                $"{options.Name}: {layout.SensorsTable} holds {mismatched} sensor ids with other names than this scenario's sensors; use another table or drop the old tables");
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Interval(TimeSpan span) => Literal($"{(long)span.TotalMilliseconds} milliseconds") + "::interval";

    /// <summary>A value in COPY's text format: backslash, tab and newlines escaped.</summary>
    private static string CopyText(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
