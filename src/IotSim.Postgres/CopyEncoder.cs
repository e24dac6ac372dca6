using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Postgres;

/// <summary>Where an encoder stopped in a batch: a segment (narrow) or the lead segment of a run (wide), and a device in it.</summary>
internal sealed class CopyCursor
{
    public int Segment { get; set; }
    public int Device { get; set; }

    public void Reset()
    {
        Segment = 0;
        Device = 0;
    }
}

/// <summary>
/// PostgreSQL binary COPY rows written straight from a batch's columns (hand-written hot path: the per-row work is a few
/// precomputed copies and big-endian stores, no per-value dispatch). Narrow: one tuple per present reading; wide: one
/// tuple per device per timestamp with a column per sensor (NULL when not due or omitted). Timestamps are microseconds
/// since 2000-01-01 UTC (dirty delivery's clock skew included); a NaN value (a dirty null) is SQL NULL. Not thread-safe.
/// </summary>
internal sealed class CopyEncoder
{
    /// <summary>The binary COPY header: signature, flags, header extension length.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The binary COPY trailer: a field count of −1.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xFF, 0xFF];

    private const long PostgresEpochMs = 946_684_800_000;

    private readonly Fleet _fleet;
    private readonly CopyLayout _layout;
    private readonly byte[][] _sensorField;
    private readonly byte[][] _kindField;
    private readonly byte[][] _labelText;
    private readonly byte[][] _sensorNames;
    private readonly bool _skew;
    private readonly int _maxDeviceRow;
    private readonly byte[] _labels;
    private int[] _runEnd = new int[16];

    public CopyEncoder(Fleet fleet, CopyLayout layout)
    {
        _fleet = fleet;
        _layout = layout;
        _skew = fleet.Scenario.Dirty.ClockSkew > 0;
        _sensorNames = [.. fleet.Sensors.Select(s => Encoding.UTF8.GetBytes(s.Name))];
        _sensorField = [.. Enumerable.Range(0, fleet.Sensors.Count).Select(s => layout.Dimensions ? Int2Field((short)s) : TextField(_sensorNames[s]))];
        int kinds = AnomalyKinds.Count;
        _labelText = [.. Enumerable.Range(0, kinds).Select(k => Encoding.UTF8.GetBytes(AnomalyKinds.ToName((AnomalyKind)k)))];
        _kindField = [.. Enumerable.Range(0, kinds).Select(k => k == 0 ? NullField() : TextField(_labelText[k]))];
        int id = 4 + fleet.MaxDeviceIdBytes;
        int labelMax = _kindField.Max(f => f.Length);
        int valueField = 4 + (layout.Double ? 8 : 4);
        if (layout.Wide)
        {
            int names = _sensorNames.Sum(n => n.Length + 1 + 16);
            _labels = new byte[names];
            _maxDeviceRow = 2 + 12 + id + fleet.Sensors.Count * valueField + 5 + labelMax + 4 + names;
        }
        else
        {
            int perReading = 2 + 12 + id + _sensorField.Max(f => f.Length) + valueField + labelMax;
            _maxDeviceRow = fleet.Groups.Max(g => g.SensorsPerDevice) * perReading;
            _labels = [];
        }
    }

    /// <summary>Bytes one device's rows of one segment (or run) can take at most; a buffer must hold at least this.</summary>
    public int MaxDeviceBytes => _maxDeviceRow;

    /// <summary>Finds the wide runs of a batch (consecutive segments of one timestamp over the same devices); call once per batch.</summary>
    public void Prepare(ReadingBatch batch)
    {
        if (!_layout.Wide) return;
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        if (_runEnd.Length < segments.Length + 1) _runEnd = new int[Math.Max(segments.Length + 1, _runEnd.Length * 2)];
        WideRuns.Find(_fleet, segments, _runEnd);
    }

