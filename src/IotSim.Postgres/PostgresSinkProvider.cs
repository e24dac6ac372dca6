using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Postgres;

/// <summary>The <c>postgres</c> sink type: register it with <c>registry.Register(new PostgresSinkProvider())</c>.</summary>
public sealed class PostgresSinkProvider : ISinkProvider
{
    private const string Key = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec Connection = new() { Key = Key + "connection", Kind = OptionKind.Text, MaxLength = 4096, Description = "Npgsql connection string, e.g. 'Host=db;Username=iotsim;Password=${PGPASSWORD};Database=iot' (${NAME} reads an environment variable; TLS options such as 'SSL Mode=Require' pass through). Never printed." };
    public static readonly OptionSpec Table = new() { Default = "readings", Key = Key + "table", Kind = OptionKind.Name, Description = "Readings table; with dimensions, also {table}_devices and {table}_sensors." };
    public static readonly OptionSpec CreateTable = new() { Default = "true", Key = Key + "create_table", Kind = OptionKind.Boolean, Description = "Create missing tables (a hypertable on time when the timescaledb extension is installed); with false they must exist. Existing tables are checked against the expected columns before anything is written." };
    public static readonly OptionSpec Dimensions = new() { Default = "false", Key = Key + "dimensions", Kind = OptionKind.Boolean, Description = "Devices and sensors as integer ids (device_id integer, sensor_id smallint) into {table}_devices (with every identity field) and {table}_sensors, filled at start; else as text." };
    public static readonly OptionSpec ValueType = new() { Default = "real", Noun = "value type", Key = Key + "value_type", Kind = OptionKind.Choice, Choices = ["real", "double"], Description = "SQL type of values: real (float4) or double (double precision)." };
    public static readonly OptionSpec RowsPerCopy = new() { Default = "the sink's batch_size, else 1000000", Key = Key + "rows_per_copy", Kind = OptionKind.Integer, Min = 1, Max = 1L << 31, Description = "Rows per COPY; one COPY is one transaction (all or nothing)." };
    public static readonly OptionSpec ChunkInterval = new() { Default = "1d", Key = Key + "chunk_interval", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMinutes(1), MaxDuration = TimeSpan.FromDays(3660), Description = "TimescaleDB: chunk interval of the hypertable created with create_table." };
    public static readonly OptionSpec CompressAfter = new() { Key = Key + "compress_after", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMinutes(1), MaxDuration = TimeSpan.FromDays(3660), Description = "TimescaleDB: enable compression (segmented by device_id) and compress chunks older than this." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "postgres";

    /// <inheritdoc/>
    public string Description => "PostgreSQL / TimescaleDB by binary COPY (narrow, wide, or with devices/sensors dimension tables); each COPY is one transaction, a failed one is retried whole, nothing twice; parallel connections.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [Connection, Table, CreateTable, Dimensions, ValueType, RowsPerCopy, ChunkInterval, CompressAfter];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: false, ParallelWriters: true, []);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        string connection = SinkSettings.Secret(options, context, Connection)
            ?? throw context.Error(options, "connection", "a postgres sink needs a connection string, e.g. connection: \"Host=localhost;Username=postgres;Password=${PGPASSWORD};Database=postgres\"");
        return new PostgresSink(new PostgresSinkOptions
        {
            Name = options.Name ?? Type,
            ConnectionString = connection,
            Table = options.Setting("table") ?? "readings",
            CreateTable = SinkSettings.Boolean(options, context, CreateTable) ?? true,
            Dimensions = SinkSettings.Boolean(options, context, Dimensions) ?? false,
            DoubleValues = SinkSettings.Choice(options, context, ValueType) == "double",
            RowsPerCopy = SinkSettings.Integer(options, context, RowsPerCopy) ?? options.BatchSize ?? 1_000_000,
            ChunkInterval = SinkSettings.Duration(options, context, ChunkInterval) ?? TimeSpan.FromDays(1),
            CompressAfter = SinkSettings.Duration(options, context, CompressAfter),
        });
    }
}
