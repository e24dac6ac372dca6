using System.Text;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using Parquet;
using Parquet.Schema;

namespace IotSim.Parquet;

/// <summary>
/// One row group's columns, filled from batches (hand-written gather: strings are shared instances — device ids cached
/// per device, sensor names and labels from the catalog — so a row costs no allocation) and handed to Parquet.Net.
/// </summary>
internal sealed class Columns
{
    private readonly Fleet _fleet;
    private readonly bool _wide;
    private readonly bool _skew;
    private readonly DateTime[] _time;
    private readonly string[] _deviceColumn;
    private readonly string?[] _anomaly;
    private readonly float?[][] _wideValues;
    private readonly bool[] _flag;
    private readonly string?[] _anomalies;
    private readonly string?[] _deviceIds;
    private readonly NarrowParquetWriter.RowGroup? _rows;
    private readonly int _capacity;
    private readonly string[] _sensorNames;
    private readonly string?[] _labels;
    private readonly StringBuilder _text = new();
    private ReadingBatch? _batch;
    private int _segment;
    private int _device;
    private int _reading;
    private int[] _runEnd = new int[16];
    private readonly int[][] _slots;

    /// <summary>
    /// Columns of up to <paramref name="capacity"/> rows; with <paramref name="include"/> (by sensor index), narrow rows
    /// only of the sensors it includes (an industry partition).
    /// </summary>
    public Columns(Fleet fleet, int capacity, bool wide, bool[]? include)
    {
        _fleet = fleet;
        _wide = wide;
        _skew = fleet.Scenario.Dirty.ClockSkew > 0;
        _deviceIds = new string?[fleet.EndDevice - fleet.FirstDevice];
        _capacity = capacity;
        _sensorNames = [.. fleet.Sensors.Select(s => s.Name)];
        _labels = [.. Enumerable.Range(0, AnomalyKinds.Count).Select(k => k == 0 ? null : AnomalyKinds.ToName((AnomalyKind)k))];
        // Per interval group, the positions within a device's readings to gather (all, unless filtered).
        _slots = [.. fleet.Groups.Select(g => g.SensorIndices.Select((sensor, k) => (sensor, k)).Where(x => include is null || include[x.sensor]).Select(x => x.k).ToArray())];
        if (wide)
        {
            _time = new DateTime[capacity];
            _deviceColumn = new string[capacity];
            _rows = null;
            _wideValues = [.. fleet.Sensors.Select(_ => new float?[capacity])];
            _flag = new bool[capacity];
            _anomalies = new string?[capacity];
            _anomaly = new string?[capacity];
        }
        else
        {
            // Narrow rows are gathered raw (indices and numbers) for the hand-written writer.
            _rows = new NarrowParquetWriter.RowGroup(capacity)
            {
                Devices = new byte[fleet.EndDevice - fleet.FirstDevice][],
                Sensors = [.. fleet.Sensors.Select(s => Encoding.UTF8.GetBytes(s.Name))],
                Labels = [.. Enumerable.Range(0, AnomalyKinds.Count).Select(k => Encoding.UTF8.GetBytes(AnomalyKinds.ToName((AnomalyKind)k)))],
            };
            _time = [];
            _deviceColumn = [];
            _anomaly = [];
            _wideValues = [];
            _flag = [];
            _anomalies = [];
        }
    }

    /// <summary>Rows gathered.</summary>
    public int Count { get; private set; }

    /// <summary>Readings the gathered rows hold (wide rows hold several).</summary>
    public long Readings { get; private set; }

    public bool AtEnd => _segment >= _batch!.SegmentCount;

    /// <summary>Data time (without clock skew) of the next row to gather.</summary>
    public long NextTimestampMs => _batch!.Segments[_segment].TimestampMs;

    public void Start(ReadingBatch batch)
    {
        _batch = batch;
        _segment = _device = _reading = 0;
        if (_wide) FindRuns(batch);
        SkipEmpty();
    }

    public void Clear()
    {
        Count = 0;
        Readings = 0;
    }

    /// <summary>Smallest and largest time of the gathered wide rows (narrow rows get theirs from <see cref="WriteNarrow"/>): file statistics.</summary>
    public (DateTime Min, DateTime Max, long ValueNulls) Stats()
    {
        DateTime min = DateTime.MaxValue, max = DateTime.MinValue;
        for (int i = 0; i < Count; i++)
        {
            DateTime t = _time[i];
            if (t < min) min = t;
            if (t > max) max = t;
        }
        return (min, max, 0); // wide files have no single value column
    }

    /// <summary>Gathers rows until the row group is full, the data time reaches <paramref name="endMs"/>, or <paramref name="rowLimit"/> more rows.</summary>
    public void Fill(long endMs, long rowLimit)
    {
        ReadingBatch batch = _batch!;
        int capacity = _capacity;
        long limit = Math.Min(capacity, Count + Math.Clamp(rowLimit, 0, capacity));
        while (_segment < batch.SegmentCount && Count < limit)
        {
            BatchSegment seg = batch.Segments[_segment];
            if (seg.TimestampMs >= endMs) return;
            if (_wide) FillWide(batch, limit);
            else FillNarrow(batch, seg, limit);
        }
    }

