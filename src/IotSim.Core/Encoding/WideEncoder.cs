using System.Buffers;
using IotSim.Core.Kernels;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Hand-written hot path for wide rows: one row per device per segment (one tick of one interval group) with
/// device metadata and one column per sensor of the fleet; sensors outside the group, and omitted readings, are
/// empty CSV cells or absent JSON keys. <c>anomaly_flag</c> is 1 when a reading of the row is labelled and
/// <c>anomaly_type</c> the label of the first such reading. Allocation-free after warm-up (device identities are
/// cached the first time each device is seen). Not thread-safe.
/// </summary>
internal sealed class WideEncoder : ReadingEncoder
{
    private readonly Slot[][] _slots;
    private readonly PaddedBytes[] _trails;
    private readonly int[] _budget;
    private readonly PaddedBytes[] _endings;
    private readonly bool _cellsForOmitted;
    private readonly EncodingFormat _format;
    private readonly ushort[] _identityOfDevice;
    private readonly List<byte[]> _identities = [];
    private readonly Dictionary<(string, string, string), ushort> _identityIds = [];

    private WideEncoder(Fleet fleet, EncodingFormat format, string before, string afterTimestamp, string idTail)
        : base(fleet, before, afterTimestamp, DeviceIdParts(fleet, format).Open, DeviceIdParts(fleet, format).Close + idTail,
            format == EncodingFormat.Csv ? "" : "null")
    {
        _format = format;
        bool csv = format == EncodingFormat.Csv;
        _cellsForOmitted = csv;
        _identityOfDevice = new ushort[fleet.EndDevice - fleet.FirstDevice];
        _endings = new PaddedBytes[Scenarios.AnomalyKinds.Count];
        for (int kind = 0; kind < _endings.Length; kind++)
        {
            string label = Label(kind);
            _endings[kind] = PaddedBytes.From(csv
                ? (kind == 0 ? ",0," : ",1," + label) + "\n"
                : ",\"anomaly_flag\":" + (kind == 0 ? "0,\"anomaly_type\":null" : "1,\"anomaly_type\":\"" + label + "\"") + "}\n");
        }
        int sensorCount = fleet.Sensors.Count;
        _slots = new Slot[fleet.Groups.Count][];
        _trails = new PaddedBytes[fleet.Groups.Count];
        _budget = new int[fleet.Groups.Count];
        for (int g = 0; g < _slots.Length; g++)
        {
            IReadOnlyList<int> indices = fleet.Groups[g].SensorIndices;
            var slots = new Slot[indices.Count];
            int previous = -1;
            int budget = _endings.Max(e => e.Length) + PaddedBytes.Padding;
            for (int k = 0; k < indices.Count; k++)
            {
                int s = indices[k];
                int precision = fleet.Precision[s];
                // CSV: one comma per column up to and including this one (empty cells for sensors of other groups).
                PaddedBytes pre = PaddedBytes.From(csv
                    ? new string(',', s - previous)
                    : ",\"" + TextEscaping.Json(fleet.Sensors[s].Name) + "\":");
                slots[k] = new Slot(pre, ScaleOf(precision), precision);
                budget += pre.Length + ByteWriter.MaxValueBytes;
                previous = s;
            }
            _slots[g] = slots;
            _trails[g] = PaddedBytes.From(csv ? new string(',', sensorCount - 1 - previous) : "");
            _budget[g] = budget + _trails[g].Length;
        }
        Header = csv
            ? CsvHeader(["timestamp", "device_id", "manufacturer", "model", "firmware", .. fleet.Sensors.Select(s => s.Name), "anomaly_flag", "anomaly_type"])
            : [];
    }

    /// <summary>Wide CSV: <c>timestamp,device_id,manufacturer,model,firmware,&lt;sensors&gt;,anomaly_flag,anomaly_type</c>.</summary>
    public static WideEncoder Csv(Fleet fleet) => new(fleet, EncodingFormat.Csv, "", ",", "");

