using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Sqlite;

/// <summary>The <c>sqlite</c> sink type: register it with <c>registry.Register(new SqliteSinkProvider())</c>.</summary>
public sealed class SqliteSinkProvider : ISinkProvider
{
    private const string Key = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec DatabasePath = new() { Default = "./iotsim.db", Key = Key + "path (sqlite)", Kind = OptionKind.Text, IsPath = true, MaxLength = 4096, Description = "The database file (created when missing; an existing one is kept and appended to)." };
    public static readonly OptionSpec Table = new() { Default = "sensor_readings (wide), readings (narrow)", Key = Key + "table (sqlite)", Kind = OptionKind.Name, Description = "Table to write." };
    public static readonly OptionSpec Recreate = new() { Default = "false", Key = Key + "recreate", Kind = OptionKind.Boolean, Description = "Delete the database file first (refused for sharded runs, which share the file)." };
    public static readonly OptionSpec RowsPerTransaction = new() { Default = "100000", Key = Key + "rows_per_transaction", Kind = OptionKind.Integer, Min = 1, Max = 1L << 31, Description = "Rows per transaction (all or nothing)." };
    public static readonly OptionSpec Indexes = new() { Default = "end", Noun = "index policy", Key = Key + "indexes", Kind = OptionKind.Choice, Choices = ["end", "during", "none"], Description = "When the indexes on timestamp and on the device column are made: end (when the sink completes, one sort each: the fastest load), during (before the first row, so queries during the run use them) or none." };
    public static readonly OptionSpec BusyTimeout = new() { Default = "60s", Key = Key + "busy_timeout", Kind = OptionKind.Duration, MinDuration = TimeSpan.Zero, MaxDuration = TimeSpan.FromHours(1), Description = "How long a writer waits for another process's transaction on the same file before the write fails and is retried." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "sqlite";

    /// <inheritdoc/>
    public string Description => "A SQLite database: the reference's wide sensor_readings table (with every identity column) or narrow rows; WAL, large transactions, several processes (shards) on one file; a failed transaction is rolled back and retried, nothing twice.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [DatabasePath, Table, Recreate, RowsPerTransaction, Indexes, BusyTimeout];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, []);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        return new SqliteSink(new SqliteSinkOptions
        {
            Name = options.Name ?? Type,
            Path = options.Setting("path") ?? Path.GetFullPath("iotsim.db"),
            Table = options.Setting("table"),
            Recreate = SinkSettings.Boolean(options, context, Recreate) ?? false,
            RowsPerTransaction = SinkSettings.Integer(options, context, RowsPerTransaction) ?? options.BatchSize ?? 100_000,
            BusyTimeout = SinkSettings.Duration(options, context, BusyTimeout) ?? TimeSpan.FromSeconds(60),
            Indexes = SinkSettings.Choice(options, context, Indexes) switch { "during" => SqliteIndexes.During, "none" => SqliteIndexes.None, _ => SqliteIndexes.End },
        });
    }
}
