using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using IotSim.Core;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IotSim.Sqlite;

/// <summary>When a SQLite sink makes the table's indexes (on timestamp and on the device).</summary>
public enum SqliteIndexes
{
    /// <summary>When the sink completes (if missing): one sort per index, the fastest load; a database that already has them keeps them up to date during the load.</summary>
    End,

    /// <summary>Before the first row (if missing), so queries during the run use them.</summary>
    During,

    /// <summary>No indexes.</summary>
    None,
}

/// <summary>Settings of a <see cref="SqliteSink"/>.</summary>
public sealed record SqliteSinkOptions
{
    /// <summary>Name in reports.</summary>
    public string Name { get; init; } = "sqlite";

    /// <summary>The database file (created when missing; an existing one is appended to).</summary>
    public required string Path { get; init; }

    /// <summary>Table; null: <c>sensor_readings</c> for wide rows, <c>readings</c> for narrow ones.</summary>
    public string? Table { get; init; }

    /// <summary>Delete the database file first (refused for sharded runs, which share the file).</summary>
    public bool Recreate { get; init; }

    /// <summary>Rows per transaction.</summary>
    public long RowsPerTransaction { get; init; } = 100_000;

    /// <summary>When the indexes on timestamp and device are made.</summary>
    public SqliteIndexes Indexes { get; init; } = SqliteIndexes.End;

    /// <summary>How long a writer waits for another process's transaction before the write fails (and is retried).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Writes readings to a SQLite database: WAL journal, one prepared INSERT reused for every row inside large
/// transactions (BEGIN IMMEDIATE, so several processes — shards — take turns on one file), busy timeout, and a
/// hand-written bind loop over the batch's columns through SQLitePCLRaw (values that repeat from row to row, such as
/// the timestamp and the device's identity, are bound only when they change). A failed transaction rolls back and is
/// retried whole; a retried batch resumes after its last committed transaction. Delivered counts committed readings.
/// </summary>
public sealed class SqliteSink : IReadingSink, ISinkStatistics
{
    private readonly SqliteSinkOptions _options;
    private readonly ConcurrentDictionary<long, int> _committedTransactions = new();
    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;
    private SqliteLayout? _layout;
    private Fleet? _fleet;
    private RowBinder? _binder;
    private long _committed;

    /// <summary>A sink with <paramref name="options"/>.</summary>
    public SqliteSink(SqliteSinkOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _committed);