    /// <summary>Wide JSON Lines: the same fields as an object; sensors without a reading are left out.</summary>
    public static WideEncoder JsonLines(Fleet fleet) => new(fleet, EncodingFormat.JsonLines, "{\"timestamp\":\"", "\",\"device_id\":\"", "\"");

    /// <inheritdoc/>
    public override void EncodeDevices(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        IntervalGroup group = CheckRange(batch, segment, channelFrom, channelCount);
        Slot[] slots = _slots[segment.Group];
        int perDevice = slots.Length;
        int budget = _budget[segment.Group];
        PaddedBytes trail = _trails[segment.Group];
        PaddedBytes[] endings = _endings;
        bool cellsForOmitted = _cellsForOmitted;
        ReadOnlySpan<float> values = batch.Values.AsSpan(segment.Offset + channelFrom, channelCount);
        ReadOnlySpan<byte> flags = batch.Flags.AsSpan(segment.Offset + channelFrom, channelCount);
        int device = Fleet.FirstDevice + (segment.ChannelStart + channelFrom) / group.SensorsPerDevice;
        BeginSegment(segment.TimestampMs);
        byte[] nullToken = NullToken;
        var writer = new ByteWriter(output);
        for (int c = 0; c < channelCount; c += perDevice, device++)
        {
            int rowLength = AppendToRow(BeginDevice(device), Identity(device));
            ref byte dst = ref writer.Reserve(rowLength + PaddedBytes.Padding + budget);
            int pos = ByteWriter.Copy(ref dst, 0, new PaddedBytes(Row, rowLength));
            int firstKind = 0;
            for (int k = 0; k < slots.Length; k++)
            {
                byte flag = flags[c + k];
                ref readonly Slot slot = ref slots[k];
                if ((flag & SensorKernel.OmittedFlag) != 0)
                {
                    if (cellsForOmitted)
                    {
                        pos = ByteWriter.Copy(ref dst, pos, slot.Pre);
                    }
                    continue;
                }
                pos = ByteWriter.Copy(ref dst, pos, slot.Pre);
                float value = values[c + k];
                int end = ByteWriter.FormatFixed(ref dst, pos, value, slot.Scale, slot.Precision, 0);
                pos = end >= 0 ? end : ByteWriter.FormatUnusual(ref dst, pos, value, slot.Precision, 0, nullToken);
                if (firstKind == 0)
                {
                    firstKind = flag & SensorKernel.KindMask;
                }
            }
            pos = ByteWriter.Copy(ref dst, pos, in trail);
            pos = ByteWriter.Copy(ref dst, pos, in endings[firstKind]);
            writer.Advance(pos);
        }
        writer.Flush();
    }

    private byte[] Identity(int device)
    {
        int local = device - Fleet.FirstDevice;
        int id = _identityOfDevice[local] - 1;
        return id >= 0 ? _identities[id] : AddIdentity(local, device);
    }

    private byte[] AddIdentity(int local, int device)
    {
        var (manufacturer, model, firmware) = Fleet.DeviceIdentity(device);
        if (!_identityIds.TryGetValue((manufacturer, model, firmware), out ushort id))
        {
            if (_identities.Count == ushort.MaxValue - 1)
            {
                ThrowHelper.InvalidOperation("too many distinct device identities");
            }
            string text = _format == EncodingFormat.Csv
                ? "," + TextEscaping.Csv(manufacturer) + "," + TextEscaping.Csv(model) + "," + TextEscaping.Csv(firmware)
                : ",\"manufacturer\":\"" + TextEscaping.Json(manufacturer) + "\",\"model\":\"" + TextEscaping.Json(model)
                    + "\",\"firmware\":\"" + TextEscaping.Json(firmware) + "\"";
            _identities.Add(TextEscaping.Utf8(text));
            id = (ushort)_identities.Count;
            _identityIds.Add((manufacturer, model, firmware), id);
        }
        _identityOfDevice[local] = id;
        return _identities[id - 1];
    }

    private readonly record struct Slot(PaddedBytes Pre, double Scale, int Precision);
}
