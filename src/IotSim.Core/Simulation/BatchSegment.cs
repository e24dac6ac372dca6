namespace IotSim.Core.Simulation;

/// <summary>
/// A run of readings in a batch: one tick of one interval group, channels [ChannelStart, ChannelStart + ChannelCount),
/// stored at [Offset, Offset + ChannelCount) of the batch columns.
/// </summary>
public readonly record struct BatchSegment(int Group, long Tick, long TimestampMs, int ChannelStart, int ChannelCount, int Offset);
