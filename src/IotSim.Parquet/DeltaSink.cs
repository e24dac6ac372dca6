using System.Globalization;
using System.Text;
using System.Text.Json;
using IotSim.Core;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Parquet;

/// <summary>
/// Appends to a Delta Lake table: the Parquet files of a <see cref="ParquetSink"/> in the table folder, each committed
/// once complete as <c>_delta_log/NNNNNNNNNNNNNNNNNNNN.json</c> with an <c>add</c> action (size, partition values and
/// statistics: numRecords, min/max time, null counts). The first writer creates version 0 (protocol and metaData);
/// later writers check that the table's schema and partitioning are theirs. Commits are optimistic: a version file is
/// created only if it does not exist (a hard link, atomic on POSIX), and a writer that loses the race retries at the
/// next version, so several shards can append to one table. Delivered counts the readings of committed files.
/// </summary>
public sealed partial class DeltaSink : IReadingSink
{
    private readonly ParquetSinkOptions _options;
    private readonly ParquetSink _parquet;
    private string _schemaString = "";
    private string[] _partitionColumns = [];
    private long _committed;

    /// <summary>A sink writing the table at <see cref="ParquetSinkOptions.Path"/> with the file settings of <paramref name="options"/>.</summary>
    public DeltaSink(ParquetSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _parquet = new ParquetSink(options with { FilePrefix = "part-" + Guid.NewGuid().ToString("N")[..12], OnCompleted = CommitAsync });
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <summary>The table's log folder.</summary>
    public string LogPath => Path.Combine(_options.Path, "_delta_log");

    /// <summary>Versions this sink committed, in order.</summary>
    public IReadOnlyList<long> Versions => _versions;

    private readonly List<long> _versions = [];

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _committed);

    /// <inheritdoc/>
    public string? Location => $"{_options.Path}: Delta table, {_versions.Count} commit(s) by this run ({ConfirmedReadings:N0} readings)";

    /// <inheritdoc/>
    public async ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        await _parquet.OpenAsync(fleet, cancellationToken).ConfigureAwait(false);
        _partitionColumns = [.. new[] { _options.PartitionByIndustry ? "industry" : null, _options.PartitionByDate ? "date" : null }.OfType<string>()];
        _schemaString = SchemaString(fleet);
        Directory.CreateDirectory(LogPath);
        string first = VersionPath(0);
        if (!File.Exists(first))
        {
            string created = Line(w =>
            {
                w.WriteStartObject("protocol");
                w.WriteNumber("minReaderVersion", 1);
                w.WriteNumber("minWriterVersion", 2);
                w.WriteEndObject();
            }) + Line(w =>
            {
                w.WriteStartObject("metaData");
                w.WriteString("id", Guid.NewGuid().ToString());
                w.WriteStartObject("format");
                w.WriteString("provider", "parquet");
                w.WriteStartObject("options");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteString("schemaString", _schemaString);
                w.WriteStartArray("partitionColumns");
                foreach (string c in _partitionColumns) w.WriteStringValue(c);
                w.WriteEndArray();
                w.WriteStartObject("configuration");
                w.WriteEndObject();
                w.WriteNumber("createdTime", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                w.WriteEndObject();
            }) + CommitInfo("CREATE TABLE");
            // Another shard may create it at the same moment: then its version 0 is checked like any existing table.
            TryCommit(0, created);
        }
        CheckTable(first);
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken) => _parquet.WriteAsync(batch, cancellationToken);

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _parquet.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => _parquet.CompleteAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _parquet.DisposeAsync();

