using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests;

/// <summary>One reading slot of a run, omitted ones included.</summary>
internal readonly record struct Slot(long Ts, int Device, int Sensor, float Value, byte Flag);

/// <summary>Runs a scenario and records every reading slot (omitted ones included), in delivery order.</summary>
internal static class SlotRecorder
{
    public static async Task<(Fleet Fleet, List<Slot> Slots)> RunAsync(Scenario scenario)
    {
        var slots = new List<Slot>();
        var sink = new CallbackSink((batch, _) =>
        {
            foreach (BatchSegment seg in batch.Segments)
            {
                IntervalGroup g = batch.Fleet.Groups[seg.Group];
                for (int i = 0; i < seg.ChannelCount; i++)
                {
                    int ch = seg.ChannelStart + i;
                    slots.Add(new Slot(seg.TimestampMs, batch.Fleet.FirstDevice + ch / g.SensorsPerDevice, g.SensorIndices[ch % g.SensorsPerDevice],
                        batch.Values[seg.Offset + i], batch.Flags[seg.Offset + i]));
                }
            }
            return ValueTask.CompletedTask;
        });
        var sim = new Simulator(scenario);
        RunReport report = await sim.AddSink(sink).RunAsync();
        Assert.True(report.Succeeded, string.Join("; ", report.Sinks.Select(s => s.Error)));
        return (sim.Fleet!, slots);
    }
}
