namespace IotSim.Core.Sinks;

/// <summary>
/// What happened to the readings offered to one sink. Always holds: Generated = Delivered + Dropped + Failed.
/// </summary>
public sealed record SinkReport(string Name, long Generated, long Delivered, long Dropped, long Failed, string? Error);
