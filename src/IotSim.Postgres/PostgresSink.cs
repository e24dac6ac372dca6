using System.Buffers;
using System.Collections.Concurrent;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using Npgsql;

namespace IotSim.Postgres;

/// <summary>Settings of a <see cref="PostgresSink"/>.</summary>
public sealed record PostgresSinkOptions
{
    /// <summary>Name in reports.</summary>
    public string Name { get; init; } = "postgres";

    /// <summary>Npgsql connection string (secrets already expanded; never printed).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Readings table.</summary>
    public string Table { get; init; } = "readings";

    /// <summary>Create the tables when missing (a hypertable when TimescaleDB is installed); else they must exist.</summary>
    public bool CreateTable { get; init; } = true;

    /// <summary>Devices and sensors as integer ids into dimension tables (filled at start); else as text.</summary>
    public bool Dimensions { get; init; }

    /// <summary>Values as double precision; else real.</summary>
    public bool DoubleValues { get; init; }

    /// <summary>Rows per COPY (one COPY is one transaction).</summary>
    public long RowsPerCopy { get; init; } = 1_000_000;

    /// <summary>TimescaleDB chunk interval of the hypertable.</summary>
    public TimeSpan ChunkInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>TimescaleDB: compress chunks older than this (null: no compression policy).</summary>
    public TimeSpan? CompressAfter { get; init; }
}

/// <summary>
/// Writes readings to PostgreSQL (or TimescaleDB) by binary COPY through Npgsql's raw COPY stream, encoded straight
/// from the batch (<see cref="CopyEncoder"/>). Each COPY is one transaction of up to <see cref="PostgresSinkOptions.RowsPerCopy"/>
/// rows; a failed COPY leaves nothing, and a retried batch resumes after its last committed COPY, so no row is
/// written twice. Concurrent writers (the runner's parallelism) each take a pooled connection. Delivered counts
/// committed rows only.
/// </summary>
public sealed class PostgresSink : IReadingSink, ISinkStatistics
{
    private const int BufferBytes = 1 << 20;

    private readonly PostgresSinkOptions _options;
    private readonly ConcurrentDictionary<long, int> _committedCopies = new();
    private readonly ConcurrentBag<CopyEncoder> _encoders = [];
    private NpgsqlDataSource? _source;
    private Fleet? _fleet;
    private CopyLayout? _layout;
    private string? _copyCommand;
    private long _committed;

    /// <summary>A sink with <paramref name="options"/>.</summary>
    public PostgresSink(PostgresSinkOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _committed);

    /// <inheritdoc/>
    public string? Location => _source is null ? null
        : $"{Target}: table {_options.Table}, {ConfirmedReadings:N0} readings committed{(_stats is { } s ? $"; the table now holds about {s.Rows:N0} rows in {s.Bytes / (1024.0 * 1024):N1} MiB" : "")}";

    private (long Rows, long Bytes)? _stats;

