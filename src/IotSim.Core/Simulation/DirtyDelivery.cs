using System.Buffers;
using System.Text;
using IotSim.Core.Encoders;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Simulation;

/// <summary>
/// Dirty delivery (<see cref="DirtyOptions"/>), applied to each computed batch before the sinks see it. A device
/// message is a device's readings of one interval group at one timestamp; every decision is drawn from
/// (seed, timestamp, device[, sensor]), so it does not depend on batch size, threads or shards:
/// <list type="bullet">
/// <item>null: the value becomes NaN, which every encoder writes as its null;</item>
/// <item>duplicate: a copy of the message is appended as an extra segment of the same batch (or the next, when full);</item>
/// <item>late: the message's slots are held (<see cref="SensorKernel.HeldFlags"/>) and a copy is appended to the
/// first batch whose stream has reached the message's time plus its delay; what is still held when the time range
/// ends is delivered in closing batches;</item>
/// <item>clock skew is applied by the encoders (<see cref="Fleet.ClockSkewMs"/>).</item>
/// </list>
/// Copies are whole segments, so every encoder, walker and sink handles them without knowing about dirty delivery.
/// Every dirty reading is written to the labels file as it is delivered. Single-threaded (the generator's loop).
/// </summary>
internal sealed class DirtyDelivery : IDisposable
{
    private readonly Fleet _fleet;
    private readonly ulong _seed;
    private readonly float _late;
    private readonly float _lateOrDuplicate;
    private readonly float _nulls;
    private readonly long _maxDelayMs;
    private readonly PriorityQueue<Copy, (long Due, long TimestampMs, int Device, int Group, long Order)> _pending = new();
    private readonly LabelWriter? _labels;
    private long _order;
    private int[] _runEnd = new int[16];
    private int[] _runSlots = new int[16];

    public DirtyDelivery(Fleet fleet)
    {
        _fleet = fleet;
        DirtyOptions o = fleet.Scenario.Dirty;
        _seed = fleet.Scenario.Seed;
        _late = (float)o.Late;
        _lateOrDuplicate = (float)(o.Late + o.Duplicates);
        _nulls = (float)o.Nulls;
        _maxDelayMs = (long)o.MaxDelay.TotalMilliseconds;
        if (o.Labels is { } path)
        {
            _labels = new LabelWriter(fleet, LabelsPath(path, fleet.Scenario.Shard));
            for (int d = fleet.FirstDevice; d < fleet.EndDevice; d++)
            {
                long skew = fleet.ClockSkewMs(d);
                if (skew != 0)
                {
                    _labels.Row("clock_skew", long.MinValue, d, -1, skew);
                    SkewedDevices++;
                }
            }
        }
        else
        {
            for (int d = fleet.FirstDevice; d < fleet.EndDevice && fleet.HasClockSkew; d++)
            {
                SkewedDevices += fleet.ClockSkewMs(d) != 0 ? 1 : 0;
            }
        }
    }

