using System.Buffers;
using IotSim.Core.Kernels;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Hand-written hot path for wide rows: one row per device per timestamp with device metadata and one column per
/// sensor of the fleet. The planner puts every interval group due at a timestamp in consecutive segments over the
/// same devices (a run); the first segment of a run writes the rows, taking each sensor's reading from its group's
/// segment, and the others write nothing. Sensors not due at the timestamp, and omitted readings, are empty CSV
/// cells or absent JSON keys. Labels: <c>anomaly_flag</c> is 1 when any reading of the row is labelled
/// (<c>missing_data</c> included), <c>anomaly_type</c> is the first such label in column order, and
/// <c>anomalies</c> lists every labelled sensor as <c>sensor:kind</c> pairs joined by <c>;</c> (CSV) or as an
/// object of sensor → kind (JSON). Allocation-free after warm-up (identities are cached).
/// Not thread-safe.
/// </summary>
internal sealed class WideEncoder : ReadingEncoder
{
    /// <summary>Column names a sensor may not take in the wide shape.</summary>
    public static readonly string[] FixedColumns = ["timestamp", "device_id", "manufacturer", "model", "firmware", "anomaly_flag", "anomaly_type", "anomalies"];

    private readonly EncodingFormat _format;
    private readonly bool _csv;
    private readonly bool _quoteLabels;
    private readonly PaddedBytes[] _flagType;
    private readonly PaddedBytes[][] _labels;
    private readonly PaddedBytes[][] _firstLabels;
    private readonly PaddedBytes _labelsEnd;
    private readonly int _maxLabels;
    private readonly DeviceFieldWriter _fields;
    private readonly Column[] _columns;
    private readonly int _budget;
    private int[] _runEnd = new int[16];
    private ReadingBatch? _runsBatch;
    private long _runsSequence = -1;
    private int _runsCount = -1;

    private WideEncoder(Fleet fleet, EncodingFormat format, string before, string afterTimestamp, string idTail)
        : base(fleet, before, afterTimestamp, DeviceIdParts(fleet, format).Open, DeviceIdParts(fleet, format).Close + idTail,
            format == EncodingFormat.Csv ? "" : "null")
    {
        if (fleet.Groups.Count > 64)
        {
            throw new ConfigException(null, 0, "shape", $"the wide shape supports at most 64 distinct sensor intervals; this fleet has {fleet.Groups.Count}");
        }
        _format = format;
        _csv = format == EncodingFormat.Csv;
        IReadOnlyList<string> deviceFields = Scenarios.DeviceFields.Of(fleet.Scenario);
        _fields = new DeviceFieldWriter(fleet, deviceFields, format, trailingComma: false);
        _quoteLabels = _csv && fleet.Sensors.Any(s => TextEscaping.CsvNeedsQuotes(s.Name));
        string open = _quoteLabels ? "\"" : "";
        _flagType = new PaddedBytes[Scenarios.AnomalyKinds.Count];
        for (int kind = 0; kind < _flagType.Length; kind++)
        {
            string label = Label(kind);
            _flagType[kind] = PaddedBytes.From(_csv
                ? (kind == 0 ? ",0,," : ",1," + label + ",") + open
                : ",\"anomaly_flag\":" + (kind == 0 ? "0,\"anomaly_type\":null" : "1,\"anomaly_type\":\"" + label + "\"") + ",\"anomalies\":{");
        }
        _labelsEnd = PaddedBytes.From(_csv ? open + "\n" : "}}\n");
        _labels = new PaddedBytes[fleet.Sensors.Count][];
        _firstLabels = new PaddedBytes[fleet.Sensors.Count][];
        for (int s = 0; s < _labels.Length; s++)
        {
            string name = fleet.Sensors[s].Name;
            _labels[s] = new PaddedBytes[Scenarios.AnomalyKinds.Count];
            _firstLabels[s] = new PaddedBytes[Scenarios.AnomalyKinds.Count];
            for (int kind = 1; kind < Scenarios.AnomalyKinds.Count; kind++)
            {
                string pair = _csv
                    ? (_quoteLabels ? name.Replace("\"", "\"\"", StringComparison.Ordinal) : name) + ":" + Label(kind)
                    : "\"" + TextEscaping.Json(name) + "\":\"" + Label(kind) + "\"";
                _firstLabels[s][kind] = PaddedBytes.From(pair);
                _labels[s][kind] = PaddedBytes.From((_csv ? ";" : ",") + pair);
            }
            _maxLabels += _labels[s].Skip(1).Max(l => l.Length);
        }
        // One column per sensor in the fleet's order: CSV writes a comma before every cell (empty or not); JSON writes the
        // key only for a present reading.
        _columns = new Column[fleet.Sensors.Count];
        int budget = _flagType.Max(e => e.Length) + _labelsEnd.Length + PaddedBytes.Padding;
        for (int sensor = 0; sensor < _columns.Length; sensor++)
        {
            int precision = fleet.Precision[sensor];
            PaddedBytes pre = PaddedBytes.From(_csv ? "," : ",\"" + TextEscaping.Json(fleet.Sensors[sensor].Name) + "\":");
            var (g, k) = fleet.SlotOf(sensor);
            _columns[sensor] = new Column(pre, ScaleOf(precision), precision, g, k, fleet.Groups[g].SensorsPerDevice, sensor);
            budget += pre.Length + ByteWriter.MaxValueBytes;
        }
        _budget = budget;
        Header = _csv
            ? CsvHeader(["timestamp", "device_id", .. deviceFields, .. fleet.Sensors.Select(s => s.Name), "anomaly_flag", "anomaly_type", "anomalies"])
            : [];
    }

