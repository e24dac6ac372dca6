using System.Globalization;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// Writes CSV or JSON Lines files into a directory, named
/// <c>{name}-{first timestamp, yyyyMMddTHHmmssfffZ}-{shard}of{shards}-{sequence:D4}.{csv|jsonl}[.gz|.lz4]</c>.
/// A file is written as <c>&lt;name&gt;.partial</c> and renamed when complete (on rotation or completion), so a
/// file under its final name is always whole; an aborted run leaves its last file as <c>.partial</c>. Rotation by
/// data time (aligned to the Unix epoch) or by bytes written (after compression), checked between segments; each
/// file has its own header and is a complete gzip or LZ4 frame stream. Delivery: at most once; a batch that failed
/// after touching a file is not written again (the sink refuses further batches). Existing files of the same name
/// are replaced. Allocation-free per batch after warm-up, except when a file is opened.
/// </summary>
public sealed partial class FileSink : IReadingSink
{
    /// <summary>Buffer size of the underlying file stream.</summary>
    public const int FileBufferSize = 1 << 20;

    private readonly EncodingFormat _format;
    private readonly OutputShape _shape;
    private readonly string _prefix;
    private readonly string _extension;
    private readonly Compression _compression;
    private readonly long _rotateEveryMs;
    private readonly long _rotateBytes;
    private readonly int? _chunkReadings;
    private readonly List<string> _files = [];
    private ChunkedStreamWriter? _chunks;
    private OutputFile? _file;
    private Shard _shard = Shard.All;
    private long _nextBoundaryMs = long.MaxValue;
    private int _sequence;
    private bool _faulted;
    private bool _completed;

    /// <summary>A file sink configured by <paramref name="options"/> writing rows of <paramref name="shape"/>.</summary>
    /// <exception cref="ConfigException">The format, rotation or name is invalid.</exception>
    public FileSink(SinkOptions options, OutputShape shape = OutputShape.Narrow)
    {
        ArgumentNullException.ThrowIfNull(options);
        _format = SinkFactory.ParseFormat("file", options.Format, null);
        _shape = shape;
        _prefix = options.Name ?? "readings";
        if (_prefix.Length == 0 || _prefix.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ConfigException(null, 0, "name", $"'{_prefix}' cannot be used as a file name prefix");
        }
        Name = options.Name ?? "file";
        Directory = Path.GetFullPath(options.Path);
        _compression = options.Compression;
        _extension = (_format == EncodingFormat.Csv ? ".csv" : ".jsonl") + _compression switch
        {
            Compression.Gzip => ".gz",
            Compression.Lz4 => ".lz4",
            _ => "",
        };
        if (options.RotateEvery is { } every)
        {
            _rotateEveryMs = (long)every.TotalMilliseconds;
            if (_rotateEveryMs < 1)
            {
                throw new ConfigException(null, 0, "rotation", $"must be at least 1 ms, found {every}");
            }
        }
        if (options.RotateBytes is { } bytes)
        {
            _rotateBytes = bytes;
            if (bytes < 1)
            {
                throw new ConfigException(null, 0, "max_bytes", $"must be at least 1, found {bytes}");
            }
        }
        _chunkReadings = options.BatchSize;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The output directory (full path).</summary>
    public string Directory { get; }

    /// <summary>Full paths of the files completed so far, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        System.IO.Directory.CreateDirectory(Directory);
        _shard = fleet.Scenario.Shard;
        _chunks = new ChunkedStreamWriter(ReadingEncoders.Create(fleet, _format, _shape), _chunkReadings);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_chunks is null || _completed)
        {
            return ValueTask.FromException(new InvalidOperationException($"{Name}: WriteAsync outside OpenAsync..CompleteAsync"));
        }
        if (_faulted)
        {
            return ValueTask.FromException(new InvalidOperationException($"{Name}: an earlier batch was written in part before an error; not writing more"));
        }
        bool touched = false;
        long startBytes = _chunks.BytesOut;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Blocking file I/O on the runner's task: buffered FileStream writes are memory copies, and async file
            // I/O on Unix is the same write on a pool thread with more overhead.
            foreach (BatchSegment segment in batch.Segments)
            {
                if (_file is not null && ShouldRotate(segment.TimestampMs))
                {
                    touched = true;
                    _chunks.FlushTo(_file.Top);
                    CloseFile();
                }
                if (_file is null)
                {
                    touched = true;
                    OpenFile(segment.TimestampMs);
                    _chunks.WriteHeader();
                }
                long before = _chunks.BytesOut;
                _chunks.EncodeSegment(batch, segment, _file!.Top);
                touched |= _chunks.BytesOut != before;
                if (_rotateBytes > 0)
                {
                    // The size check between segments must see this segment's bytes.
                    touched = true;
                    _chunks.FlushTo(_file.Top);
                }
            }
            if (_file is not null && _chunks.Pending > 0)
            {
                touched = true;
                _chunks.FlushTo(_file.Top);
            }
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            // Bytes that reached the file (even from a segment that then threw) make a retry unsafe.
            _faulted |= touched || _chunks.BytesOut != startBytes;
            _chunks.Discard();
            return ValueTask.FromException(ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_faulted)
        {
            return ValueTask.FromException(new InvalidOperationException($"{Name}: cannot complete after a failed write"));
        }
        try
        {
            if (_file is not null)
            {
                _chunks!.FlushTo(_file.Top);
                CloseFile();
            }
            _completed = true;
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            _faulted = true;
            return ValueTask.FromException(ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        // Without completion the current file keeps its .partial name: it may be truncated.
        _file?.Dispose();
        _file = null;
        return ValueTask.CompletedTask;
    }

    private bool ShouldRotate(long timestampMs) =>
        timestampMs >= _nextBoundaryMs || (_rotateBytes > 0 && _file!.BytesWritten >= _rotateBytes);

    private void OpenFile(long timestampMs)
    {
        string stamp = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime
            .ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        string fileName = string.Create(CultureInfo.InvariantCulture,
            $"{_prefix}-{stamp}-{_shard.Index}of{_shard.Count}-{_sequence:D4}{_extension}");
        _file = new OutputFile(Path.Combine(Directory, fileName), _compression);
        _sequence++;
        _nextBoundaryMs = _rotateEveryMs > 0
            ? (Math.DivRem(timestampMs, _rotateEveryMs, out long rem) - (rem < 0 ? 1 : 0) + 1) * _rotateEveryMs
            : long.MaxValue;
    }

    private void CloseFile()
    {
        OutputFile file = _file!;
        _file = null;
        file.Complete();
        _files.Add(file.FinalPath);
    }
}
