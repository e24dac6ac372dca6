using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Simulation;

/// <summary>
/// Runs the kernels for a planned batch. Work is split into (interval group, channel block) items; each item walks
/// the batch's segments of its group in order, so a block's state stays in cache across the batch's ticks and
/// every channel is advanced exactly once per tick, in tick order, whatever the thread count.
/// </summary>
internal sealed class BatchComputer
{
    /// <summary>Channels per block: 4096 × 96 bytes of state = 384 KiB, which fits in L2; the same blocks as the episode caches (one thread per block).</summary>
    public const int BlockSize = SensorState.BlockSize;

    private readonly Fleet _fleet;
    private readonly SimdWidth _width;
    private readonly ParallelOptions _parallel;
    private readonly List<(int Group, int Block)> _items = [];
    private ReadingBatch? _batch;
    private int _omitted;

    public BatchComputer(Fleet fleet, SimdWidth width, int threads)
    {
        _fleet = fleet;
        // A width the hardware does not accelerate still runs (in software, bit-identical and slower); the report says so.
        _width = SensorKernel.ResolveWidth(width);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
    }

    public SimdWidth Width => _width;

    public void Compute(ReadingBatch batch)
    {
        _batch = batch;
        _omitted = 0;
        _items.Clear();
        int lastGroup = -1;
        Span<bool> seen = stackalloc bool[_fleet.Groups.Count];
        foreach (BatchSegment seg in batch.Segments)
        {
            if (seg.Group == lastGroup || seen[seg.Group]) continue;
            seen[seg.Group] = true;
            lastGroup = seg.Group;
            int lo = int.MaxValue, hi = 0;
            foreach (BatchSegment s in batch.Segments)
            {
                if (s.Group != seg.Group) continue;
                lo = Math.Min(lo, s.ChannelStart);
                hi = Math.Max(hi, s.ChannelStart + s.ChannelCount);
            }
            for (int b = lo / BlockSize; b * BlockSize < hi; b++)
            {
                _items.Add((seg.Group, b));
            }
        }
        if (_items.Count == 1 || _parallel.MaxDegreeOfParallelism == 1 || batch.Count < 16384)
        {
            for (int i = 0; i < _items.Count; i++)
            {
                RunItem(i);
            }
        }
        else
        {
            Parallel.For(0, _items.Count, _parallel, RunItem);
        }
        batch.Omitted = _omitted;
        _batch = null;
    }

    private void RunItem(int index)
    {
        ReadingBatch batch = _batch!;
        (int g, int block) = _items[index];
        IntervalGroup group = _fleet.Groups[g];
        int blockStart = block * BlockSize;
        int blockEnd = Math.Min(blockStart + BlockSize, group.ChannelCount);
        int omitted = 0;
        foreach (BatchSegment seg in batch.Segments)
        {
            if (seg.Group != g) continue;
            int lo = Math.Max(blockStart, seg.ChannelStart);
            int hi = Math.Min(blockEnd, seg.ChannelStart + seg.ChannelCount);
            if (lo >= hi) continue;
            int offset = seg.Offset + (lo - seg.ChannelStart);
            omitted += SensorKernel.Advance(_width, group.State, group.Params, lo, seg.TimestampMs,
                batch.Values.AsSpan(offset, hi - lo), batch.Flags.AsSpan(offset, hi - lo));
        }
        if (omitted != 0)
        {
            Interlocked.Add(ref _omitted, omitted);
        }
    }
}
