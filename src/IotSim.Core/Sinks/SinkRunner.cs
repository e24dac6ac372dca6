using System.Threading.Channels;
using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// Feeds one sink from a bounded queue on its own task. When the queue is full the generator waits (backpressure
/// "block"). A failed write is retried with exponential backoff; after the last retry the sink is marked failed and
/// the rest of its readings are counted as failed, so Generated = Delivered + Dropped + Failed always holds.
/// </summary>
internal sealed class SinkRunner
{
    private readonly Channel<ReadingBatch> _queue;
    private readonly int _retries;
    private readonly TimeSpan _retryDelay;
    private long _generated;
    private long _delivered;
    private long _failed;
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

    public string? Error { get; private set; }

    public bool Failed => Error is not null;

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Records an error found outside the write path (e.g. closing); the first error is kept.</summary>
    public void RecordError(string error) => Error ??= error;

    public SinkReport Report() =>
        new(Sink.Name, Interlocked.Read(ref _generated), Delivered, 0, Interlocked.Read(ref _failed), Error);

    public async ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        await Sink.OpenAsync(fleet, cancellationToken).ConfigureAwait(false);
        // Stopping a run (Ctrl-C) stops the generator only: batches already queued are still delivered.
        _task = Task.Run(ConsumeAsync, CancellationToken.None);
    }

    /// <summary>Queues a batch (the caller has already counted this runner's reference). Waits while the queue is full.</summary>
    public ValueTask EnqueueAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _generated, batch.Readings);
        return _queue.Writer.WriteAsync(batch, cancellationToken);
    }

    /// <summary>Signals the end of the run, drains the queue and completes the sink.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_task is not null)
        {
            await _task.ConfigureAwait(false);
        }
        if (!Failed)
        {
            try
            {
                await Sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Error = $"{Sink.Name}: completing failed: {ex.Message}";
                long notDelivered = Interlocked.Exchange(ref _delivered, 0);
                Interlocked.Add(ref _failed, notDelivered);
            }
        }
    }

    private async Task ConsumeAsync()
    {
        await foreach (ReadingBatch batch in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (Failed)
                {
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
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Sink.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _delivered, batch.Readings);
                return;
            }
            catch (Exception ex)
            {
                if (attempt >= _retries)
                {
                    Error = $"{Sink.Name}: write failed after {attempt + 1} attempts: {ex.Message}";
                    Interlocked.Add(ref _failed, batch.Readings);
                    return;
                }
                await Task.Delay(delay, CancellationToken.None).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }
}
