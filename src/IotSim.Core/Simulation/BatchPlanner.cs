namespace IotSim.Core.Simulation;

/// <summary>
/// Walks the global output order — timestamp, then interval group, then channel — and cuts it into batches of at
/// most a given number of readings. Cuts fall on device boundaries so a device's readings of one tick stay together.
/// The order, and so the output, does not depend on the batch size. For the wide shape the order is timestamp,
/// then device range, then group: every group due at a timestamp gets a segment over the same devices, one after
/// the other, so a wide row can hold all of a device's sensors at that timestamp whatever their intervals.
/// </summary>
internal sealed class BatchPlanner
{
    private readonly Fleet _fleet;
    private readonly long[] _nextTick;
    private readonly int[] _nextChannel;
    private readonly long _startMs;
    private readonly bool _wide;
    private int _nextDevice;

    public BatchPlanner(Fleet fleet)
    {
        _fleet = fleet;
        _nextTick = new long[fleet.Groups.Count];
        _nextChannel = new int[fleet.Groups.Count];
        _startMs = fleet.Start.ToUnixTimeMilliseconds();
        _wide = fleet.Scenario.Shape == Scenarios.OutputShape.Wide;
    }

    /// <summary>Whether every group has emitted all its ticks.</summary>
    public bool Finished => NextTimestampMs() == long.MaxValue;

    /// <summary>Timestamp (Unix ms) of the next reading, or long.MaxValue when finished.</summary>
    public long NextTimestampMs()
    {
        long best = long.MaxValue;
        for (int g = 0; g < _nextTick.Length; g++)
        {
            IntervalGroup group = _fleet.Groups[g];
            if (_nextTick[g] < group.TickCount && group.ChannelCount > 0)
            {
                best = Math.Min(best, _startMs + _nextTick[g] * group.IntervalMs);
            }
        }
        return best;
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with segments up to its capacity. With <paramref name="singleTimestamp"/>,
    /// stops after the readings of one timestamp (realtime pacing).
    /// </summary>
    public void Fill(ReadingBatch batch, bool singleTimestamp)
    {
        if (_wide)
        {
            FillByDevice(batch, singleTimestamp);
            return;
        }
        int capacity = batch.Capacity;
        long firstTs = -1;
        while (true)
        {
            long ts = NextTimestampMs();
            if (ts == long.MaxValue || (singleTimestamp && firstTs >= 0 && ts != firstTs)) return;
            firstTs = firstTs < 0 ? ts : firstTs;
            for (int g = 0; g < _nextTick.Length; g++)
            {
                IntervalGroup group = _fleet.Groups[g];
                if (_nextTick[g] >= group.TickCount || group.ChannelCount == 0 || _startMs + _nextTick[g] * group.IntervalMs != ts)
                {
                    continue;
                }
                int room = capacity - batch.Count;
                int perDevice = group.SensorsPerDevice;
                int take = Math.Min(group.ChannelCount - _nextChannel[g], room - room % perDevice);
                if (take <= 0) return;
                batch.AddSegment(g, _nextTick[g], ts, _nextChannel[g], take);
                _nextChannel[g] += take;
                if (_nextChannel[g] == group.ChannelCount)
                {
                    _nextChannel[g] = 0;
                    _nextTick[g]++;
                }
                else
                {
                    return;
                }
            }
        }
    }

    private bool IsDue(int g, long ts)
    {
        IntervalGroup group = _fleet.Groups[g];
        return _nextTick[g] < group.TickCount && group.ChannelCount > 0 && _startMs + _nextTick[g] * group.IntervalMs == ts;
    }

    private void FillByDevice(ReadingBatch batch, bool singleTimestamp)
    {
        int devices = _fleet.EndDevice - _fleet.FirstDevice;
        long firstTs = -1;
        while (true)
        {
            long ts = NextTimestampMs();
            if (ts == long.MaxValue || (singleTimestamp && firstTs >= 0 && ts != firstTs)) return;
            firstTs = firstTs < 0 ? ts : firstTs;
            int perDevice = 0;
            for (int g = 0; g < _nextTick.Length; g++)
            {
                perDevice += IsDue(g, ts) ? _fleet.Groups[g].SensorsPerDevice : 0;
            }
            int take = Math.Min(devices - _nextDevice, (batch.Capacity - batch.Count) / perDevice);
            if (take <= 0) return;
            for (int g = 0; g < _nextTick.Length; g++)
            {
                if (!IsDue(g, ts)) continue;
                int sensors = _fleet.Groups[g].SensorsPerDevice;
                batch.AddSegment(g, _nextTick[g], ts, _nextDevice * sensors, take * sensors);
            }
            _nextDevice += take;
            if (_nextDevice < devices) return;
            _nextDevice = 0;
            for (int g = 0; g < _nextTick.Length; g++)
            {
                if (IsDue(g, ts)) _nextTick[g]++;
            }
        }
    }
}
