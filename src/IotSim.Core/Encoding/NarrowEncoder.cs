using System.Buffers;
using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Hand-written hot path for narrow rows (one per reading): CSV, JSON Lines and console text share one loop; a row
/// is [timestamp + device id prefix][per-sensor middle][value][per-sensor tail][anomaly ending], every part but the
/// value precomputed. Allocation-free after warm-up. Not thread-safe.
/// </summary>
internal sealed class NarrowEncoder : ReadingEncoder
{
    private const int TextValueWidth = 10;

    private readonly Slot[][] _slots;
    private readonly int[] _slotBudget;
    private readonly PaddedBytes[] _endings;
    private readonly int _padWidth;
    private readonly DeviceFieldWriter _fields;

    private NarrowEncoder(Fleet fleet, EncodingFormat format, string before, string afterTimestamp, string idTail, string nullToken)
        : base(fleet, before, afterTimestamp, DeviceIdParts(fleet, format).Open, DeviceIdParts(fleet, format).Close + idTail, nullToken)
    {
        Format = format;
        IReadOnlyList<string> fields = format == EncodingFormat.Text ? [] : Scenarios.DeviceFields.Of(fleet.Scenario);
        _fields = new DeviceFieldWriter(fleet, fields, format, trailingComma: true);
        _padWidth = format == EncodingFormat.Text ? TextValueWidth : 0;
        _endings = new PaddedBytes[AnomalyKindsCount];
        for (int kind = 0; kind < _endings.Length; kind++)
        {
            string label = Label(kind);
            _endings[kind] = PaddedBytes.From(format switch
            {
                EncodingFormat.Csv => (kind == 0 ? "0," : "1,") + label + "\n",
                EncodingFormat.JsonLines => (kind == 0 ? "0,\"anomaly\":null" : "1,\"anomaly\":\"" + label + "\"") + "}\n",
                _ => (kind == 0 ? "" : " ANOMALY=" + label) + "\n",
            });
        }
        int endingMax = _endings.Max(e => e.Length) + PaddedBytes.Padding;
        var bySensor = new Slot[fleet.Sensors.Count];
        for (int s = 0; s < bySensor.Length; s++)
        {
            SensorDefinition def = fleet.Sensors[s];
            int precision = fleet.Precision[s];
            (string mid, string tail) = format switch
            {
                EncodingFormat.Csv => (
                    "," + TextEscaping.Csv(def.Industry) + "," + TextEscaping.Csv(def.Name) + ",",
                    "," + TextEscaping.Csv(def.Unit) + ","),
                EncodingFormat.JsonLines => (
                    "\"industry\":\"" + TextEscaping.Json(def.Industry) + "\",\"sensor\":\"" + TextEscaping.Json(def.Name) + "\",\"value\":",
                    ",\"unit\":\"" + TextEscaping.Json(def.Unit) + "\",\"status_code\":"),
                _ => (
                    " [" + def.Industry + "/" + def.Name + "] ",
                    " " + def.Unit + " (" + SensorTypes.ToName(def.Type) + ")"),
            };
            bySensor[s] = new Slot(PaddedBytes.From(mid), PaddedBytes.From(tail), ScaleOf(precision), precision);
        }
        _slots = new Slot[fleet.Groups.Count][];
        _slotBudget = new int[fleet.Groups.Count];
        for (int g = 0; g < _slots.Length; g++)
        {
            IReadOnlyList<int> indices = fleet.Groups[g].SensorIndices;
            _slots[g] = new Slot[indices.Count];
            int widest = 0;
            for (int k = 0; k < indices.Count; k++)
            {
                Slot slot = bySensor[indices[k]];
                _slots[g][k] = slot;
                widest = Math.Max(widest, slot.Mid.Length + slot.Tail.Length);
            }
            _slotBudget[g] = widest + ByteWriter.MaxValueBytes + _padWidth + endingMax;
        }
        Header = format == EncodingFormat.Csv
            ? CsvHeader(["timestamp", "device_id", .. fields, "industry", "sensor", "value", "unit", "status_code", "anomaly"])
            : [];
    }

    /// <summary>The format written.</summary>
    public EncodingFormat Format { get; }

    private static int AnomalyKindsCount => Scenarios.AnomalyKinds.Count;

    /// <summary>Narrow CSV: <c>timestamp,device_id,industry,sensor,value,unit,status_code,anomaly</c> (status_code: 0 normal, 1 anomaly, as in the reference schema).</summary>
    public static NarrowEncoder Csv(Fleet fleet) => new(fleet, EncodingFormat.Csv, "", ",", "", "");

    /// <summary>Narrow JSON Lines, one object per reading with the same fields as the CSV.</summary>
    public static NarrowEncoder JsonLines(Fleet fleet) =>
        new(fleet, EncodingFormat.JsonLines, "{\"timestamp\":\"", "\",\"device_id\":\"", "\",", "null");

    /// <summary>Console text: <c>2026-01-01T00:00:00.000Z dev-000001 [mining/crusher_1_motor_power]     450.12 kW (power)</c>.</summary>
    public static NarrowEncoder Text(Fleet fleet) => new(fleet, EncodingFormat.Text, "", " ", "", "null");

    /// <inheritdoc/>
    public override void EncodeDevices(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        IntervalGroup group = CheckRange(batch, segment, channelFrom, channelCount);
        Slot[] slots = _slots[segment.Group];
        int perDevice = slots.Length;
        int slotBudget = _slotBudget[segment.Group];
        PaddedBytes[] endings = _endings;
        byte[] row = Row;
        int padWidth = _padWidth;
        ReadOnlySpan<float> values = batch.Values.AsSpan(segment.Offset + channelFrom, channelCount);
        ReadOnlySpan<byte> flags = batch.Flags.AsSpan(segment.Offset + channelFrom, channelCount);
        int device = Fleet.FirstDevice + (segment.ChannelStart + channelFrom) / group.SensorsPerDevice;
        BeginSegment(segment.TimestampMs);
        byte[] nullToken = NullToken;
        var writer = new ByteWriter(output);
        for (int c = 0; c < channelCount; c += perDevice, device++)
        {
            int rowLength = BeginDevice(device);
            if (_fields.Any)
            {
                rowLength = AppendToRow(rowLength, _fields.Write(device));
                row = Row;
            }
            ref byte dst = ref writer.Reserve(perDevice * (rowLength + slotBudget));
            int pos = 0;
            for (int k = 0; k < slots.Length; k++)
            {
                byte flag = flags[c + k];
                if ((flag & SensorKernel.OmittedFlag) != 0)
                {
                    continue;
                }
                ref readonly Slot slot = ref slots[k];
                pos = ByteWriter.Copy(ref dst, pos, new PaddedBytes(row, rowLength));
                pos = ByteWriter.Copy(ref dst, pos, slot.Mid);
                float value = values[c + k];
                int end = ByteWriter.FormatFixed(ref dst, pos, value, slot.Scale, slot.Precision, padWidth);
                pos = end >= 0 ? end : ByteWriter.FormatUnusual(ref dst, pos, value, slot.Precision, padWidth, nullToken);
                pos = ByteWriter.Copy(ref dst, pos, slot.Tail);
                pos = ByteWriter.Copy(ref dst, pos, in endings[flag & SensorKernel.KindMask]);
            }
            writer.Advance(pos);
        }
        writer.Flush();
    }

    private readonly record struct Slot(PaddedBytes Mid, PaddedBytes Tail, double Scale, int Precision);
}
