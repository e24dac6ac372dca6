using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Simulation;

/// <summary>
/// Expands a batch's segments into explicit readings for sinks that need them (binary COPY, Parquet, Kafka frames):
/// row by row (<see cref="MoveNext"/> with <see cref="TimestampMs"/>, <see cref="Device"/>, <see cref="Sensor"/>,
/// <see cref="Value"/>, <see cref="Anomaly"/>) or in columns (<see cref="FillColumns"/>), skipping omitted readings, in
/// the batch's order. Allocation-free. Not thread-safe; valid while the batch is.
/// </summary>
[Experimental("IOTSIM001")]
public ref struct SegmentWalker
{
    private readonly ReadingBatch _batch;
    private int _segment;
    private int _index;
    private int _pos;
    private int _perDevice;
    private IntervalGroup? _group;
    private long _segmentTimestampMs;
    private long _skewMs;

    /// <summary>A walker before the first present reading of <paramref name="batch"/>.</summary>
    public SegmentWalker(ReadingBatch batch)
    {
        _batch = batch ?? throw new ArgumentNullException(nameof(batch));
        _segment = -1;
        _index = 0;
    }

    /// <summary>Timestamp of the current reading as its device reports it (dirty delivery's clock skew included), Unix milliseconds.</summary>
    public readonly long TimestampMs => _segmentTimestampMs + _skewMs;

    /// <summary>Device index of the current reading (in the whole fleet).</summary>
    public int Device { get; private set; }

    /// <summary>Sensor index of the current reading, into <see cref="Fleet.Sensors"/>.</summary>
    public int Sensor { get; private set; }

    /// <summary>Value of the current reading.</summary>
    public float Value { get; private set; }

    /// <summary>Anomaly label of the current reading.</summary>
    public AnomalyKind Anomaly { get; private set; }

    /// <summary>Moves to the next present reading; false at the end of the batch.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (_segment >= _batch.SegmentCount) return false;
            if (_segment < 0 || _index >= _batch.Segments[_segment].ChannelCount)
            {
                if (++_segment >= _batch.SegmentCount) return false;
                BatchSegment next = _batch.Segments[_segment];
                _group = _batch.Fleet.Groups[next.Group];
                _perDevice = _group.SensorsPerDevice;
                _index = 0;
                _pos = next.ChannelStart % _perDevice;
                Device = _batch.Fleet.FirstDevice + (next.ChannelStart / _perDevice);
                _segmentTimestampMs = next.TimestampMs;
                _skewMs = _batch.Fleet.HasClockSkew ? _batch.Fleet.ClockSkewMs(Device) : 0;
            }
            else if (++_pos == _perDevice)
            {
                _pos = 0;
                Device++;
                _skewMs = _batch.Fleet.HasClockSkew ? _batch.Fleet.ClockSkewMs(Device) : 0;
            }
            BatchSegment segment = _batch.Segments[_segment];
            int slot = segment.Offset + _index;
            // _index counts from 0 on entry to a segment; the position was set for it above.
            _index++;
            byte flag = _batch.Flags[slot];
            if ((flag & SensorKernel.OmittedFlag) != 0) continue;
            Sensor = _group!.SensorIndices[_pos];
            Value = _batch.Values[slot];
            Anomaly = (AnomalyKind)(flag & SensorKernel.KindMask);
            return true;
        }
    }

    /// <summary>
    /// Writes the next present readings into the columns (all of equal length, at least one) and returns how many;
    /// 0 at the end of the batch. Call again to continue.
    /// </summary>
    public int FillColumns(Span<long> timestampMs, Span<int> device, Span<int> sensor, Span<float> value, Span<AnomalyKind> anomaly)
    {
        int length = timestampMs.Length;
        if (device.Length != length || sensor.Length != length || value.Length != length || anomaly.Length != length)
        {
            throw new ArgumentException("the columns must have equal lengths");
        }
        int n = 0;
        while (n < length && MoveNext())
        {
            timestampMs[n] = TimestampMs;
            device[n] = Device;
            sensor[n] = Sensor;
            value[n] = Value;
            anomaly[n] = Anomaly;
            n++;
        }
        return n;
    }
}