    /// <summary>
    /// The database file's size (page_count × page_size) and the table's rows (its largest rowid: cheap, exact while
    /// nothing is deleted), read on a connection of their own, read-only, so the writer is not disturbed (WAL).
    /// </summary>
    public ValueTask<IReadOnlyDictionary<string, object>> StatisticsAsync(CancellationToken cancellationToken)
    {
        var stats = new Dictionary<string, object>(StringComparer.Ordinal) { ["path"] = _options.Path };
        if (_layout is not { } layout || !File.Exists(_options.Path)) return ValueTask.FromResult<IReadOnlyDictionary<string, object>>(stats);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _options.Path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 2,
        }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()), (SELECT max(rowid) FROM {SqliteLayout.Quote(layout.Table)})";
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        stats["table"] = layout.Table;
        stats["bytes"] = reader.GetInt64(0);
        stats["rows"] = reader.IsDBNull(1) ? 0L : reader.GetInt64(1);
        return ValueTask.FromResult<IReadOnlyDictionary<string, object>>(stats);
    }

    /// <inheritdoc/>
    public string? Location => _layout is null ? null : $"{_options.Path}: table {_layout.Table}, {ConfirmedReadings:N0} readings committed";

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        _fleet = fleet;
        bool wide = fleet.Scenario.Shape == OutputShape.Wide;
        _layout = new SqliteLayout(fleet, _options.Table ?? (wide ? "sensor_readings" : "readings"), wide);
        if (wide && fleet.Sensors.FirstOrDefault(s => SqliteLayout.WideFixed.Contains(s.Name, StringComparer.OrdinalIgnoreCase)) is { } clash)
        {
            throw new ConfigException(null, 0, "custom_sensors", $"{Name}: sensor '{clash.Name}' is named like a column of the {_layout.Table} table ({string.Join(", ", SqliteLayout.WideFixed)}); rename it");
        }
        if (_options.Recreate)
        {
            if (fleet.Scenario.Shard.Count > 1)
            {
                throw new ConfigException(null, 0, "recreate", $"{Name}: recreate would delete the rows of the other shards writing {_options.Path}; delete the file before starting the shards instead");
            }
            foreach (string suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(_options.Path + suffix);
        }
        try
        {
            string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path));
            if (folder is not null) Directory.CreateDirectory(folder);
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _options.Path, Pooling = false }.ToString());
            _connection.Open();
            sqlite3 db = _connection.Handle!;
            Exec(db, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}");
            Exec(db, "PRAGMA journal_mode = WAL");
            Exec(db, "PRAGMA synchronous = NORMAL");
            Exec(db, "PRAGMA cache_size = -65536");
            Exec(db, "BEGIN IMMEDIATE");
            try
            {
                Exec(db, _layout.CreateTable());
                // Shards share the file: one that finished could not build the indexes while the others still write
                // (it would hold the write lock for the whole sort), so sharded runs make them up front.
                if (_options.Indexes == SqliteIndexes.During || (_options.Indexes == SqliteIndexes.End && fleet.Scenario.Shard.Count > 1))
                {
                    foreach (string statement in _layout.CreateIndexes()) Exec(db, statement);
                }
                CheckColumns();
                Exec(db, "COMMIT");
            }
            catch
            {
                Exec(db, "ROLLBACK", throwOnError: false);
                throw;
            }
            Check(db, raw.sqlite3_prepare_v2(db, _layout.InsertStatement(), out sqlite3_stmt insert));
            _insert = insert;
        }
        catch (Exception e) when (e is SqliteException or UnauthorizedAccessException or IOException && e is not ConfigException)
        {
            throw new ConfigException(null, 0, "path", $"{Name}: cannot open the database {_options.Path}: {e.Message}");
        }
        _binder = new RowBinder(fleet, _layout, _insert);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // One connection, one statement: writes are one at a time even if a caller asks for parallel writers.
        lock (_writeLock)
        {
            return Write(batch, cancellationToken);
        }
    }

    private readonly object _writeLock = new();

    private ValueTask Write(ReadingBatch batch, CancellationToken cancellationToken)
    {
        sqlite3 db = _connection?.Handle ?? throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        RowBinder binder = _binder!;
        binder.Start(batch);
        int done = _committedTransactions.GetValueOrDefault(batch.Sequence);
        for (int transaction = 0; !binder.AtEnd; transaction++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (transaction < done)
            {
                binder.Skip(_options.RowsPerTransaction);
                continue;
            }
            Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
            long readings;
            try
            {
                readings = binder.Insert(db, _options.RowsPerTransaction);
                Check(db, raw.sqlite3_exec(db, "COMMIT"));
            }
            catch
            {
                raw.sqlite3_reset(_insert!);
                raw.sqlite3_exec(db, "ROLLBACK");
                throw;
            }
            _committedTransactions[batch.Sequence] = transaction + 1;
            Interlocked.Add(ref _committed, readings);
        }
        _committedTransactions.TryRemove(batch.Sequence, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_connection?.Handle is { } db)
        {
            if (_options.Indexes == SqliteIndexes.End && _fleet!.Scenario.Shard.Count <= 1)
            {
                // One sort per index instead of an index update per row: several times faster than keeping them during the load.
                foreach (string statement in _layout!.CreateIndexes()) Exec(db, statement);
            }
            Exec(db, "PRAGMA wal_checkpoint(PASSIVE)", throwOnError: false);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void CheckColumns()
    {
        using SqliteCommand command = _connection!.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info({Literal(_layout!.Table)})";
        var found = new HashSet<string>(StringComparer.Ordinal);
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read()) found.Add(reader.GetString(0));
        }
        string[] missing = [.. _layout.Columns.Select(c => c.Name).Where(n => !found.Contains(n))];
        if (missing.Length > 0)
        {
            throw new ConfigException(null, 0, "table",
                $"{Name}: table {_layout.Table} in {_options.Path} lacks the column(s) {string.Join(", ", missing.Take(5))}{(missing.Length > 5 ? $" (and {missing.Length - 5} more)" : "")} of the scenario's {(_layout.Wide ? "wide" : "narrow")} rows; use another table or recreate: true");
        }
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Exec(sqlite3 db, string sql, bool throwOnError = true)
    {
        int rc = raw.sqlite3_exec(db, sql);
        if (throwOnError) Check(db, rc);
    }

    /// <summary>Throws for a failed SQLite call: a busy or locked database is worth a retry; a full disk, a read-only or corrupt file is not.</summary>
    internal static void Check(sqlite3 db, int rc)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW) return;
        string message = $"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}";
        int primary = rc & 0xFF;
        if (primary is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_IOERR or raw.SQLITE_PROTOCOL) throw new IOException(message);
        throw new PermanentSinkException(message);
    }

    /// <summary>Binds rows of a batch to the prepared INSERT and steps it; hand-written hot path.</summary>
    private sealed class RowBinder
    {
        private readonly Fleet _fleet;
        private readonly SqliteLayout _layout;
        private readonly sqlite3_stmt _insert;
        private readonly byte[][] _sensorNames;
        private readonly byte[][] _labels;
        private readonly DeviceRow?[] _devices;
        private readonly bool _skew;
        private readonly int[] _precision;
        private readonly byte[] _text = new byte[1024];
        private readonly List<byte> _anomalies = [];
        private ReadingBatch? _batch;
        private int _segment;
        private int _device;
        private int _reading;
        private int[] _runEnd = new int[16];
        private long _boundTs = long.MinValue;
        private int _boundDevice = -1;
        private int _boundSensor = -1;
        private int _boundKind = -1;

        public RowBinder(Fleet fleet, SqliteLayout layout, sqlite3_stmt insert)
        {
            _fleet = fleet;
            _layout = layout;
            _insert = insert;
            _skew = fleet.Scenario.Dirty.ClockSkew > 0;
            _precision = [.. fleet.Precision];
            _sensorNames = [.. fleet.Sensors.Select(s => Encoding.UTF8.GetBytes(s.Name))];
            _labels = [.. Enumerable.Range(0, AnomalyKinds.Count).Select(k => Encoding.UTF8.GetBytes(AnomalyKinds.ToName((AnomalyKind)k)))];
            _devices = layout.Wide ? new DeviceRow?[fleet.EndDevice - fleet.FirstDevice] : [];
        }

        public bool AtEnd => _segment >= _batch!.SegmentCount;

        public void Start(ReadingBatch batch)
        {
            _batch = batch;
            _segment = _device = _reading = 0;
            if (_layout.Wide) FindRuns(batch);
        }

        /// <summary>Moves past up to <paramref name="rows"/> rows without inserting them (they were committed before).</summary>
        public void Skip(long rows) => Walk(null, rows);

        /// <summary>Inserts up to <paramref name="rows"/> rows; returns the readings they hold.</summary>
        public long Insert(sqlite3 db, long rows) => Walk(db, rows);

        private long Walk(sqlite3? db, long rowLimit) => _layout.Wide ? WalkWide(db, rowLimit) : WalkNarrow(db, rowLimit);

        private long WalkNarrow(sqlite3? db, long rowLimit)
        {
            ReadingBatch batch = _batch!;
            long rows = 0;
            while (_segment < batch.SegmentCount)
            {
                BatchSegment seg = batch.Segments[_segment];
                IntervalGroup group = _fleet.Groups[seg.Group];
                int per = group.SensorsPerDevice;
                int devices = seg.ChannelCount / per;
                for (; _device < devices; _device++, _reading = 0)
                {
                    int device = _fleet.FirstDevice + seg.ChannelStart / per + _device;
                    int at = seg.Offset + _device * per;
                    for (; _reading < per; _reading++)
                    {
                        byte flag = batch.Flags[at + _reading];
                        if (!ReadingFlags.IsPresent(flag)) continue;
                        if (rows == rowLimit) return rows;
                        rows++;
                        if (db is null) continue;
                        BindTime(seg.TimestampMs, device);
                        if (device != _boundDevice)
                        {
                            int n = _fleet.FormatDeviceId(device, _text);
                            raw.sqlite3_bind_text(_insert, 2, _text.AsSpan(0, n));
                            _boundDevice = device;
                        }
                        int sensor = group.SensorIndices[_reading];
                        if (sensor != _boundSensor)
                        {
                            raw.sqlite3_bind_text(_insert, 3, _sensorNames[sensor]);
                            _boundSensor = sensor;
                        }
                        BindValue(4, batch.Values[at + _reading], sensor);
                        int kind = flag & ReadingFlags.KindMask;
                        BindKind(kind, kind, statusIndex: 5, typeIndex: 6, flagIndex: 0);
                        Step(db);
                    }
                }
                _segment++;
                _device = 0;
            }
            return rows;
        }

        private long WalkWide(sqlite3? db, long rowLimit)
        {
            ReadingBatch batch = _batch!;
            ReadOnlySpan<BatchSegment> segments = batch.Segments;
            Span<int> bases = stackalloc int[_fleet.Groups.Count];
            int sensors = _sensorNames.Length;
            int statusIndex = 3 + sensors, flagIndex = 4 + sensors, typeIndex = 5 + sensors, identityIndex = 6 + sensors;
            int anomaliesIndex = identityIndex + SqliteLayout.IdentityColumns.Length;
            long readings = 0, rows = 0;
            while (_segment < segments.Length)
            {
                BatchSegment lead = segments[_segment];
                int end = _runEnd[_segment];
                int leadPer = _fleet.Groups[lead.Group].SensorsPerDevice;
                int devices = lead.ChannelCount / leadPer;
                bases.Fill(-1);
                for (int j = _segment; j < end; j++) bases[segments[j].Group] = segments[j].Offset;
                for (; _device < devices; _device++)
                {
                    if ((batch.Flags[bases[lead.Group] + _device * leadPer] & ReadingFlags.Held) != 0) continue; // delivered late, as a copy
                    if (rows == rowLimit) return readings;
                    rows++;
                    int device = _fleet.FirstDevice + lead.ChannelStart / leadPer + _device;
                    int firstKind = 0;
                    _anomalies.Clear();
                    for (int s = 0; s < sensors; s++)
                    {
                        var (g, k) = _fleet.SlotOf(s);
                        int at = bases[g] < 0 ? -1 : bases[g] + _device * _fleet.Groups[g].SensorsPerDevice + k;
                        byte flag = at < 0 ? ReadingFlags.Omitted : batch.Flags[at];
                        int kind = flag & ReadingFlags.KindMask;
                        if (kind != 0)
                        {
                            firstKind = firstKind == 0 ? kind : firstKind;
                            if (_anomalies.Count > 0) _anomalies.Add((byte)';');
                            _anomalies.AddRange(_sensorNames[s]);
                            _anomalies.Add((byte)':');
                            _anomalies.AddRange(_labels[kind]);
                        }
                        if (ReadingFlags.IsPresent(flag))
                        {
                            readings++;
                            if (db is not null) BindValue(3 + s, batch.Values[at], s);
                        }
                        else if (db is not null)
                        {
                            raw.sqlite3_bind_null(_insert, 3 + s);
                        }
                    }
                    if (db is null) continue;
                    BindTime(lead.TimestampMs, device);
                    if (device != _boundDevice)
                    {
                        int n = _fleet.FormatDeviceId(device, _text);
                        raw.sqlite3_bind_text(_insert, 2, _text.AsSpan(0, n));
                        Identity(device).Bind(_insert, identityIndex);
                        _boundDevice = device;
                    }
                    BindKind(firstKind, firstKind, statusIndex, typeIndex, flagIndex);
                    if (_anomalies.Count == 0) raw.sqlite3_bind_null(_insert, anomaliesIndex);
                    else raw.sqlite3_bind_text(_insert, anomaliesIndex, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_anomalies));
                    Step(db);
                }
                _segment = end;
                _device = 0;
            }
            return readings;
        }

        private void BindTime(long timestampMs, int device)
        {
            long ts = _skew ? timestampMs + _fleet.ClockSkewMs(device) : timestampMs;
            if (ts == _boundTs) return;
            DateTime time = DateTime.UnixEpoch.AddMilliseconds(ts);
            time.TryFormat(_text, out int n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            raw.sqlite3_bind_text(_insert, 1, _text.AsSpan(0, n));
            _boundTs = ts;
        }

        /// <summary>A value as the double nearest its reported decimal (56.7, not 56.7000007629395), or NULL for a dirty null.</summary>
        private void BindValue(int index, float value, int sensor)
        {
            if (float.IsNaN(value)) raw.sqlite3_bind_null(_insert, index);
            else raw.sqlite3_bind_double(_insert, index, Math.Round(value, _precision[sensor]));
        }

        /// <summary>status_code (0 normal, 1 anomaly), anomaly_flag (wide) and anomaly_type, bound when the kind changes.</summary>
        private void BindKind(int kind, int typeKind, int statusIndex, int typeIndex, int flagIndex)
        {
            if (kind == _boundKind) return;
            raw.sqlite3_bind_int(_insert, statusIndex, kind == 0 ? 0 : 1);
            if (flagIndex > 0) raw.sqlite3_bind_int(_insert, flagIndex, kind == 0 ? 0 : 1);
            if (typeKind == 0) raw.sqlite3_bind_null(_insert, typeIndex);
            else raw.sqlite3_bind_text(_insert, typeIndex, _labels[typeKind]);
            _boundKind = kind;
        }

        private void Step(sqlite3 db)
        {
            int rc = raw.sqlite3_step(_insert);
            raw.sqlite3_reset(_insert);
            if (rc != raw.SQLITE_DONE) Check(db, rc);
        }

        private DeviceRow Identity(int device) => _devices[device - _fleet.FirstDevice] ??= new DeviceRow(_fleet.Identity(device));

        private void FindRuns(ReadingBatch batch)
        {
            ReadOnlySpan<BatchSegment> segments = batch.Segments;
            if (_runEnd.Length < segments.Length + 1) _runEnd = new int[Math.Max(segments.Length + 1, _runEnd.Length * 2)];
            WideRuns.Find(_fleet, segments, _runEnd);
        }
    }

    /// <summary>A device's identity columns, encoded once.</summary>
    private sealed class DeviceRow
    {
        private readonly byte[]?[] _texts;
        private readonly double[] _reals;

        public DeviceRow(DeviceIdentity identity)
        {
            var columns = SqliteLayout.IdentityColumns;
            _texts = new byte[columns.Length][];
            _reals = new double[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                string text = identity.Field(columns[i].Field);
                if (columns[i].Type == "REAL") _reals[i] = double.Parse(text, CultureInfo.InvariantCulture);
                else _texts[i] = Encoding.UTF8.GetBytes(text);
            }
        }

        public void Bind(sqlite3_stmt insert, int first)
        {
            for (int i = 0; i < _texts.Length; i++)
            {
                if (_texts[i] is { } text) raw.sqlite3_bind_text(insert, first + i, text);
                else raw.sqlite3_bind_double(insert, first + i, _reals[i]);
            }
        }
    }
}
