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
/// after touching a file is not written again (the sink refuses further batches). Delivered readings are those in
/// files that got their final name, plus those in complete rows of an uncompressed file left <c>.partial</c> by a
/// failure or an interruption (cut back to the last whole batch, and named in <see cref="Location"/>). Existing
/// files of the same name are replaced. Allocation-free per batch after warm-up, except when a file is opened.
/// </summary>
public sealed partial class FileSink : IReadingSink, ISinkStatistics
{
    /// <summary>Buffer size of the underlying file stream.</summary>
    public const int FileBufferSize = 1 << 20;

    private readonly EncodingFormat _format;
    private readonly OutputShape? _shape;
    private readonly string _prefix;
    private readonly string _extension;
    private readonly Compression _compression;
    private readonly long _rotateEveryMs;
    private readonly long _rotateBytes;
    private readonly int? _chunkReadings;
    private readonly List<string> _files = [];
    private readonly List<long> _fileReadings = [];
    private long _confirmed;
    private long _inFile;
    private long _durableBytes;
    private long _durableReadings;
    private string? _partialNote;
    private int _missingFiles;
    private ChunkedStreamWriter? _chunks;
    private OutputFile? _file;
    private Shard _shard = Shard.All;
    private long _nextBoundaryMs = long.MaxValue;
    private int _sequence;
    private bool _faulted;
    private bool _completed;