    /// <summary>
    /// Writes rows from <paramref name="cursor"/> on into <paramref name="destination"/>, whole devices at a time, until
    /// it is full or <paramref name="rowLimit"/> rows are written; returns the bytes written and the rows in
    /// <paramref name="rows"/> (and the readings they hold in <paramref name="readings"/>: as many as rows in narrow
    /// tables, the present values in wide ones). The cursor then points after the last device written; at the end of the batch its
    /// segment is the batch's segment count.
    /// </summary>
    public int Encode(ReadingBatch batch, CopyCursor cursor, Span<byte> destination, long rowLimit, out long rows, out long readings)
    {
        if (_layout.Wide) return EncodeWide(batch, cursor, destination, rowLimit, out rows, out readings);
        int written = EncodeNarrow(batch, cursor, destination, rowLimit, out rows);
        readings = rows;
        return written;
    }

    /// <summary>Whether the cursor has passed the batch's last segment.</summary>
    public static bool AtEnd(ReadingBatch batch, CopyCursor cursor) => cursor.Segment >= batch.SegmentCount;

    private int EncodeNarrow(ReadingBatch batch, CopyCursor cursor, Span<byte> dst, long rowLimit, out long rows)
    {
        rows = 0;
        int pos = 0;
        float[] values = batch.Values;
        byte[] flags = batch.Flags;
        bool dimensions = _layout.Dimensions, asDouble = _layout.Double;
        while (cursor.Segment < batch.SegmentCount)
        {
            BatchSegment seg = batch.Segments[cursor.Segment];
            IntervalGroup group = _fleet.Groups[seg.Group];
            int per = group.SensorsPerDevice;
            IReadOnlyList<int> sensors = group.SensorIndices;
            int devices = seg.ChannelCount / per;
            int firstDevice = _fleet.FirstDevice + seg.ChannelStart / per;
            long micros = (seg.TimestampMs - PostgresEpochMs) * 1000;
            while (cursor.Device < devices)
            {
                if (rows >= rowLimit || dst.Length - pos < _maxDeviceRow) return pos;
                int device = firstDevice + cursor.Device;
                long time = _skew ? micros + _fleet.ClockSkewMs(device) * 1000 : micros;
                int at = seg.Offset + cursor.Device * per;
                // The row prefix (field count, time, device) is written once, then copied for each reading.
                int prefixStart = pos, prefix = WritePrefix(dst[pos..], time, device, dimensions, 5);
                bool first = true;
                for (int k = 0; k < per; k++)
                {
                    byte flag = flags[at + k];
                    if (!ReadingFlags.IsPresent(flag)) continue;
                    if (!first) dst.Slice(prefixStart, prefix).CopyTo(dst[pos..]);
                    else first = false;
                    pos += prefix;
                    pos += Copy(_sensorField[sensors[k]], dst[pos..]);
                    pos += WriteValue(dst[pos..], values[at + k], asDouble);
                    pos += Copy(_kindField[flag & ReadingFlags.KindMask], dst[pos..]);
                    rows++;
                }
                if (first) pos = prefixStart; // no reading of this device was present
                cursor.Device++;
            }
            cursor.Segment++;
            cursor.Device = 0;
        }
        return pos;
    }

