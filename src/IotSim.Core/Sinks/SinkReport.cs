namespace IotSim.Core.Sinks;

/// <summary>
/// What happened to the readings offered to one sink. Always holds: Generated = Delivered + Dropped + Failed.
/// </summary>
public sealed record SinkReport(string Name, long Generated, long Delivered, long Dropped, long Failed, string? Error)
{
    /// <summary>Where the sink's data is and how much of it is complete (files, partial files), or null.</summary>
    public string? Location { get; init; }
}
