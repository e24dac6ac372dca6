using System.Threading.Channels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// Feeds one sink from a bounded queue on its own task. When the queue is full the generator waits (backpressure
/// "block"). A failed write is retried with exponential backoff unless the error cannot heal (disk full, closed pipe,
/// no permission: <see cref="SinkErrors.IsPermanent"/>); after that the sink is marked failed, the first root cause is
/// kept, and the rest of its readings are counted as failed. Delivered counts only what the sink confirms
/// (<see cref="IReadingSink.ConfirmedReadings"/>), so at the end Generated = Delivered + Dropped + Failed holds with
/// nothing counted as delivered that did not arrive.
/// </summary>
internal sealed class SinkRunner : IDisposable
{
    private readonly Channel<ReadingBatch> _queue;
    private readonly int _retries;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _retryMaxDelay;
    private readonly double _retryJitter;
    private readonly int _parallelism;
    private readonly TimeSpan? _flushInterval;
    private readonly CancellationTokenSource _abort = new();
    private long _generated;
    private long _dropped;
    private long _written;
    private long _failed;
    private long _retried;
    private readonly int _queueCapacity;
    private readonly Diagnostics.RunMetrics? _metrics;
    private volatile string? _error;
    private volatile bool _sinkFailed;
    private volatile bool _aborted;
    private volatile bool _finished;
    private Task? _task;

