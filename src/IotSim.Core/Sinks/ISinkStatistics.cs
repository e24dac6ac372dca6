namespace IotSim.Core.Sinks;

/// <summary>
/// A sink that can say something about its target beyond the run's counters (a table's rows and size, files and
/// bytes), for the monitoring API's <c>/db_stats</c>. Optional: sinks without it report the run's counters only.
/// </summary>
public interface ISinkStatistics
{
    /// <summary>
    /// Statistics of the target as name/value pairs (numbers, text, booleans); called from a monitoring thread while the
    /// sink writes, so it must not disturb the writers (its own connection, a short timeout). Thread-safe.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, object>> StatisticsAsync(CancellationToken cancellationToken);
}
