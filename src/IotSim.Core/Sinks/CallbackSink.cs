using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// Hands readings to user code. With a batch callback the columns are passed as they are (no copies); with a
/// per-reading callback each present reading is materialised as a <see cref="Reading"/>.
/// </summary>
public sealed class CallbackSink : IReadingSink
{
    private readonly Func<ReadingBatch, CancellationToken, ValueTask>? _batchCallback;
    private readonly Action<IReadOnlyList<Reading>>? _readingsCallback;
    private readonly List<Reading> _buffer = [];

    /// <summary>A sink that receives each batch.</summary>
    public CallbackSink(Func<ReadingBatch, CancellationToken, ValueTask> onBatch, string name = "callback")
    {
        _batchCallback = onBatch ?? throw new ArgumentNullException(nameof(onBatch));
        Name = name;
    }

    /// <summary>A sink that receives the present readings of each batch as a list (valid during the call).</summary>
    public CallbackSink(Action<IReadOnlyList<Reading>> onReadings, string name = "callback")
    {
        _readingsCallback = onReadings ?? throw new ArgumentNullException(nameof(onReadings));
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_batchCallback is not null)
        {
            return _batchCallback(batch, cancellationToken);
        }
        _buffer.Clear();
        Fleet fleet = batch.Fleet;
        foreach (BatchSegment seg in batch.Segments)
        {
            IntervalGroup group = fleet.Groups[seg.Group];
            int perDevice = group.SensorsPerDevice;
            int device = fleet.FirstDevice + seg.ChannelStart / perDevice;
            int pos = seg.ChannelStart % perDevice;
            var ts = DateTimeOffset.FromUnixTimeMilliseconds(seg.TimestampMs + fleet.ClockSkewMs(device));
            string deviceId = fleet.DeviceId(device);
            for (int i = 0; i < seg.ChannelCount; i++)
            {
                byte flag = batch.Flags[seg.Offset + i];
                if ((flag & Kernels.SensorKernel.OmittedFlag) == 0)
                {
                    var def = fleet.Sensors[group.SensorIndices[pos]];
                    _buffer.Add(new Reading(ts, device, deviceId, def.Industry, def.Name, def.Unit, batch.Values[seg.Offset + i],
                        (Scenarios.AnomalyKind)(flag & Kernels.SensorKernel.KindMask)));
                }
                if (++pos == perDevice)
                {
                    pos = 0;
                    device++;
                    deviceId = i + 1 < seg.ChannelCount ? fleet.DeviceId(device) : deviceId;
                    ts = DateTimeOffset.FromUnixTimeMilliseconds(seg.TimestampMs + fleet.ClockSkewMs(device));
                }
            }
        }
        _readingsCallback!(_buffer);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
