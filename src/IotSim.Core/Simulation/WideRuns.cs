using System.Diagnostics.CodeAnalysis;

namespace IotSim.Core.Simulation;

/// <summary>
/// The runs of a batch for wide rows: consecutive segments of one timestamp over the same devices, in increasing group
/// order (the planner writes every group due at a timestamp so for the wide shape). A wide row of a device takes its
/// readings from every segment of its run. Shared by every wide writer (CSV/JSON, line protocol, COPY, SQLite, Parquet).
/// </summary>
[Experimental("IOTSIM001")]
public static class WideRuns
{
    /// <summary>The index of the segment whose slots start at <paramref name="offset"/> (segments are in offset order).</summary>
    public static int IndexOf(ReadOnlySpan<BatchSegment> segments, int offset)
    {
        int lo = 0, hi = segments.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int o = segments[mid].Offset;
            if (o == offset) return mid;
            if (o < offset) lo = mid + 1;
            else hi = mid - 1;
        }
        throw new ArgumentException("the segment is not one of the batch's segments", nameof(offset));
    }

    /// <summary>
    /// Fills <paramref name="runEnd"/> (at least as long as <paramref name="segments"/>): for the first segment of each
    /// run, the index after its last segment; for the other segments of a run, −1.
    /// </summary>
    public static void Find(Fleet fleet, ReadOnlySpan<BatchSegment> segments, Span<int> runEnd)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        if (runEnd.Length < segments.Length) throw new ArgumentException("runEnd must be as long as the segments", nameof(runEnd));
        int i = 0;
        while (i < segments.Length)
        {
            BatchSegment lead = segments[i];
            int per = fleet.Groups[lead.Group].SensorsPerDevice;
            int first = lead.ChannelStart / per, count = lead.ChannelCount / per;
            int j = i + 1;
            while (j < segments.Length)
            {
                BatchSegment next = segments[j];
                int nextPer = fleet.Groups[next.Group].SensorsPerDevice;
                if (next.TimestampMs != lead.TimestampMs || next.Group <= segments[j - 1].Group
                    || next.ChannelStart / nextPer != first || next.ChannelCount / nextPer != count)
                {
                    break;
                }
                runEnd[j++] = -1;
            }
            runEnd[i] = j;
            i = j;
        }
    }
}
