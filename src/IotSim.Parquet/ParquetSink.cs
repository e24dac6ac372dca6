using System.Globalization;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using Parquet;
using Parquet.Schema;

namespace IotSim.Parquet;

/// <summary>Settings of a <see cref="ParquetSink"/>.</summary>
public sealed record ParquetSinkOptions
{
    /// <summary>Name in reports and the file name prefix.</summary>
    public string Name { get; init; } = "parquet";

    /// <summary>Output folder.</summary>
    public required string Path { get; init; }

    /// <summary>Rows per row group.</summary>
    public int RowGroupRows { get; init; } = 500_000;

    /// <summary>Rows per file before a new one starts (null: no limit).</summary>
    public long? FileRows { get; init; }

    /// <summary>Start a new file every span of data time (null: no time rotation).</summary>
    public TimeSpan? Rotation { get; init; }

    /// <summary>Hive-style <c>date=YYYY-MM-DD/</c> folders (a new file at each UTC midnight of data time).</summary>
    public bool PartitionByDate { get; init; }

    /// <summary>
    /// Hive-style <c>industry=NAME/</c> folders (outside the date folders when both are on): each reading goes to its
    /// sensor's industry, with one open file per industry. Wide rows hold all of a device's sensors, so a wide fleet of
    /// several industries cannot be split so; it is refused when the sink opens.
    /// </summary>
    public bool PartitionByIndustry { get; init; }

    /// <summary>File name prefix (default: the name).</summary>
    public string? FilePrefix { get; init; }

    /// <summary>
    /// Called with the files given their final names by one write (one per partition at most, e.g. at a rotation), to
    /// commit them to a table log together; the sink's delivered count includes the files only after it returns.
    /// </summary>
    internal Func<IReadOnlyList<CompletedFile>, CancellationToken, Task>? OnCompleted { get; init; }

    /// <summary>Column compression.</summary>
    public CompressionMethod Compression { get; init; } = CompressionMethod.Snappy;

    /// <summary>The partition_by setting these options stand for: none, date, industry or industry,date.</summary>
    internal string PartitionBy => (PartitionByIndustry, PartitionByDate) switch
    {
        (true, true) => "industry,date",
        (true, false) => "industry",
        (false, true) => "date",
        _ => "none",
    };
}

/// <summary>A Parquet file given its final name, with the statistics a table log records.</summary>
internal sealed record CompletedFile(string Path, string? PartitionIndustry, string? PartitionDate, long Rows, long Readings, long Bytes, DateTime MinTime, DateTime MaxTime, long ValueNulls);

/// <summary>
/// Writes Parquet files: columns gathered from the batches into one row group of <see cref="ParquetSinkOptions.RowGroupRows"/>
/// rows at a time (narrow: time, device_id, sensor, value, anomaly; wide: time, device_id, one column per sensor,
/// anomaly_flag, anomaly_type, anomalies), timestamps as UTC TIMESTAMP(MICROS), device and sensor columns
/// dictionary-encoded, compression at its fastest level. Narrow files are written by the hand-written
/// <see cref="NarrowParquetWriter"/>, wide ones by Parquet.Net. A file is written as <c>.partial</c> and given
/// its final name only once its footer is written, so a crash never leaves a truncated file under a final name.
/// With industry partitions, each industry has its own open file and row group. Delivered counts the readings of
/// files under their final names. One writer.
/// </summary>
public sealed class ParquetSink : IReadingSink, ISinkStatistics
{
    private readonly ParquetSinkOptions _options;
    private readonly List<string> _files = [];
    private readonly List<CompletedFile> _completed = [];
    private Fleet? _fleet;
    private Partition[] _partitions = [];
    private ParquetSchema? _schema;
    private DataField[] _fields = [];
    private long _confirmed;
    private long _closedRows;
    private int _sequence;

    /// <summary>A sink with <paramref name="options"/>.</summary>
    public ParquetSink(ParquetSinkOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <summary>The sink's settings.</summary>
    public ParquetSinkOptions Options => _options;

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _confirmed);

    /// <inheritdoc/>
    public string? Location => $"{_options.Path}: {_files.Count} file(s) complete ({ConfirmedReadings:N0} readings)";

    /// <summary>The output folder, the completed files and their size on disk now.</summary>
    public ValueTask<IReadOnlyDictionary<string, object>> StatisticsAsync(CancellationToken cancellationToken)
    {
        string[] files;
        lock (_files) files = [.. _files];
        return ValueTask.FromResult(FileStatistics.Of(_options.Path, files));
    }

    /// <summary>Whether the files hold wide rows (known once open).</summary>
    internal bool Wide { get; private set; }

