using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Simulation;

/// <summary>Records every present reading as (timestamp, device, sensor, value bits, flag), in delivery order.</summary>
internal sealed class RecordingSink : IReadingSink
{
    public List<(long Ts, int Device, int Sensor, int ValueBits, byte Flag)> Rows { get; } = [];

    public string Name => "recording";

    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        Fleet fleet = batch.Fleet;
        foreach (BatchSegment seg in batch.Segments)
        {
            IntervalGroup g = fleet.Groups[seg.Group];
            for (int i = 0; i < seg.ChannelCount; i++)
            {
                int ch = seg.ChannelStart + i;
                byte flag = batch.Flags[seg.Offset + i];
                if ((flag & IotSim.Core.Kernels.SensorKernel.OmittedFlag) != 0) continue;
                Rows.Add((seg.TimestampMs, fleet.FirstDevice + ch / g.SensorsPerDevice, g.SensorIndices[ch % g.SensorsPerDevice],
                    BitConverter.SingleToInt32Bits(batch.Values[seg.Offset + i]), flag));
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