    public SinkRunner(IReadingSink sink, SinkOptions options, Diagnostics.RunMetrics? metrics = null)
    {
        Sink = sink;
        _metrics = metrics;
        _queueCapacity = Math.Max(1, options.QueueCapacity);
        _parallelism = Math.Max(1, options.Parallelism);
        var queue = new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = _parallelism == 1,
            SingleWriter = true,
            FullMode = options.Backpressure switch
            {
                Backpressure.DropOldest => BoundedChannelFullMode.DropOldest,
                Backpressure.DropNewest => BoundedChannelFullMode.DropWrite,
                _ => BoundedChannelFullMode.Wait,
            },
        };
        // A dropped batch is counted whole and its reference given back, so the pool never runs dry.
        _queue = Channel.CreateBounded<ReadingBatch>(queue, batch =>
        {
            Interlocked.Add(ref _dropped, batch.Readings);
            batch.Release();
        });
        _retries = options.Retries;
        _retryDelay = options.RetryDelay;
        _retryMaxDelay = options.RetryMaxDelay < options.RetryDelay ? options.RetryDelay : options.RetryMaxDelay;
        _retryJitter = options.RetryJitter;
        _flushInterval = options.FlushInterval;
    }

    public IReadingSink Sink { get; }

    /// <summary>The first error (a failure or an interruption), with the sink's name; null while all is well.</summary>
    public string? Error => _error;

    /// <summary>True once a write has failed for good (an interruption alone does not count).</summary>
    public bool Failed => _sinkFailed;

    /// <summary>Write attempts retried after an error.</summary>
    public long Retries => Interlocked.Read(ref _retried);

    /// <summary>How full the queue of batches is, 0 to 1.</summary>
    public double QueueFill => _queue.Reader.CanCount ? Math.Min(1, _queue.Reader.Count / (double)_queueCapacity) : 0;

    /// <summary>Readings the sink has confirmed as delivered.</summary>
    public long Delivered => Sink.ConfirmedReadings ?? Interlocked.Read(ref _written);

    /// <summary>Records an error found outside the write path (e.g. closing); the first error is kept.</summary>
    public void RecordError(string error) => Interlocked.CompareExchange(ref _error, error, null);

    /// <summary>
    /// The counts so far. Once the run is over, everything generated and not confirmed as delivered (or dropped) is
    /// failed; before that, readings still queued or being written count in none of the three columns.
    /// </summary>
    public SinkReport Report()
    {
        long generated = Interlocked.Read(ref _generated);
        long dropped = Interlocked.Read(ref _dropped);
        long delivered = Math.Min(Delivered, generated - dropped);
        long failed = _finished ? generated - dropped - delivered : Math.Min(Interlocked.Read(ref _failed), generated - dropped - delivered);
        return new SinkReport(Sink.Name, generated, delivered, dropped, failed, Error) { Location = SafeLocation() };
    }

    private string? SafeLocation()
    {
        try
        {
            return Sink.Location;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    public async ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        try
        {
            await Sink.OpenAsync(fleet, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException e) when (e.File is null && fleet?.Scenario.SourcePath is { } file)
        {
            // Sinks check their settings against the target when they open, where they do not know the file: name it here.
            throw new ConfigException(file, 0, e.Key, e.Problem);
        }
        // Stopping a run (Ctrl-C) stops the generator only: batches already queued are still delivered until Abort.
        _task = _parallelism == 1
            ? Task.Run(ConsumeAsync, CancellationToken.None)
            : Task.WhenAll(Enumerable.Range(0, _parallelism).Select(_ => Task.Run(ConsumeAsync, CancellationToken.None)));
    }

    /// <summary>Queues a batch (the caller has already counted this runner's reference). Waits while the queue is full.</summary>
    public async ValueTask EnqueueAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        // Counted first: with a drop policy the batch may be dropped (and counted as dropped) inside the write.
        Interlocked.Add(ref _generated, batch.Readings);
        await _queue.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts a generated batch that an abort kept from being queued as failed (and as generated unless <see cref="EnqueueAsync"/> already did).</summary>
    public void Abandon(ReadingBatch batch, bool alreadyCounted)
    {
        if (!alreadyCounted) Interlocked.Add(ref _generated, batch.Readings);
        Interlocked.Add(ref _failed, batch.Readings);
        RecordError($"{Sink.Name}: interrupted before every queued reading was delivered");
    }

    /// <summary>Stops delivering: the write in progress is asked to stop and queued batches are counted as failed.</summary>
    public void Abort()
    {
        _aborted = true;
        try
        {
            _abort.Cancel();
        }
        catch (AggregateException)
        {
            // A sink's cancellation callback threw; the sink is being abandoned anyway.
        }
    }

    /// <summary>
    /// Signals the end of the run, drains the queue and completes the sink unless a write failed (after an abort the
    /// sink still completes what it holds: its files are whole).
    /// </summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        if (_task is not null)
        {
            await _task.ConfigureAwait(false);
        }
        if (!_sinkFailed)
        {
            try
            {
                await Sink.CompleteAsync(_abort.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RecordError($"{Sink.Name}: completing failed: {ex.Message}");
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _abort.Dispose();

    /// <summary>Marks the run over: from now on unconfirmed readings count as failed.</summary>
    public void Finish() => _finished = true;

    private async Task ConsumeAsync()
    {
        ChannelReader<ReadingBatch> reader = _queue.Reader;
        bool unflushed = false;
        while (true)
        {
            if (reader.TryRead(out ReadingBatch? batch))
            {
                await DeliverAsync(batch).ConfigureAwait(false);
                unflushed = true;
                continue;
            }
            if (_flushInterval is not { } interval || !unflushed)
            {
                if (!await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false)) break;
                continue;
            }
            using var idle = new CancellationTokenSource(interval);
            try
            {
                if (!await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false)) break;
            }
            catch (OperationCanceledException)
            {
                // Nothing arrived for a whole interval: hand over what the sink buffers.
                unflushed = false;
                await FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task FlushAsync()
    {
        if (_sinkFailed || _aborted) return;
        try
        {
            await Sink.FlushAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RecordError($"{Sink.Name}: flush failed: {ex.Message}");
            _sinkFailed = true;
        }
        catch (OperationCanceledException)
        {
            // Aborted: the sink completes (or not) as after any abort.
        }
    }

    private async Task DeliverAsync(ReadingBatch batch)
    {
        try
        {
            if (_sinkFailed || _aborted)
            {
                if (_aborted && !_sinkFailed) RecordError($"{Sink.Name}: interrupted before every queued reading was delivered");
                Interlocked.Add(ref _failed, batch.Readings);
                return;
            }
            await WriteWithRetriesAsync(batch).ConfigureAwait(false);
        }
        finally
        {
            batch.Release();
        }
    }

    private async Task WriteWithRetriesAsync(ReadingBatch batch)
    {
        TimeSpan delay = _retryDelay;
        Exception? first = null;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Sink.WriteAsync(batch, _abort.Token).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Readings);
                break;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                // Interrupted, not broken: the sink still completes what it already holds.
                RecordError($"{Sink.Name}: interrupted before every queued reading was delivered");
                Interlocked.Add(ref _failed, batch.Readings);
                return;
            }
            catch (Exception ex)
            {
                first ??= ex;
                if (attempt >= _retries || SinkErrors.IsPermanent(ex) || _abort.IsCancellationRequested)
                {
                    string how = _abort.IsCancellationRequested ? "interrupted"
                        : attempt == 0 ? "write failed (not retried: the error cannot heal)"
                        : $"write failed after {attempt + 1} attempts";
                    // The first exception is the root cause; later attempts often only report its consequences.
                    RecordError($"{Sink.Name}: {how}: {first.Message}");
                    _sinkFailed = true;
                    Interlocked.Add(ref _failed, batch.Readings);
                    return;
                }
                Interlocked.Increment(ref _retried);
                try
                {
                    // Jitter only spreads retries in time; it never changes what is written.
                    TimeSpan wait = delay * (1 - (_retryJitter * Random.Shared.NextDouble()));
                    await Task.Delay(wait, _abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Aborted while waiting: the next attempt sees the abort and gives up.
                }
                delay = delay * 2 < _retryMaxDelay ? delay * 2 : _retryMaxDelay;
            }
        }
        // Outside the write's try: a listener's failure must not turn a delivered batch into a retried one.
        _metrics?.RecordWrite(Sink.Name, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