    /// <summary>The completed files, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        _fleet = fleet ?? throw new ArgumentNullException(nameof(fleet));
        bool wide = fleet.Scenario.Shape == OutputShape.Wide;
        Wide = wide;
        string[] industries = [.. fleet.Sensors.Select(s => s.Industry).Distinct(StringComparer.Ordinal)];
        if (_options.PartitionByIndustry && wide && industries.Length > 1)
        {
            throw new ConfigException(null, 0, "partition_by",
                $"{Name}: a wide row holds all of a device's sensors, which here belong to {industries.Length} industries ({string.Join(", ", industries)}); " +
                "industry partitions need narrow rows (output.shape: narrow), or one industry per scenario");
        }
        var fields = new List<DataField>
        {
            new DateTimeDataField("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
            new DataField<string>("device_id", nullable: false),
        };
        if (wide)
        {
            fields.AddRange(fleet.Sensors.Select(s => new DataField<float?>(s.Name)));
            fields.Add(new DataField<bool>("anomaly_flag"));
            fields.Add(new DataField<string>("anomaly_type", nullable: true));
            fields.Add(new DataField<string>("anomalies", nullable: true));
        }
        else
        {
            fields.Add(new DataField<string>("sensor", nullable: false));
            fields.Add(new DataField<float?>("value"));
            fields.Add(new DataField<string>("anomaly", nullable: true));
        }
        _fields = [.. fields];
        _schema = new ParquetSchema(fields.Cast<Field>().ToArray());
        _partitions = _options.PartitionByIndustry
            ? [.. industries.Select(industry => new Partition(industry, new Columns(fleet, _options.RowGroupRows, wide, [.. fleet.Sensors.Select(s => s.Industry == industry)])))]
            : [new Partition(null, new Columns(fleet, _options.RowGroupRows, wide, null))];
        try
        {
            Directory.CreateDirectory(_options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(null, 0, "path", $"{Name}: cannot create the folder {_options.Path}: {e.Message}");
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_fleet is null) throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        long before = Gathered();
        try
        {
            foreach (Partition partition in _partitions) await WriteAsync(partition, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not PermanentSinkException && Gathered() != before)
        {
            // Part of the batch is already in row groups or files: a retry would write that part twice.
            throw new PermanentSinkException($"{Name}: writing failed after part of a batch was written ({e.Message}); not retried, so no reading is written twice", e);
        }
        finally
        {
            // Files completed before a failure are whole: they are committed and counted all the same.
            await ConfirmAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(Partition p, ReadingBatch batch, CancellationToken cancellationToken)
    {
        Columns columns = p.Columns;
        columns.Start(batch);
        while (!columns.AtEnd)
        {
            long ts = columns.NextTimestampMs;
            if (p.IsOpen && (ts >= p.FileEndMs || (_options.FileRows is { } max && p.FileRows >= max)))
            {
                await FlushRowGroupAsync(p, cancellationToken).ConfigureAwait(false);
                await CloseFileAsync(p).ConfigureAwait(false);
            }
            if (!p.IsOpen) await OpenFileAsync(p, ts, cancellationToken).ConfigureAwait(false);
            long rowLimit = _options.FileRows is { } limit ? limit - p.FileRows - columns.Count : long.MaxValue;
            columns.Fill(p.FileEndMs, rowLimit);
            if (columns.Count == _options.RowGroupRows) await FlushRowGroupAsync(p, cancellationToken).ConfigureAwait(false);
            else if (_options.FileRows is { } m && p.FileRows + columns.Count >= m) await FlushRowGroupAsync(p, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rows taken so far: in completed row groups of open files, gathered for the next ones, and in completed files.</summary>
    private long Gathered()
    {
        long rows = _closedRows;
        foreach (Partition p in _partitions) rows += p.FileRows + p.Columns.Count;
        return rows;
    }

    /// <inheritdoc/>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (Partition partition in _partitions) await FlushRowGroupAsync(partition, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (Partition partition in _partitions)
            {
                await FlushRowGroupAsync(partition, cancellationToken).ConfigureAwait(false);
                await CloseFileAsync(partition).ConfigureAwait(false);
            }
        }
        finally
        {
            await ConfirmAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // A file not completed stays .partial: its rows are not delivered.
        foreach (Partition p in _partitions)
        {
            if (p.Writer is not null) await p.Writer.DisposeAsync().ConfigureAwait(false);
            if (p.Stream is not null) await p.Stream.DisposeAsync().ConfigureAwait(false);
            p.Writer = null;
            p.Narrow = null;
            p.Stream = null;
        }
    }

    private async Task OpenFileAsync(Partition p, long timestampMs, CancellationToken cancellationToken)
    {
        Fleet fleet = _fleet!;
        var time = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        string folder = _options.Path;
        long end = long.MaxValue;
        if (p.Industry is { } industry) folder = System.IO.Path.Combine(folder, "industry=" + HiveEscape(industry));
        p.Date = null;
        if (_options.PartitionByDate)
        {
            p.Date = time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            folder = System.IO.Path.Combine(folder, "date=" + p.Date);
            end = Math.Min(end, (timestampMs / 86_400_000 + 1) * 86_400_000);
        }
        if (folder != _options.Path) Directory.CreateDirectory(folder);
        if (_options.Rotation is { } rotation)
        {
            long span = (long)rotation.TotalMilliseconds;
            end = Math.Min(end, (Math.DivRem(timestampMs, span, out long r) - (r < 0 ? 1 : 0) + 1) * span);
        }
        p.FileEndMs = end;
        Shard shard = fleet.Scenario.Shard;
        p.Final = System.IO.Path.Combine(folder, $"{_options.FilePrefix ?? _options.Name}-{time:yyyyMMdd'T'HHmmssfff'Z'}-{shard.Index}of{shard.Count}-{_sequence++:D4}.parquet");
        p.Partial = p.Final + ".partial";
        p.Stream = new FileStream(p.Partial, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 20);
        var options = new ParquetOptions { CompressionMethod = _options.Compression, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        var metadata = new Dictionary<string, string>
        {
            ["iotsim.seed"] = fleet.Scenario.Seed.ToString(CultureInfo.InvariantCulture),
            ["iotsim.shard"] = $"{shard.Index}/{shard.Count}",
        };
        if (Wide)
        {
            p.Writer = await ParquetWriter.CreateAsync(_schema!, p.Stream, options, append: false, cancellationToken).ConfigureAwait(false);
            p.Writer.CustomMetadata = metadata;
        }
        else
        {
            p.Narrow = new NarrowParquetWriter(p.Stream, _options.Compression, metadata);
        }
        p.FileRows = 0;
        p.FileReadings = 0;
        p.MinTime = DateTime.MaxValue;
        p.MaxTime = DateTime.MinValue;
        p.ValueNulls = 0;
    }

    /// <summary>Hive's escaping of a partition value in a folder name: characters other than letters, digits, '_', '-' and '.' as %XX.</summary>
    internal static string HiveEscape(string value)
    {
        var b = new System.Text.StringBuilder(value.Length);
        foreach (byte c in System.Text.Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)c) || c is (byte)'_' or (byte)'-' or (byte)'.') b.Append((char)c);
            else b.Append('%').Append(c.ToString("X2", CultureInfo.InvariantCulture));
        }
        return b.ToString();
    }

    private async Task FlushRowGroupAsync(Partition p, CancellationToken cancellationToken)
    {
        Columns columns = p.Columns;
        if (columns.Count == 0 || !p.IsOpen) return;
        (DateTime min, DateTime max, long nulls) stats;
        if (p.Narrow is not null)
        {
            stats = columns.WriteNarrow(p.Narrow);
        }
        else
        {
            stats = columns.Stats();
            using ParquetRowGroupWriter group = p.Writer!.CreateRowGroup();
            await columns.WriteAsync(group, _fields, cancellationToken).ConfigureAwait(false);
        }
        p.MinTime = stats.min < p.MinTime ? stats.min : p.MinTime;
        p.MaxTime = stats.max > p.MaxTime ? stats.max : p.MaxTime;
        p.ValueNulls += stats.nulls;
        p.FileRows += columns.Count;
        p.FileReadings += columns.Readings;
        columns.Clear();
    }

    private async Task CloseFileAsync(Partition p)
    {
        if (!p.IsOpen) return;
        if (p.Writer is not null) await p.Writer.DisposeAsync().ConfigureAwait(false);
        p.Narrow?.Close();
        p.Writer = null;
        p.Narrow = null;
        await p.Stream!.FlushAsync().ConfigureAwait(false);
        await p.Stream.DisposeAsync().ConfigureAwait(false);
        p.Stream = null;
        if (p.FileRows == 0)
        {
            File.Delete(p.Partial!);
            return;
        }
        _closedRows += p.FileRows;
        File.Move(p.Partial!, p.Final!, overwrite: false);
        lock (_files) _files.Add(p.Final!);
        _completed.Add(new CompletedFile(p.Final!, p.Industry, p.Date, p.FileRows, p.FileReadings, new FileInfo(p.Final!).Length, p.MinTime, p.MaxTime, p.ValueNulls));
        p.FileRows = 0;
    }

    /// <summary>Hands the files completed since the last call to <see cref="ParquetSinkOptions.OnCompleted"/> together, then counts them delivered.</summary>
    private async Task ConfirmAsync()
    {
        if (_completed.Count == 0) return;
        if (_options.OnCompleted is { } completed) await completed(_completed, CancellationToken.None).ConfigureAwait(false);
        Interlocked.Add(ref _confirmed, _completed.Sum(f => f.Readings));
        _completed.Clear();
    }

    /// <summary>One partition's open file and the row group being gathered for it.</summary>
    private sealed class Partition(string? industry, Columns columns)
    {
        /// <summary>The industry of its readings (null: not partitioned by industry).</summary>
        public string? Industry { get; } = industry;

        public Columns Columns { get; } = columns;

        public FileStream? Stream;
        public ParquetWriter? Writer;
        public NarrowParquetWriter? Narrow;
        public string? Partial;
        public string? Final;
        public string? Date;
        public long FileRows;
        public long FileReadings;
        public long FileEndMs = long.MaxValue;
        public DateTime MinTime;
        public DateTime MaxTime;
        public long ValueNulls;

        public bool IsOpen => Writer is not null || Narrow is not null;
    }
}
