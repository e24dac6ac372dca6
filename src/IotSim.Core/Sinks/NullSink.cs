using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>Counts readings and discards them; measures the generator alone.</summary>
public sealed class NullSink(string name = "null") : IReadingSink
{
    private long _readings;

    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public string? Location => "discarded (null sink)";

    /// <summary>Readings received.</summary>
    public long Readings => Interlocked.Read(ref _readings);

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Interlocked.Add(ref _readings, batch.Readings);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