    /// <summary>Commits the files one write completed (one per partition at most) as one version: an add action each.</summary>
    private Task CommitAsync(IReadOnlyList<CompletedFile> files, CancellationToken cancellationToken)
    {
        string actions = string.Concat(files.Select(Add)) + CommitInfo("WRITE");
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            long version = LatestVersion() + 1;
            if (TryCommit(version, actions))
            {
                _versions.Add(version);
                Interlocked.Add(ref _committed, files.Sum(f => f.Readings));
                return Task.CompletedTask;
            }
            // Lost the race for this version to another writer: try the next one.
        }
        throw new IOException($"{Name}: could not commit {files.Count} file(s) to {LogPath} after 10,000 attempts");
    }

    /// <summary>The add action of <paramref name="file"/>: its path (a URI relative to the table), partition values, size and statistics.</summary>
    private string Add(CompletedFile file)
    {
        // Folder names are Hive-escaped (%XX); in the log's URI the '%' itself is escaped.
        string relative = Path.GetRelativePath(_options.Path, file.Path).Replace('\\', '/').Replace("%", "%25", StringComparison.Ordinal);
        string stats = Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", file.Rows);
            w.WriteStartObject("minValues");
            w.WriteString("time", Iso(file.MinTime));
            w.WriteEndObject();
            w.WriteStartObject("maxValues");
            w.WriteString("time", Iso(file.MaxTime));
            w.WriteEndObject();
            w.WriteStartObject("nullCount");
            w.WriteNumber("time", 0);
            if (!_parquet.Wide) w.WriteNumber("value", file.ValueNulls);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return Line(w =>
        {
            w.WriteStartObject("add");
            w.WriteString("path", relative);
            w.WriteStartObject("partitionValues");
            if (file.PartitionIndustry is { } industry) w.WriteString("industry", industry);
            if (file.PartitionDate is { } date) w.WriteString("date", date);
            w.WriteEndObject();
            w.WriteNumber("size", file.Bytes);
            w.WriteNumber("modificationTime", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.WriteBoolean("dataChange", true);
            w.WriteString("stats", stats);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Creates version <paramref name="version"/> with <paramref name="text"/> unless it exists (then false). The file is
    /// written aside and hard-linked into place: link(2) fails with EEXIST if another writer got there first, atomically
    /// (File.Move without overwrite checks and renames in two steps, so two writers could both "win" and one commit
    /// would silently replace the other).
    /// </summary>
    private bool TryCommit(long version, string text)
    {
        string target = VersionPath(version);
        string temp = Path.Combine(LogPath, $".{version:D20}.json.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, text);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                try
                {
                    File.Move(temp, target, overwrite: false); // MoveFileEx without replace is atomic on NTFS
                    return true;
                }
                catch (IOException) when (File.Exists(target))
                {
                    return false;
                }
            }
            if (Link(temp, target) == 0) return true;
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == EEXIST) return false;
            throw new IOException($"{Name}: cannot create {target}: link failed with errno {errno}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private const int EEXIST = 17;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "link", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    private long LatestVersion()
    {
        long latest = -1;
        foreach (string f in Directory.EnumerateFiles(LogPath, "*.json"))
        {
            string name = Path.GetFileNameWithoutExtension(f);
            if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long v)) latest = Math.Max(latest, v);
        }
        return latest;
    }

    private string VersionPath(long version) => Path.Combine(LogPath, $"{version:D20}.json");

    /// <summary>An existing table must have this run's schema and partitioning.</summary>
    private void CheckTable(string first)
    {
        foreach (string line in File.ReadLines(first))
        {
            using var doc = JsonDocument.Parse(line);
            if (!doc.RootElement.TryGetProperty("metaData", out JsonElement meta)) continue;
            string schema = meta.GetProperty("schemaString").GetString() ?? "";
            string[] partitions = [.. meta.GetProperty("partitionColumns").EnumerateArray().Select(e => e.GetString()!)];
            if (schema != _schemaString || !partitions.SequenceEqual(_partitionColumns))
            {
                throw new ConfigException(null, 0, "path",
                    $"{Name}: the Delta table {_options.Path} has another schema or partitioning than this scenario's {(_parquet.Wide ? "wide" : "narrow")} rows (partition_by {_options.PartitionBy}); use another path");
            }
            return;
        }
        throw new ConfigException(null, 0, "path", $"{Name}: {first} holds no metaData action: not a Delta table");
    }

    private string SchemaString(Fleet fleet)
    {
        var fields = new List<(string Name, string Type, bool Nullable)> { ("time", "timestamp", false), ("device_id", "string", false) };
        if (_parquet.Wide)
        {
            fields.AddRange(fleet.Sensors.Select(s => (s.Name, "float", true)));
            fields.Add(("anomaly_flag", "boolean", true));
            fields.Add(("anomaly_type", "string", true));
            fields.Add(("anomalies", "string", true));
        }
        else
        {
            fields.Add(("sensor", "string", false));
            fields.Add(("value", "float", true));
            fields.Add(("anomaly", "string", true));
        }
        if (_options.PartitionByIndustry) fields.Add(("industry", "string", true));
        if (_options.PartitionByDate) fields.Add(("date", "string", true));
        return Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "struct");
            w.WriteStartArray("fields");
            foreach (var (name, type, nullable) in fields)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("type", type);
                w.WriteBoolean("nullable", nullable);
                w.WriteStartObject("metadata");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string CommitInfo(string operation) => Line(w =>
    {
        w.WriteStartObject("commitInfo");
        w.WriteNumber("timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        w.WriteString("operation", operation);
        w.WriteStartObject("operationParameters");
        w.WriteString("mode", "Append");
        w.WriteEndObject();
        w.WriteString("engineInfo", "IotSim");
        w.WriteEndObject();
    });

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One action: an object with one member, on its own line.</summary>
    private static string Line(Action<Utf8JsonWriter> member) => Json(w =>
    {
        w.WriteStartObject();
        member(w);
        w.WriteEndObject();
    }) + "\n";

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping: the stats string keeps plain \" quotes, as other Delta writers write it.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
