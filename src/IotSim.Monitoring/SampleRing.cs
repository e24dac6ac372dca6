using IotSim.Core.Simulation;

namespace IotSim.Monitoring;

/// <summary>
/// The latest readings of a run, for <c>/samplez</c>. <see cref="Add"/> runs on the generator's thread for every batch
/// (<see cref="Simulator.Tap"/>): it walks the batch from its end and copies only the last readings (at most the
/// ring's capacity) into preallocated arrays, so a batch of millions costs the same as one of a hundred.
/// Allocation-free after construction. Thread-safe.
/// </summary>
internal sealed class SampleRing
{
    private readonly Lock _lock = new();
    private readonly Sample[] _ring;
    private readonly Sample[] _scratch;
    private long _written;
    private Fleet? _fleet;

    public SampleRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Sample[capacity];
        _scratch = new Sample[capacity];
    }

    /// <summary>Readings kept at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>The fleet of the readings, once a batch has come.</summary>
    public Fleet? Fleet => Volatile.Read(ref _fleet);

    /// <summary>Keeps the last present readings of <paramref name="batch"/>.</summary>
    public void Add(ReadingBatch batch)
    {
        Fleet fleet = batch.Fleet;
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        byte[] flags = batch.Flags;
        float[] values = batch.Values;
        int taken = 0;
        // From the last reading backwards, into the scratch array from its end, so it ends up in batch order.
        for (int s = segments.Length - 1; s >= 0 && taken < _scratch.Length; s--)
        {
            BatchSegment seg = segments[s];
            IntervalGroup group = fleet.Groups[seg.Group];
            int perDevice = group.SensorsPerDevice;
            for (int i = seg.ChannelCount - 1; i >= 0 && taken < _scratch.Length; i--)
            {
                byte flag = flags[seg.Offset + i];
                if ((flag & ReadingFlags.Omitted) != 0) continue;
                int channel = seg.ChannelStart + i;
                int device = fleet.FirstDevice + channel / perDevice;
                _scratch[_scratch.Length - 1 - taken] = new Sample(
                    seg.TimestampMs + fleet.ClockSkewMs(device), device, group.SensorIndices[channel % perDevice], values[seg.Offset + i], flag);
                taken++;
            }
        }
        if (taken == 0) return;
        Volatile.Write(ref _fleet, fleet);
        lock (_lock)
        {
            for (int k = _scratch.Length - taken; k < _scratch.Length; k++)
            {
                _ring[(int)(_written++ % _ring.Length)] = _scratch[k];
            }
        }
    }

    /// <summary>The last <paramref name="count"/> readings (fewer when fewer came), oldest first.</summary>
    public Sample[] Latest(int count)
    {
        lock (_lock)
        {
            int n = (int)Math.Min(Math.Min(count, _ring.Length), _written);
            var result = new Sample[Math.Max(n, 0)];
            for (int k = 0; k < result.Length; k++)
            {
                result[k] = _ring[(int)((_written - result.Length + k) % _ring.Length)];
            }
            return result;
        }
    }

    /// <summary>One reading: its timestamp (device clock), device index, sensor index in the fleet, value (NaN: null) and flags.</summary>
    public readonly record struct Sample(long TimestampMs, int Device, int Sensor, float Value, byte Flags);
}
