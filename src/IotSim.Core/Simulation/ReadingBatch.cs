namespace IotSim.Core.Simulation;

/// <summary>
/// Pooled columns of readings: values and flags for a sequence of <see cref="BatchSegment"/>s in global output
/// order (timestamp, interval group, device, sensor). Shared by every sink by reference count; a sink must not keep
/// it after <see cref="Release"/>.
/// </summary>
public sealed class ReadingBatch
{
    private readonly ReadingBatchPool? _pool;
    private BatchSegment[] _segments = new BatchSegment[16];
    private int _refCount;

    internal ReadingBatch(Fleet fleet, int capacity, ReadingBatchPool? pool, int extraRoom = 0)
    {
        Fleet = fleet;
        Capacity = capacity;
        Values = new float[capacity + extraRoom];
        Flags = new byte[capacity + extraRoom];
        _pool = pool;
    }

    /// <summary>The fleet the readings belong to.</summary>
    public Fleet Fleet { get; }

    /// <summary>Reading values; slot i belongs to the segment covering i.</summary>
    public float[] Values { get; }

    /// <summary>
    /// Per reading: anomaly kind in bits 0..2, <c>0x80</c> when omitted (a missing-data anomaly, or with <c>0x40</c> a
    /// reading held back by dirty delivery to be delivered late, in a later segment).
    /// </summary>
    public byte[] Flags { get; }

    /// <summary>Slots the planner fills; dirty delivery may append copies beyond it, up to the arrays' length.</summary>
    public int Capacity { get; }

    /// <summary>Slots used (omitted readings included).</summary>
    public int Count { get; private set; }

    /// <summary>Slots that are omitted readings (missing-data anomaly).</summary>
    public int Omitted { get; internal set; }

    /// <summary>Slots held back by dirty delivery: they are delivered late, as copies in a later segment.</summary>
    public int Held { get; internal set; }

    /// <summary>Readings present: <see cref="Count"/> − <see cref="Omitted"/> − <see cref="Held"/>.</summary>
    public int Readings => Count - Omitted - Held;

    /// <summary>Sequence number of the batch in the run, from 0.</summary>
    public long Sequence { get; internal set; }

    /// <summary>The segments in output order.</summary>
    public ReadOnlySpan<BatchSegment> Segments => _segments.AsSpan(0, SegmentCount);

    /// <summary>Number of segments.</summary>
    public int SegmentCount { get; private set; }

    internal void Reset()
    {
        Count = 0;
        Omitted = 0;
        Held = 0;
        SegmentCount = 0;
    }

    internal void AddSegment(int group, long tick, long timestampMs, int channelStart, int channelCount)
    {
        if (SegmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }
        _segments[SegmentCount++] = new BatchSegment(group, tick, timestampMs, channelStart, channelCount, Count);
        Count += channelCount;
    }

    /// <summary>Appends a segment whose values are copied in by the caller at the returned offset; −1 when the arrays lack room.</summary>
    internal int TryAddCopy(int group, long tick, long timestampMs, int channelStart, int channelCount)
    {
        if (Values.Length - Count < channelCount) return -1;
        int offset = Count;
        AddSegment(group, tick, timestampMs, channelStart, channelCount);
        return offset;
    }

    internal void SetReferences(int count) => Volatile.Write(ref _refCount, count);

    /// <summary>Hands the batch back; the last holder returns it to the pool.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _refCount);
        if (left == 0)
        {
            _pool?.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("ReadingBatch released more often than it was shared");
        }
    }
}