    /// <summary>A file sink configured by <paramref name="options"/> writing rows of <paramref name="shape"/>.</summary>
    /// <exception cref="ConfigException">The format, rotation or name is invalid.</exception>
    public FileSink(FileSinkOptions options, OutputShape? shape = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _format = options.Format.ToLowerInvariant() switch
        {
            "csv" => EncodingFormat.Csv,
            "jsonl" => EncodingFormat.JsonLines,
            "line" => EncodingFormat.Line,
            _ => throw new ConfigException(null, 0, "format", OptionSpecs.FileFormat.ParseChoice(options.Format, out _)!),
        };
        _shape = shape;
        _prefix = options.Name ?? "readings";
        if (_prefix.Length == 0 || _prefix.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ConfigException(null, 0, "name", $"'{_prefix}' cannot be used as a file name prefix");
        }
        Name = options.Name ?? "file";
        Directory = Path.GetFullPath(options.Path);
        _compression = options.Compression;
        _extension = _format switch { EncodingFormat.Csv => ".csv", EncodingFormat.Line => ".lp", _ => ".jsonl" } + _compression switch
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
        if (CheckTarget(Directory) is { } problem)
        {
            throw new IOException($"{Name}: {problem}");
        }
        System.IO.Directory.CreateDirectory(Directory);
        _shard = fleet.Scenario.Shard;
        _chunks = new ChunkedStreamWriter(ReadingEncoders.Create(fleet, _format, _shape ?? fleet.Scenario.Shape), _chunkReadings);
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
            return ValueTask.FromException(new SinkFaultedException($"{Name}: an earlier batch was written in part before an error; not writing more (a retry would duplicate rows)"));
        }
        bool touched = false;
        long startBytes = _chunks.BytesOut;
        bool perSegment = _rotateEveryMs > 0 || _rotateBytes > 0;
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
                if (perSegment)
                {
                    // Only with rotation can one batch span files, so only then are readings counted per segment.
                    _inFile += Present(batch, segment);
                }
                if (_rotateBytes > 0)
                {
                    // The size check between segments must see this segment's bytes.
                    touched = true;
                    _chunks.FlushTo(_file.Top);
                }
            }
            if (!perSegment)
            {
                _inFile += batch.Readings;
            }
            if (_file is not null)
            {
                touched |= _chunks.Pending > 0;
                _chunks.FlushTo(_file.Top);
                if (!_file.Compressed)
                {
                    // A whole batch is now with the operating system: if a later write fails, the file is cut back here.
                    _durableBytes = _file.FlushToSystem();
                    _durableReadings = _inFile;
                }
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

    /// <summary>Readings of <paramref name="segment"/> that are present (not omitted by a missing-data anomaly).</summary>
    private static int Present(ReadingBatch batch, in BatchSegment segment)
    {
        int present = 0;
        foreach (byte flag in batch.Flags.AsSpan(segment.Offset, segment.ChannelCount))
        {
            present += flag < Kernels.SensorKernel.OmittedFlag ? 1 : 0;
        }
        return present;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_faulted)
        {
            return ValueTask.FromException(new SinkFaultedException($"{Name}: cannot complete after a failed write"));
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
    public long? ConfirmedReadings => Interlocked.Read(ref _confirmed);

    /// <summary>The output folder, the completed files and their size on disk now.</summary>
    public ValueTask<IReadOnlyDictionary<string, object>> StatisticsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(FileStatistics.Of(Directory, Snapshot(_files)));

    /// <summary>A copy of <paramref name="files"/>, which the writer appends to under its lock.</summary>
    internal static string[] Snapshot(List<string> files)
    {
        lock (files) return [.. files];
    }

    /// <inheritdoc/>
    public string? Location
    {
        get
        {
            long complete = 0;
            foreach (long r in _fileReadings) complete += r;
            string text = $"{Directory}: {_files.Count - _missingFiles} file(s) complete ({complete:N0} readings)";
            if (_missingFiles > 0) text += $"; {_missingFiles} completed file(s) were gone at the end of the run (folder deleted?)";
            return _partialNote is null ? text : text + "; " + _partialNote;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_file is { } file)
        {
            // Not completed: the current file keeps its .partial name.
            _file = null;
            file.Dispose();
            KeepPartial(file);
        }
        CheckCompletedFiles();
        return ValueTask.CompletedTask;
    }

    // An uncompressed partial file is cut back to the last whole batch and its rows are reported as delivered (they are
    // complete and durable, under the .partial name); a compressed one cannot be cut to a row boundary, so its rows
    // count as failed.
    private void KeepPartial(OutputFile file)
    {
        string name = Path.GetFileName(file.PartialPath);
        try
        {
            if (file.Compressed)
            {
                _partialNote = File.Exists(file.PartialPath)
                    ? $"{name} is incomplete (a cut compressed stream); its readings are counted as failed"
                    : null;
                return;
            }
            if (_durableReadings == 0)
            {
                File.Delete(file.PartialPath);
                return;
            }
            using (var stream = new FileStream(file.PartialPath, FileMode.Open, FileAccess.Write, FileShare.Read))
            {
                stream.SetLength(_durableBytes);
            }
            Interlocked.Add(ref _confirmed, _durableReadings);
            _partialNote = $"{name} holds {_durableReadings:N0} readings in complete rows (the run ended before the file was finished)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _partialNote = $"{name} could not be cut back to its last whole batch ({ex.Message}); its readings are counted as failed";
        }
    }

    private void CheckCompletedFiles()
    {
        int missing = 0;
        for (int i = 0; i < _files.Count; i++)
        {
            if (!File.Exists(_files[i]))
            {
                missing++;
                Interlocked.Add(ref _confirmed, -_fileReadings[i]);
                _fileReadings[i] = 0;
            }
        }
        _missingFiles = missing;
    }

    /// <summary>
    /// Checks before a run that <paramref name="directory"/> exists or can be created and that files can be written in
    /// it; returns the problem, or null. Leaves nothing behind.
    /// </summary>
    public static string? CheckTarget(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string? existing;
        try
        {
            existing = Path.GetFullPath(directory);
        }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException)
        {
            return $"'{Util.Excerpt.Of(directory)}' is not a valid folder path: {ex.Message}";
        }
        while (existing is not null && !System.IO.Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"'{existing}' is a file, so the output folder '{Path.GetFullPath(directory)}' cannot be created";
            }
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null)
        {
            return $"no part of '{Path.GetFullPath(directory)}' exists";
        }
        string probe = Path.Combine(existing, $".iotsim-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write in '{existing}': {ex.Message}";
        }
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
        try
        {
            file.Complete();
        }
        catch
        {
            // Like a run that ends early: the file keeps its .partial name, cut back to its last whole batch.
            file.Dispose();
            KeepPartial(file);
            _inFile = 0;
            _durableBytes = 0;
            _durableReadings = 0;
            throw;
        }
        lock (_files) _files.Add(file.FinalPath);
        _fileReadings.Add(_inFile);
        Interlocked.Add(ref _confirmed, _inFile);
        _inFile = 0;
        _durableBytes = 0;
        _durableReadings = 0;
    }
}
