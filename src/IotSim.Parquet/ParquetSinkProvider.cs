using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;
using Parquet;

namespace IotSim.Parquet;

/// <summary>The <c>parquet</c> sink type: register it with <c>registry.Register(new ParquetSinkProvider())</c>.</summary>
public sealed class ParquetSinkProvider : ISinkProvider
{
    private const string Key = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec Folder = new() { Default = "./output", Key = Key + "path (parquet)", Kind = OptionKind.Text, IsPath = true, MaxLength = 4096, Description = "Output folder of the Parquet files." };
    public static readonly OptionSpec RowGroupRows = new() { Default = "500000", Key = Key + "row_group_rows", Kind = OptionKind.Integer, Min = 1000, Max = 100_000_000, Description = "Rows per row group." };
    public static readonly OptionSpec FileRows = new() { Key = Key + "file_rows", Kind = OptionKind.Integer, Min = 1000, Max = 1L << 40, Description = "Start a new file after this many rows." };
    public static readonly OptionSpec Rotation = new() { Key = Key + "rotation (parquet)", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromDays(366), Description = "Start a new file every span of data time." };
    public static readonly OptionSpec PartitionBy = new() { Default = "none", Noun = "partitioning", Key = Key + "partition_by", Kind = OptionKind.Choice, Choices = ["none", "date", "industry", "industry,date"], Description = "Hive-style folders. date: date=YYYY-MM-DD/, a new file at each UTC midnight of data time; industry: industry=NAME/, each reading in its sensor's industry, one open file per industry (narrow rows, or wide rows of one industry); industry,date: industry=NAME/date=YYYY-MM-DD/." };
    public static readonly OptionSpec Compression = new() { Default = "snappy", Noun = "compression", Key = Key + "compression (parquet)", Kind = OptionKind.Choice, Choices = ["snappy", "zstd", "lz4", "gzip", "none"], Description = "Column compression, at its fastest level." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "parquet";

    /// <inheritdoc/>
    public string Description => "Parquet files (narrow or wide columns, UTC TIMESTAMP(MICROS), dictionary-encoded device and sensor, snappy by default); a file appears under its final name only when its footer is written.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [Folder, RowGroupRows, FileRows, Rotation, PartitionBy, Compression];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, []);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        return new ParquetSink(new ParquetSinkOptions
        {
            Name = options.Name ?? Type,
            Path = options.Setting("path") ?? Path.GetFullPath("output"),
            RowGroupRows = (int)(SinkSettings.Integer(options, context, RowGroupRows) ?? 500_000),
            FileRows = SinkSettings.Integer(options, context, FileRows),
            Rotation = SinkSettings.Duration(options, context, Rotation),
            PartitionByDate = SinkSettings.Choice(options, context, PartitionBy) is "date" or "industry,date",
            PartitionByIndustry = SinkSettings.Choice(options, context, PartitionBy) is "industry" or "industry,date",
            Compression = SinkSettings.Choice(options, context, Compression) switch
            {
                "zstd" => CompressionMethod.Zstd,
                "lz4" => CompressionMethod.Lz4Raw,
                "gzip" => CompressionMethod.Gzip,
                "none" => CompressionMethod.None,
                _ => CompressionMethod.Snappy,
            },
        });
    }
}

/// <summary>The <c>delta</c> sink type: a Delta Lake table of Parquet files (the parquet sink's keys).</summary>
public sealed class DeltaSinkProvider : ISinkProvider
{
    /// <inheritdoc/>
    public string Type => "delta";

    /// <inheritdoc/>
    public string Description => "A Delta Lake table: Parquet files committed to _delta_log as they complete (add actions with statistics), optimistic commits so several shards append to one table; optional industry and date partitions.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options => new ParquetSinkProvider().Options;

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, []);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        var parquet = (ParquetSink)new ParquetSinkProvider().Create(options, context);
        return new DeltaSink(parquet.Options with { Name = options.Name ?? Type });
    }
}