    private void FillNarrow(ReadingBatch batch, BatchSegment seg, long limit)
    {
        IntervalGroup group = _fleet.Groups[seg.Group];
        int per = group.SensorsPerDevice;
        int devices = seg.ChannelCount / per;
        NarrowParquetWriter.RowGroup rows = _rows!;
        byte[] flags = batch.Flags;
        float[] values = batch.Values;
        int[] sensorIndices = group.SensorIndices as int[] ?? [.. group.SensorIndices];
        int[] slots = _slots[seg.Group];
        for (; _device < devices; _device++, _reading = 0)
        {
            int device = _fleet.FirstDevice + seg.ChannelStart / per + _device;
            int local = device - _fleet.FirstDevice;
            rows.Devices[local] ??= Encoding.UTF8.GetBytes(_fleet.DeviceId(device));
            long micros = (_skew ? seg.TimestampMs + _fleet.ClockSkewMs(device) : seg.TimestampMs) * 1000;
            int at = seg.Offset + _device * per;
            for (; _reading < slots.Length; _reading++)
            {
                int k = slots[_reading];
                byte flag = flags[at + k];
                if (!ReadingFlags.IsPresent(flag)) continue;
                if (Count == limit) return;
                int row = Count++;
                Readings++;
                rows.TimeMicros[row] = micros;
                rows.Device[row] = local;
                rows.Sensor[row] = sensorIndices[k];
                rows.Value[row] = values[at + k];
                rows.Label[row] = flag & ReadingFlags.KindMask;
            }
        }
        _segment++;
        _device = 0;
        SkipEmpty();
    }

    private void FillWide(ReadingBatch batch, long limit)
    {
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        BatchSegment lead = segments[_segment];
        int end = _runEnd[_segment];
        int leadPer = _fleet.Groups[lead.Group].SensorsPerDevice;
        int devices = lead.ChannelCount / leadPer;
        Span<int> bases = stackalloc int[_fleet.Groups.Count];
        bases.Fill(-1);
        for (int j = _segment; j < end; j++) bases[segments[j].Group] = segments[j].Offset;
        for (; _device < devices; _device++)
        {
            if ((batch.Flags[bases[lead.Group] + _device * leadPer] & ReadingFlags.Held) != 0) continue; // delivered late, as a copy
            if (Count == limit) return;
            int row = Count++;
            int device = _fleet.FirstDevice + lead.ChannelStart / leadPer + _device;
            _time[row] = Time(lead.TimestampMs, device);
            _deviceColumn[row] = DeviceId(device);
            int firstKind = 0;
            _text.Clear();
            for (int s = 0; s < _wideValues.Length; s++)
            {
                var (g, k) = _fleet.SlotOf(s);
                int at = bases[g] < 0 ? -1 : bases[g] + _device * _fleet.Groups[g].SensorsPerDevice + k;
                byte flag = at < 0 ? ReadingFlags.Omitted : batch.Flags[at];
                int kind = flag & ReadingFlags.KindMask;
                if (kind != 0)
                {
                    firstKind = firstKind == 0 ? kind : firstKind;
                    if (_text.Length > 0) _text.Append(';');
                    _text.Append(_sensorNames[s]).Append(':').Append(_labels[kind]);
                }
                float? value = null;
                if (ReadingFlags.IsPresent(flag))
                {
                    Readings++;
                    float v = batch.Values[at];
                    value = float.IsNaN(v) ? null : v;
                }
                _wideValues[s][row] = value;
            }
            _flag[row] = firstKind != 0;
            _anomaly[row] = _labels[firstKind];
            _anomalies[row] = _text.Length == 0 ? null : _text.ToString();
        }
        _segment = end;
        _device = 0;
        SkipEmpty();
    }

    /// <summary>Writes the gathered narrow rows as the next row group of <paramref name="writer"/>; returns their statistics.</summary>
    public (DateTime Min, DateTime Max, long ValueNulls) WriteNarrow(NarrowParquetWriter writer)
    {
        _rows!.Count = Count;
        var (min, max, nulls) = writer.Write(_rows);
        return (DateTime.UnixEpoch.AddTicks(min * 10), DateTime.UnixEpoch.AddTicks(max * 10), nulls);
    }

    /// <summary>Hands the gathered wide columns to a row group.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter group, DataField[] fields, CancellationToken cancellationToken)
    {
        int n = Count;
        await group.WriteAsync(fields[0], new ReadOnlyMemory<DateTime>(_time, 0, n), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[1], new ArraySegment<string>(_deviceColumn, 0, n)).ConfigureAwait(false);
        {
            for (int s = 0; s < _wideValues.Length; s++)
            {
                await group.WriteAsync(fields[2 + s], new ReadOnlyMemory<float?>(_wideValues[s], 0, n), null, null, cancellationToken).ConfigureAwait(false);
            }
            int at = 2 + _wideValues.Length;
            await group.WriteAsync(fields[at], new ReadOnlyMemory<bool>(_flag, 0, n), null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(fields[at + 1], new ArraySegment<string>(_anomaly!, 0, n)).ConfigureAwait(false);
            await group.WriteAsync(fields[at + 2], new ArraySegment<string>(_anomalies!, 0, n)).ConfigureAwait(false);
        }
    }

    private DateTime Time(long timestampMs, int device) =>
        DateTime.UnixEpoch.AddMilliseconds(_skew ? timestampMs + _fleet.ClockSkewMs(device) : timestampMs);

    private string DeviceId(int device) => _deviceIds[device - _fleet.FirstDevice] ??= _fleet.DeviceId(device);

    /// <summary>Moves past segments with nothing to gather (wide: not the lead of a run; narrow: none of the included sensors) so NextTimestampMs is meaningful.</summary>
    private void SkipEmpty()
    {
        ReadingBatch batch = _batch!;
        while (_segment < batch.SegmentCount && (batch.Segments[_segment].ChannelCount == 0 || (!_wide && _slots[batch.Segments[_segment].Group].Length == 0))) _segment++;
    }

    private void FindRuns(ReadingBatch batch)
    {
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        if (_runEnd.Length < segments.Length + 1) _runEnd = new int[Math.Max(segments.Length + 1, _runEnd.Length * 2)];
        WideRuns.Find(_fleet, segments, _runEnd);
    }
}