    /// <summary>Wide CSV: <c>timestamp,device_id,manufacturer,model,firmware,&lt;sensors&gt;,anomaly_flag,anomaly_type,anomalies</c>.</summary>
    public static WideEncoder Csv(Fleet fleet) => new(fleet, EncodingFormat.Csv, "", ",", "");

    /// <summary>Wide JSON Lines: the same fields as an object; sensors without a reading are left out.</summary>
    public static WideEncoder JsonLines(Fleet fleet) => new(fleet, EncodingFormat.JsonLines, "{\"timestamp\":\"", "\",\"device_id\":\"", "\"");

    /// <inheritdoc/>
    public override void EncodeDevices(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        IntervalGroup group = CheckRange(batch, segment, channelFrom, channelCount);
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        int index = WideRuns.IndexOf(segments, segment.Offset);
        PrepareRuns(batch, segments);
        int end = _runEnd[index];
        if (end < 0)
        {
            return; // written with the first segment of its run
        }
        Column[] columns = _columns;
        int leadPerDevice = group.SensorsPerDevice;
        int firstDeviceOfRun = segment.ChannelStart / leadPerDevice;
        int fromDevice = channelFrom / leadPerDevice;
        int devices = channelCount / leadPerDevice;
        // Per group: where its readings for the first device of this call start in the batch, or −1 when not due.
        Span<int> bases = stackalloc int[64];
        bases.Fill(-1);
        for (int j = index; j < end; j++)
        {
            BatchSegment seg = segments[j];
            bases[seg.Group] = seg.Offset + fromDevice * Fleet.Groups[seg.Group].SensorsPerDevice;
        }
        float[] values = batch.Values;
        byte[] flags = batch.Flags;
        int device = Fleet.FirstDevice + firstDeviceOfRun + fromDevice;
        BeginSegment(segment.TimestampMs);
        byte[] nullToken = NullToken;
        var writer = new ByteWriter(output);
        Span<int> labelled = stackalloc int[Math.Min(columns.Length, 1024)];
        int leadAt = bases[segment.Group];
        for (int dl = 0; dl < devices; dl++, device++)
        {
            if (flags[leadAt + dl * leadPerDevice] == SensorKernel.HeldFlags)
            {
                continue; // the message is delivered late, as a copy in a later segment
            }
            int rowLength = AppendToRow(BeginDevice(device), _fields.Write(device));
            ref byte dst = ref writer.Reserve(rowLength + PaddedBytes.Padding + _budget + _maxLabels);
            int pos = ByteWriter.Copy(ref dst, 0, new PaddedBytes(Row, rowLength));
            int labels = 0;
            int firstKind = 0;
            for (int k = 0; k < columns.Length; k++)
            {
                ref readonly Column col = ref columns[k];
                int baseAt = bases[col.Group];
                if (baseAt < 0)
                {
                    if (_csv)
                    {
                        pos = ByteWriter.Copy(ref dst, pos, col.Pre);
                    }
                    continue;
                }
                int at = baseAt + dl * col.PerDevice + col.Index;
                byte flag = flags[at];
                int kind = flag & SensorKernel.KindMask;
                if (kind != 0)
                {
                    firstKind = firstKind == 0 ? kind : firstKind;
                    if (labels < labelled.Length)
                    {
                        labelled[labels++] = (col.Sensor << 3) | kind;
                    }
                }
                if ((flag & SensorKernel.OmittedFlag) != 0)
                {
                    if (_csv)
                    {
                        pos = ByteWriter.Copy(ref dst, pos, col.Pre);
                    }
                    continue;
                }
                pos = ByteWriter.Copy(ref dst, pos, col.Pre);
                float value = values[at];
                int next = ByteWriter.FormatFixed(ref dst, pos, value, col.Scale, col.Precision, 0);
                pos = next >= 0 ? next : ByteWriter.FormatUnusual(ref dst, pos, value, col.Precision, 0, nullToken);
            }
            pos = ByteWriter.Copy(ref dst, pos, in _flagType[firstKind]);
            for (int l = 0; l < labels; l++)
            {
                // The first pair has no leading separator.
                PaddedBytes[][] table = l == 0 ? _firstLabels : _labels;
                pos = ByteWriter.Copy(ref dst, pos, in table[labelled[l] >> 3][labelled[l] & 7]);
            }
            pos = ByteWriter.Copy(ref dst, pos, in _labelsEnd);
            writer.Advance(pos);
        }
        writer.Flush();
    }

    /// <summary>Finds the runs of the batch: consecutive segments of one timestamp over the same devices, in group order.</summary>
    private void PrepareRuns(ReadingBatch batch, ReadOnlySpan<BatchSegment> segments)
    {
        if (ReferenceEquals(batch, _runsBatch) && batch.Sequence == _runsSequence && segments.Length == _runsCount)
        {
            return;
        }
        if (_runEnd.Length < segments.Length)
        {
            _runEnd = new int[Math.Max(segments.Length, _runEnd.Length * 2)];
        }
        WideRuns.Find(Fleet, segments, _runEnd);
        _runsBatch = batch;
        _runsSequence = batch.Sequence;
        _runsCount = segments.Length;
    }

    private readonly record struct Column(PaddedBytes Pre, double Scale, int Precision, int Group, int Index, int PerDevice, int Sensor);
}