    /// <summary>Host, port and database of the connection (never the password).</summary>
    public string Target
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            return $"postgresql://{b.Host}:{b.Port}/{b.Database}";
        }
    }

    /// <inheritdoc/>
    public async ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        _fleet = fleet;
        _layout = new CopyLayout(_options.Table, fleet.Scenario.Shape == OutputShape.Wide, _options.Dimensions, _options.DoubleValues);
        if (_layout.TooLong(fleet) is { } name)
        {
            throw new ConfigException(null, 0, "table", $"{Name}: '{name}' is longer than PostgreSQL's 63-byte identifiers (it would be cut); use a shorter table or sensor name");
        }
        _copyCommand = _layout.CopyCommand(fleet);
        try
        {
            // The slim builder keeps the NativeAOT binary small; TLS (SSL Mode in the connection string) is opted in.
            _source = new NpgsqlSlimDataSourceBuilder(_options.ConnectionString).EnableTransportSecurity().Build();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(null, 0, "connection", $"{Name}: invalid connection string: {e.Message}");
        }
        try
        {
            await using NpgsqlConnection connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await new PostgresSchema(connection, _layout, fleet, _options).PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("28", StringComparison.Ordinal))
        {
            throw new IOException($"{Name}: {Target}: authentication failed: {e.MessageText}", e);
        }
        catch (NpgsqlException e)
        {
            throw new IOException($"{Name}: cannot prepare {Target}: {Describe(e)}", e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        NpgsqlDataSource source = _source ?? throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        if (!_encoders.TryTake(out CopyEncoder? encoder)) encoder = new CopyEncoder(_fleet!, _layout!);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferBytes, 2 * encoder.MaxDeviceBytes));
        try
        {
            encoder.Prepare(batch);
            var cursor = new CopyCursor();
            // A retry of this batch skips the COPYs that already committed: their rows are in the table.
            int done = _committedCopies.GetValueOrDefault(batch.Sequence);
            for (int copy = 0; !CopyEncoder.AtEnd(batch, cursor); copy++)
            {
                if (copy < done)
                {
                    Skip(encoder, batch, cursor, buffer);
                    continue;
                }
                long readings = await CopyAsync(source, encoder, batch, cursor, buffer, cancellationToken).ConfigureAwait(false);
                _committedCopies[batch.Sequence] = copy + 1;
                Interlocked.Add(ref _committed, readings);
            }
            _committedCopies.TryRemove(batch.Sequence, out _);
        }
        catch (PostgresException e) when (IsPermanent(e))
        {
            throw new PermanentSinkException($"{Name}: {Describe(e)}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _encoders.Add(encoder);
        }
    }

    /// <summary>Moves the cursor past one COPY's rows without sending them.</summary>
    private void Skip(CopyEncoder encoder, ReadingBatch batch, CopyCursor cursor, byte[] buffer)
    {
        long left = _options.RowsPerCopy;
        while (left > 0 && !CopyEncoder.AtEnd(batch, cursor))
        {
            encoder.Encode(batch, cursor, buffer, left, out long rows, out _);
            left -= rows;
        }
    }

    /// <summary>One COPY (one transaction) of up to RowsPerCopy rows from the cursor on; returns the readings committed.</summary>
    private async Task<long> CopyAsync(NpgsqlDataSource source, CopyEncoder encoder, ReadingBatch batch, CopyCursor cursor, byte[] buffer, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stream = await connection.BeginRawBinaryCopyAsync(_copyCommand!, cancellationToken).ConfigureAwait(false);
        long readings = 0;
        try
        {
            CopyEncoder.Header.CopyTo(buffer);
            int filled = CopyEncoder.Header.Length;
            long left = _options.RowsPerCopy;
            while (left > 0 && !CopyEncoder.AtEnd(batch, cursor))
            {
                filled += encoder.Encode(batch, cursor, buffer.AsSpan(filled), left, out long n, out long r);
                left -= n;
                readings += r;
                if (buffer.Length - filled < encoder.MaxDeviceBytes || left <= 0 || CopyEncoder.AtEnd(batch, cursor))
                {
                    await stream.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    filled = 0;
                }
            }
            CopyEncoder.Trailer.CopyTo(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, CopyEncoder.Trailer.Length), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing of this COPY stays: the server rolls it back.
            try
            {
                await stream.CancelAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // The connection is already broken; the server aborts the transaction anyway.
            }
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // Completing the stream ends the COPY: the server commits and says how many rows it took.
        await stream.DisposeAsync().ConfigureAwait(false);
        return readings;
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            // For the report: the planner's row estimate (refreshed by ANALYZE on the new rows) and the size on disk.
            await using (NpgsqlConnection connection = await _source!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var analyze = new NpgsqlCommand($"ANALYZE {CopyLayout.Quote(_options.Table)}", connection))
            {
                await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            _stats = await TableStatsAsync(exact: false, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Statistics are a courtesy: the readings are already committed.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>How long <see cref="StatisticsAsync"/> waits for the server.</summary>
    private static readonly TimeSpan s_statisticsTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The target (host, port, database; never the password), the table, its estimated rows (the planner's statistics)
    /// and pg_total_relation_size, on a connection of its own with a short timeout.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, object>> StatisticsAsync(CancellationToken cancellationToken)
    {
        var stats = new Dictionary<string, object>(StringComparer.Ordinal) { ["target"] = Target, ["table"] = _options.Table };
        if (_source is null) return stats;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_statisticsTimeout);
        try
        {
            await using NpgsqlConnection connection = await _source.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            // reltuples is -1 until the table is analysed; the statistics collector's live tuples move with each commit.
            await using var command = new NpgsqlCommand(
                "SELECT GREATEST(c.reltuples::bigint, COALESCE(s.n_live_tup, 0)), pg_total_relation_size(c.oid) FROM pg_class c "
                + "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CopyLayout.Quote(_options.Table) });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(timeout.Token).ConfigureAwait(false);
            if (await reader.ReadAsync(timeout.Token).ConfigureAwait(false))
            {
                stats["rows_estimate"] = reader.GetInt64(0);
                stats["bytes"] = reader.GetInt64(1);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stats["error"] = $"no answer within {s_statisticsTimeout.TotalSeconds:0} s";
        }
        catch (NpgsqlException e)
        {
            stats["error"] = Describe(e);
        }
        return stats;
    }

    /// <summary>
    /// Table statistics for reports: rows and total size of the readings table (estimated rows from the planner's
    /// statistics when <paramref name="exact"/> is false).
    /// </summary>
    public async Task<(long Rows, long Bytes)> TableStatsAsync(bool exact = true, CancellationToken cancellationToken = default)
    {
        NpgsqlDataSource source = _source ?? throw new InvalidOperationException($"{Name}: not open");
        await using NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        string table = CopyLayout.Quote(_options.Table);
        string rows = exact ? $"(SELECT count(*) FROM {table})" : $"(SELECT reltuples::bigint FROM pg_class WHERE oid = '{table}'::regclass)";
        await using var command = new NpgsqlCommand($"SELECT {rows}, pg_total_relation_size('{table}'::regclass)", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Errors a retry cannot heal: bad SQL or objects (42), data (22), constraints (23), authentication (28), privileges.</summary>
    private static bool IsPermanent(PostgresException e) =>
        e.SqlState.StartsWith("42", StringComparison.Ordinal) || e.SqlState.StartsWith("22", StringComparison.Ordinal)
        || e.SqlState.StartsWith("23", StringComparison.Ordinal) || e.SqlState.StartsWith("28", StringComparison.Ordinal);

    private static string Describe(Exception e) => e switch
    {
        PostgresException p => $"{p.MessageText} (SQLSTATE {p.SqlState}){(p.Detail is { } d ? ": " + d : "")}",
        NpgsqlException { InnerException: { } inner } => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };
}
