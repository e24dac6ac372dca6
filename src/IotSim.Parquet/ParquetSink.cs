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

    /// <summary>File name prefix (default: the name).</summary>
    public string? FilePrefix { get; init; }

    /// <summary>Called once a file has its final name (e.g. to commit it to a table log); the sink's delivered count includes the file only after it returns.</summary>
    internal Func<CompletedFile, CancellationToken, Task>? OnCompleted { get; init; }

    /// <summary>Column compression.</summary>
    public CompressionMethod Compression { get; init; } = CompressionMethod.Snappy;
}

/// <summary>A Parquet file given its final name, with the statistics a table log records.</summary>
internal sealed record CompletedFile(string Path, string? PartitionDate, long Rows, long Readings, long Bytes, DateTime MinTime, DateTime MaxTime, long ValueNulls);

/// <summary>
/// Writes Parquet files: columns gathered from the batches into one row group of <see cref="ParquetSinkOptions.RowGroupRows"/>
/// rows at a time (narrow: time, device_id, sensor, value, anomaly; wide: time, device_id, one column per sensor,
/// anomaly_flag, anomaly_type, anomalies), timestamps as UTC TIMESTAMP(MICROS), device and sensor columns
/// dictionary-encoded, compression at its fastest level. Narrow files are written by the hand-written
/// <see cref="NarrowParquetWriter"/>, wide ones by Parquet.Net. A file is written as <c>.partial</c> and given
/// its final name only once its footer is written, so a crash never leaves a truncated file under a final name.
/// Delivered counts the readings of files under their final names. One writer.
/// </summary>
public sealed class ParquetSink : IReadingSink
{
    private readonly ParquetSinkOptions _options;
    private readonly List<string> _files = [];
    private Fleet? _fleet;
    private Columns? _columns;
    private ParquetSchema? _schema;
    private DataField[] _fields = [];
    private FileStream? _stream;
    private ParquetWriter? _writer;
    private NarrowParquetWriter? _narrow;
    private string? _partial;
    private string? _final;
    private long _fileRows;
    private long _fileReadings;
    private long _fileEndMs = long.MaxValue;
    private long _confirmed;
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
        _columns = new Columns(fleet, _options.RowGroupRows, wide);
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
        Columns columns = _columns ?? throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        columns.Start(batch);
        while (!columns.AtEnd)
        {
            long ts = columns.NextTimestampMs;
            if ((_writer is not null || _narrow is not null) && (ts >= _fileEndMs || (_options.FileRows is { } max && _fileRows >= max)))
            {
                await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
                await CloseFileAsync().ConfigureAwait(false);
            }
            if (_writer is null && _narrow is null) await OpenFileAsync(ts, cancellationToken).ConfigureAwait(false);
            long rowLimit = _options.FileRows is { } limit ? limit - _fileRows - columns.Count : long.MaxValue;
            columns.Fill(_fileEndMs, rowLimit);
            if (columns.Count == _options.RowGroupRows) await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
            else if (_options.FileRows is { } m && _fileRows + columns.Count >= m) await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        await CloseFileAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // A file not completed stays .partial: its rows are not delivered.
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        if (_stream is not null) await _stream.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        _narrow = null;
        _stream = null;
    }

    private async Task OpenFileAsync(long timestampMs, CancellationToken cancellationToken)
    {
        Fleet fleet = _fleet!;
        var time = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        string folder = _options.Path;
        long end = long.MaxValue;
        if (_options.PartitionByDate)
        {
            folder = System.IO.Path.Combine(folder, "date=" + time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            end = Math.Min(end, (timestampMs / 86_400_000 + 1) * 86_400_000);
        }
        if (_options.Rotation is { } rotation)
        {
            long span = (long)rotation.TotalMilliseconds;
            end = Math.Min(end, (Math.DivRem(timestampMs, span, out long r) - (r < 0 ? 1 : 0) + 1) * span);
        }
        _fileEndMs = end;
        Shard shard = fleet.Scenario.Shard;
        _final = System.IO.Path.Combine(folder, $"{_options.FilePrefix ?? _options.Name}-{time:yyyyMMdd'T'HHmmssfff'Z'}-{shard.Index}of{shard.Count}-{_sequence++:D4}.parquet");
        _partition = _options.PartitionByDate ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        _partial = _final + ".partial";
        _stream = new FileStream(_partial, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 20);
        var options = new ParquetOptions { CompressionMethod = _options.Compression, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest };
        var metadata = new Dictionary<string, string>
        {
            ["iotsim.seed"] = fleet.Scenario.Seed.ToString(CultureInfo.InvariantCulture),
            ["iotsim.shard"] = $"{shard.Index}/{shard.Count}",
        };
        if (Wide)
        {
            _writer = await ParquetWriter.CreateAsync(_schema!, _stream, options, append: false, cancellationToken).ConfigureAwait(false);
            _writer.CustomMetadata = metadata;
        }
        else
        {
            _narrow = new NarrowParquetWriter(_stream, _options.Compression, metadata);
        }
        _fileRows = 0;
        _fileReadings = 0;
        _minTime = DateTime.MaxValue;
        _maxTime = DateTime.MinValue;
        _valueNulls = 0;
    }

    private string? _partition;
    private DateTime _minTime;
    private DateTime _maxTime;
    private long _valueNulls;

    private async Task FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        Columns columns = _columns!;
        if (columns.Count == 0 || (_writer is null && _narrow is null)) return;
        (DateTime min, DateTime max, long nulls) stats;
        if (_narrow is not null)
        {
            stats = columns.WriteNarrow(_narrow);
        }
        else
        {
            stats = columns.Stats();
            using ParquetRowGroupWriter group = _writer!.CreateRowGroup();
            await columns.WriteAsync(group, _fields, cancellationToken).ConfigureAwait(false);
        }
        _minTime = stats.min < _minTime ? stats.min : _minTime;
        _maxTime = stats.max > _maxTime ? stats.max : _maxTime;
        _valueNulls += stats.nulls;
        _fileRows += columns.Count;
        _fileReadings += columns.Readings;
        columns.Clear();
    }

    private async Task CloseFileAsync()
    {
        if (_writer is null && _narrow is null) return;
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        _narrow?.Close();
        _writer = null;
        _narrow = null;
        await _stream!.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        if (_fileRows == 0)
        {
            File.Delete(_partial!);
            return;
        }
        File.Move(_partial!, _final!, overwrite: false);
        _files.Add(_final!);
        if (_options.OnCompleted is { } completed)
        {
            await completed(new CompletedFile(_final!, _partition, _fileRows, _fileReadings, new FileInfo(_final!).Length, _minTime, _maxTime, _valueNulls), CancellationToken.None).ConfigureAwait(false);
        }
        Interlocked.Add(ref _confirmed, _fileReadings);
    }
}
