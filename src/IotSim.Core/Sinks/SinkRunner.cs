using System.Threading.Channels;
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
    private readonly CancellationTokenSource _abort = new();
    private long _generated;
    private long _written;
    private long _failed;
    private long _retriesUsed;
    private volatile string? _error;
    private volatile bool _sinkFailed;
    private volatile bool _aborted;
    private volatile bool _finished;
    private Task? _task;

    public SinkRunner(IReadingSink sink, int queueCapacity, int retries = 3, TimeSpan? retryDelay = null)
    {
        Sink = sink;
        _queue = Channel.CreateBounded<ReadingBatch>(new BoundedChannelOptions(Math.Max(1, queueCapacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _retries = retries;
        _retryDelay = retryDelay ?? TimeSpan.FromMilliseconds(100);
    }

    public IReadingSink Sink { get; }

    /// <summary>The first error (a failure or an interruption), with the sink's name; null while all is well.</summary>
    public string? Error => _error;

    /// <summary>True once a write has failed for good (an interruption alone does not count).</summary>
    public bool Failed => _sinkFailed;

    /// <summary>Readings the sink has confirmed as delivered.</summary>
    public long Delivered => Sink.ConfirmedReadings ?? Interlocked.Read(ref _written);

    /// <summary>Writes retried after a passing error.</summary>
    public long Retries => Interlocked.Read(ref _retriesUsed);

    /// <summary>Records an error found outside the write path (e.g. closing); the first error is kept.</summary>
    public void RecordError(string error) => Interlocked.CompareExchange(ref _error, error, null);

    /// <summary>
    /// The counts so far. Once the run is over, everything generated and not confirmed as delivered (or dropped) is
    /// failed; before that, readings still queued or being written count in none of the three columns.
    /// </summary>
    public SinkReport Report()
    {
        long generated = Interlocked.Read(ref _generated);
        long delivered = Math.Min(Delivered, generated);
        long failed = _finished ? generated - delivered : Math.Min(Interlocked.Read(ref _failed), generated - delivered);
        return new SinkReport(Sink.Name, generated, delivered, 0, failed, Error) { Location = SafeLocation() };
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
        await Sink.OpenAsync(fleet, cancellationToken).ConfigureAwait(false);
        // Stopping a run (Ctrl-C) stops the generator only: batches already queued are still delivered until Abort.
        _task = Task.Run(ConsumeAsync, CancellationToken.None);
    }

    /// <summary>Queues a batch (the caller has already counted this runner's reference). Waits while the queue is full.</summary>
    public async ValueTask EnqueueAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _generated, batch.Readings);
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
        await foreach (ReadingBatch batch in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (_sinkFailed || _aborted)
                {
                    if (_aborted && !_sinkFailed) RecordError($"{Sink.Name}: interrupted before every queued reading was delivered");
                    Interlocked.Add(ref _failed, batch.Readings);
                    continue;
                }
                await WriteWithRetriesAsync(batch).ConfigureAwait(false);
            }
            finally
            {
                batch.Release();
            }
        }
    }

    private async Task WriteWithRetriesAsync(ReadingBatch batch)
    {
        TimeSpan delay = _retryDelay;
        Exception? first = null;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Sink.WriteAsync(batch, _abort.Token).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Readings);
                return;
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
                Interlocked.Increment(ref _retriesUsed);
                try
                {
                    await Task.Delay(delay, _abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Aborted while waiting: the next attempt sees the abort and gives up.
                }
                delay *= 2;
            }
        }
    }
}