    /// <summary>The labels file of a shard: <c>labels.csv</c> unsharded, <c>labels-1of4.csv</c> for shard 1 of 4 (shards never share one).</summary>
    public static string LabelsPath(string path, Shard shard) =>
        shard.Count <= 1 ? path : Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}-{shard.Index}of{shard.Count}{Path.GetExtension(path)}");

    /// <summary>Readings delivered late (after later readings), counted when delivered.</summary>
    public long Late { get; private set; }

    /// <summary>Readings delivered a second time.</summary>
    public long Duplicated { get; private set; }

    /// <summary>Readings delivered with a null value (copies included).</summary>
    public long Nulls { get; private set; }

    /// <summary>Devices of this shard whose clock is skewed.</summary>
    public long SkewedDevices { get; }

    /// <summary>Whether copies wait for delivery.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Readings held for late delivery that were not delivered (the run stopped first); never counted as generated.</summary>
    public long Undelivered
    {
        get
        {
            long n = 0;
            foreach (var (copy, _) in _pending.UnorderedItems) n += copy.DelayMs >= 0 ? copy.Present : 0;
            return n;
        }
    }

    /// <summary>Applies nulls, duplicates and late holds to a computed batch, then appends the copies now due.</summary>
    public void Apply(ReadingBatch batch)
    {
        int segmentCount = batch.SegmentCount;
        long streamMs = long.MinValue;
        // A wide row holds every group due at the timestamp: its parts (a segment and the rest of its run) are delivered
        // together, so a copy waits until the room for all of them is there.
        int[]? runSlots = _fleet.Scenario.Shape == OutputShape.Wide ? RunSlots(batch) : null;
        for (int i = 0; i < segmentCount; i++)
        {
            BatchSegment seg = batch.Segments[i];
            int remaining = runSlots?[i] ?? 0;
            streamMs = Math.Max(streamMs, seg.TimestampMs);
            IntervalGroup group = _fleet.Groups[seg.Group];
            int per = group.SensorsPerDevice;
            uint timeKey = Hash32.StreamKey(_seed, Hash32.MessageStream, seg.TimestampMs);
            int device = _fleet.FirstDevice + seg.ChannelStart / per;
            for (int at = seg.Offset; at < seg.Offset + seg.ChannelCount; at += per, device++)
            {
                uint h = Hash32.Mix(timeKey ^ ((uint)device * 0x9E3779B1u));
                if (_nulls > 0)
                {
                    ApplyNulls(batch, group, at, device, h, seg.TimestampMs);
                }
                float u = Hash32.Unit(h);
                if (u >= _lateOrDuplicate)
                {
                    continue;
                }
                bool late = u < _late;
                long delay = late ? 1 + (long)(Hash32.Unit(Hash32.Mix(h ^ Hash32.DelaySalt)) * _maxDelayMs) : 0;
                var copy = Copy.Of(batch, seg, at - seg.Offset, per, late ? delay : -1, Math.Max(per, remaining));
                _pending.Enqueue(copy, (seg.TimestampMs + delay, seg.TimestampMs, device, seg.Group, _order++));
                if (late)
                {
                    Hold(batch, at, per);
                }
            }
        }
        Drain(batch, streamMs);
    }

    /// <summary>
    /// Appends the pending copies due by <paramref name="streamMs"/> while the batch has room, in the order (due time,
    /// timestamp, device, group): the parts of one message stay together, so a wide row is delivered whole.
    /// </summary>
    public void Drain(ReadingBatch batch, long streamMs)
    {
        while (_pending.TryPeek(out Copy? copy, out var key) && key.Due <= streamMs)
        {
            if (batch.Values.Length - batch.Count < copy.MessageRemaining) return;
            int offset = batch.TryAddCopy(copy.Group, copy.Tick, copy.TimestampMs, copy.ChannelStart, copy.Values.Length);
            if (offset < 0) return;
            _pending.Dequeue();
            copy.Values.CopyTo(batch.Values, offset);
            copy.Flags.CopyTo(batch.Flags, offset);
            IntervalGroup group = _fleet.Groups[copy.Group];
            int device = _fleet.FirstDevice + copy.ChannelStart / group.SensorsPerDevice;
            for (int k = 0; k < copy.Flags.Length; k++)
            {
                if ((copy.Flags[k] & SensorKernel.OmittedFlag) != 0)
                {
                    batch.Omitted++;
                    continue;
                }
                int sensor = group.SensorIndices[k];
                _labels?.Row(copy.DelayMs >= 0 ? "late" : "duplicate", copy.TimestampMs, device, sensor, copy.DelayMs >= 0 ? copy.DelayMs : long.MinValue);
                if (float.IsNaN(copy.Values[k]))
                {
                    Nulls++;
                    _labels?.Row("null", copy.TimestampMs, device, sensor, long.MinValue);
                }
            }
            if (copy.DelayMs >= 0) Late += copy.Present;
            else Duplicated += copy.Present;
        }
    }

    /// <summary>Writes what the labels file buffers.</summary>
    public void Flush() => _labels?.Flush();

    public void Dispose() => _labels?.Dispose();

    private void ApplyNulls(ReadingBatch batch, IntervalGroup group, int at, int device, uint h, long timestampMs)
    {
        for (int k = 0; k < group.SensorsPerDevice; k++)
        {
            int sensor = group.SensorIndices[k];
            if ((batch.Flags[at + k] & SensorKernel.OmittedFlag) != 0
                || Hash32.Unit(Hash32.Mix(h ^ Hash32.NullSalt ^ ((uint)sensor * 0x85EBCA77u))) >= _nulls)
            {
                continue;
            }
            batch.Values[at + k] = float.NaN;
            // A message that will be held is labelled when its copy is delivered.
            if (!WillBeHeld(h))
            {
                Nulls++;
                _labels?.Row("null", timestampMs, device, sensor, long.MinValue);
            }
        }
    }

    private bool WillBeHeld(uint h) => Hash32.Unit(h) < _late;

    /// <summary>Per segment: slots per device of it and of the segments after it in its wide run (a row's remaining parts).</summary>
    private int[] RunSlots(ReadingBatch batch)
    {
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        if (_runEnd.Length < segments.Length) _runEnd = new int[Math.Max(segments.Length, _runEnd.Length * 2)];
        if (_runSlots.Length < segments.Length) _runSlots = new int[_runEnd.Length];
        WideRuns.Find(_fleet, segments, _runEnd);
        for (int i = 0; i < segments.Length; i++)
        {
            if (_runEnd[i] < 0) continue;
            for (int j = _runEnd[i] - 1, after = 0; j >= i; j--)
            {
                after += _fleet.Groups[segments[j].Group].SensorsPerDevice;
                _runSlots[j] = after;
            }
        }
        return _runSlots;
    }

    private static void Hold(ReadingBatch batch, int at, int per)
    {
        for (int k = at; k < at + per; k++)
        {
            if ((batch.Flags[k] & SensorKernel.OmittedFlag) != 0) batch.Omitted--;
            batch.Flags[k] = SensorKernel.HeldFlags;
        }
        batch.Held += per;
    }

    /// <summary>A copy of one device message waiting for delivery; <see cref="DelayMs"/> is −1 for a duplicate.</summary>
    private sealed class Copy
    {
        public int Group { get; init; }
        public long Tick { get; init; }
        public long TimestampMs { get; init; }
        public int ChannelStart { get; init; }
        public long DelayMs { get; init; }
        public int Present { get; init; }

        /// <summary>Slots of this part and the parts of its message after it (the whole wide row from here on).</summary>
        public int MessageRemaining { get; init; }
        public required float[] Values { get; init; }
        public required byte[] Flags { get; init; }

        public static Copy Of(ReadingBatch batch, BatchSegment seg, int channel, int per, long delayMs, int messageRemaining)
        {
            float[] values = batch.Values.AsSpan(seg.Offset + channel, per).ToArray();
            byte[] flags = batch.Flags.AsSpan(seg.Offset + channel, per).ToArray();
            int present = 0;
            foreach (byte f in flags) present += (f & SensorKernel.OmittedFlag) == 0 ? 1 : 0;
            return new Copy
            {
                Group = seg.Group,
                Tick = seg.Tick,
                TimestampMs = seg.TimestampMs,
                ChannelStart = seg.ChannelStart + channel,
                DelayMs = delayMs,
                MessageRemaining = messageRemaining,
                Present = present,
                Values = values,
                Flags = flags,
            };
        }
    }

    /// <summary>The labels CSV: <c>kind,timestamp,device_id,sensor,detail</c>, timestamps as the device reports them.</summary>
    private sealed class LabelWriter : IDisposable
    {
        private readonly Fleet _fleet;
        private readonly FileStream _file;
        private readonly byte[][] _sensors;
        private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);

        public LabelWriter(Fleet fleet, string path)
        {
            _fleet = fleet;
            try
            {
                _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException(fleet.Scenario.SourcePath, 0, "dirty.labels", $"cannot create '{path}': {e.Message}");
            }
            _sensors = [.. fleet.Sensors.Select(s => Encoding.UTF8.GetBytes(TextEscaping.Csv(s.Name)))];
            _buffer.Write("kind,timestamp,device_id,sensor,detail\n"u8);
        }

        public void Row(string kind, long timestampMs, int device, int sensor, long detail)
        {
            Span<byte> dst = _buffer.GetSpan(256);
            int pos = Encoding.ASCII.GetBytes(kind, dst);
            dst[pos++] = (byte)',';
            if (timestampMs != long.MinValue)
            {
                IsoTimestamp.Format(timestampMs + _fleet.ClockSkewMs(device), dst[pos..]);
                pos += IsoTimestamp.Length;
            }
            dst[pos++] = (byte)',';
            _buffer.Advance(pos);
            Span<byte> id = _buffer.GetSpan(_fleet.MaxDeviceIdBytes);
            int idLength = _fleet.FormatDeviceId(device, id);
            if (id[..idLength].IndexOfAny(",\"\r\n"u8) < 0) _buffer.Advance(idLength);
            else _buffer.Write(Encoding.UTF8.GetBytes(TextEscaping.Csv(_fleet.DeviceId(device)))); // needs CSV quoting
            dst = _buffer.GetSpan(64);
            pos = 0;
            dst[pos++] = (byte)',';
            _buffer.Advance(pos);
            if (sensor >= 0) _buffer.Write(_sensors[sensor]);
            dst = _buffer.GetSpan(32);
            pos = 0;
            dst[pos++] = (byte)',';
            if (detail != long.MinValue)
            {
                detail.TryFormat(dst[pos..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
                pos += written;
            }
            dst[pos++] = (byte)'\n';
            _buffer.Advance(pos);
            if (_buffer.WrittenCount >= 1 << 20) Flush();
        }

        public void Flush()
        {
            _file.Write(_buffer.WrittenSpan);
            _buffer.Clear();
            _file.Flush();
        }

        public void Dispose()
        {
            Flush();
            _file.Dispose();
        }
    }
}