    private int EncodeWide(ReadingBatch batch, CopyCursor cursor, Span<byte> dst, long rowLimit, out long rows, out long readings)
    {
        rows = 0;
        readings = 0;
        int pos = 0;
        float[] values = batch.Values;
        byte[] flags = batch.Flags;
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        Span<int> bases = stackalloc int[_fleet.Groups.Count];
        Span<int> perOf = stackalloc int[_fleet.Groups.Count];
        while (cursor.Segment < segments.Length)
        {
            BatchSegment lead = segments[cursor.Segment];
            int end = _runEnd[cursor.Segment];
            int leadPer = _fleet.Groups[lead.Group].SensorsPerDevice;
            int devices = lead.ChannelCount / leadPer;
            int firstDevice = _fleet.FirstDevice + lead.ChannelStart / leadPer;
            long micros = (lead.TimestampMs - PostgresEpochMs) * 1000;
            bases.Fill(-1);
            for (int j = cursor.Segment; j < end; j++)
            {
                bases[segments[j].Group] = segments[j].Offset;
                perOf[segments[j].Group] = _fleet.Groups[segments[j].Group].SensorsPerDevice;
            }
            while (cursor.Device < devices)
            {
                if (rows >= rowLimit || dst.Length - pos < _maxDeviceRow) return pos;
                int dl = cursor.Device++;
                if ((flags[bases[lead.Group] + dl * leadPer] & ReadingFlags.Held) != 0) continue; // delivered late, as a copy
                int device = firstDevice + dl;
                long time = _skew ? micros + _fleet.ClockSkewMs(device) * 1000 : micros;
                pos += WritePrefix(dst[pos..], time, device, _layout.Dimensions, (short)(2 + _sensorNames.Length + 3));
                int firstKind = 0, labelsLength = 0;
                byte[] labels = _labels;
                for (int s = 0; s < _sensorNames.Length; s++)
                {
                    var (g, k) = _fleet.SlotOf(s);
                    int baseAt = bases[g];
                    if (baseAt < 0)
                    {
                        pos += WriteNull(dst[pos..]);
                        continue;
                    }
                    int at = baseAt + dl * perOf[g] + k;
                    byte flag = flags[at];
                    int kind = flag & ReadingFlags.KindMask;
                    if (kind != 0)
                    {
                        // anomalies: "sensor:kind" pairs joined by ';', as in the wide CSV.
                        firstKind = firstKind == 0 ? kind : firstKind;
                        if (labelsLength > 0) labels[labelsLength++] = (byte)';';
                        labelsLength += Copy(_sensorNames[s], labels.AsSpan(labelsLength));
                        labels[labelsLength++] = (byte)':';
                        labelsLength += Copy(_labelText[kind], labels.AsSpan(labelsLength));
                    }
                    if (ReadingFlags.IsPresent(flag))
                    {
                        pos += WriteValue(dst[pos..], values[at], _layout.Double);
                        readings++;
                    }
                    else
                    {
                        pos += WriteNull(dst[pos..]);
                    }
                }
                BinaryPrimitives.WriteInt32BigEndian(dst[pos..], 1);
                dst[pos + 4] = (byte)(firstKind != 0 ? 1 : 0);
                pos += 5;
                pos += Copy(_kindField[firstKind], dst[pos..]);
                if (labelsLength == 0)
                {
                    pos += WriteNull(dst[pos..]);
                }
                else
                {
                    BinaryPrimitives.WriteInt32BigEndian(dst[pos..], labelsLength);
                    labels.AsSpan(0, labelsLength).CopyTo(dst[(pos + 4)..]);
                    pos += 4 + labelsLength;
                }
                rows++;
            }
            cursor.Segment = end;
            cursor.Device = 0;
        }
        return pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int WritePrefix(Span<byte> dst, long time, int device, bool dimensions, short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(dst, fields);
        BinaryPrimitives.WriteInt32BigEndian(dst[2..], 8);
        BinaryPrimitives.WriteInt64BigEndian(dst[6..], time);
        if (dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(dst[14..], 4);
            BinaryPrimitives.WriteInt32BigEndian(dst[18..], device);
            return 22;
        }
        int length = _fleet.FormatDeviceId(device, dst[18..]);
        BinaryPrimitives.WriteInt32BigEndian(dst[14..], length);
        return 18 + length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteValue(Span<byte> dst, float value, bool asDouble)
    {
        if (float.IsNaN(value)) return WriteNull(dst);
        if (asDouble)
        {
            BinaryPrimitives.WriteInt32BigEndian(dst, 8);
            BinaryPrimitives.WriteDoubleBigEndian(dst[4..], value);
            return 12;
        }
        BinaryPrimitives.WriteInt32BigEndian(dst, 4);
        BinaryPrimitives.WriteSingleBigEndian(dst[4..], value);
        return 8;
    }

    private static int WriteNull(Span<byte> dst)
    {
        BinaryPrimitives.WriteInt32BigEndian(dst, -1);
        return 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Copy(byte[] bytes, Span<byte> dst)
    {
        bytes.CopyTo(dst);
        return bytes.Length;
    }

    private static byte[] TextField(byte[] text)
    {
        var field = new byte[4 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(field, text.Length);
        text.CopyTo(field, 4);
        return field;
    }

    private static byte[] Int2Field(short value)
    {
        var field = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(field, 2);
        BinaryPrimitives.WriteInt16BigEndian(field.AsSpan(4), value);
        return field;
    }

    private static byte[] NullField() => [0xFF, 0xFF, 0xFF, 0xFF];
}
