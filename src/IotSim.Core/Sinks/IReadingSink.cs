using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// A destination for readings. The engine calls <see cref="OpenAsync"/> once, <see cref="WriteAsync"/> per batch
/// (never concurrently), then <see cref="CompleteAsync"/> once on success, and always disposes.
/// </summary>
public interface IReadingSink : IAsyncDisposable
{
    /// <summary>Name shown in reports.</summary>
    string Name { get; }

    /// <summary>Prepares the destination (create files, connect).</summary>
    ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken);

    /// <summary>Writes every present (non-omitted) reading of the batch. The batch is only valid during the call.</summary>
    ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Hands over what the sink buffers internally, called by the runner when no batch has arrived for the sink's
    /// <c>flush_interval</c> (slow or paced runs). The default does nothing: sinks that write each batch through need no flush.
    /// </summary>
    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Flushes and finalises (e.g. gives files their final names).</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Readings durably delivered so far, for sinks that confirm delivery later than <see cref="WriteAsync"/> returns
    /// (a file sink: rows in files that got their final name; a broker: acknowledged messages). Null (the default)
    /// means every reading of a successful <see cref="WriteAsync"/> is delivered. Read after the sink is disposed
    /// for the final count. Thread-safe.
    /// </summary>
    long? ConfirmedReadings => null;

    /// <summary>Bytes written to the target so far (encoded, after compression), for sinks that count them; null otherwise. Thread-safe.</summary>
    long? BytesWritten => null;

    /// <summary>Where the sink's data is and how much of it is complete, for the run report; null when there is nothing to say.</summary>
    string? Location => null;
}
