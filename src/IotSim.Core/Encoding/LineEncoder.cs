using System.Buffers;
using System.Text;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// InfluxDB line protocol (also read by VictoriaMetrics, QuestDB, GreptimeDB and Telegraf), hand-written hot path.
/// Narrow: one point per reading, <c>{measurement},device_id={id}[,{device field}={v}...],sensor={name},industry={industry}
/// value={v}[,anomaly="{kind}"] {time}</c>; wide: one point per device per timestamp with a field per sensor and, when
/// labelled, <c>anomalies="sensor:kind;..."</c>. Names are escaped as the protocol requires (measurement: comma and
/// space; tags: comma, equals sign and space; string fields: quote and backslash); numbers are fixed-precision text.
/// A dirty-delivery null (NaN) has no value: narrow points carry <c>null=true</c> instead, wide points leave the
/// field out (and carry <c>null=true</c> when no value is left). Allocation-free after warm-up (a device's tag text is cached). Not thread-safe.
/// </summary>
internal sealed class LineEncoder : ReadingEncoder
{
    private readonly byte[][] _heads;
    private readonly byte[][] _mids;
    private readonly byte[][] _wideKeys;
    private readonly byte[][] _kinds;
    private readonly byte[][] _labels;
    private readonly byte[][] _sensorNames;
    private readonly double[] _scale;
    private readonly int[] _precision;
    private readonly long _multiplier;
    private readonly long _divisor;
    private readonly bool _wide;
    private readonly bool _skew;
    private readonly string[] _fields;
    private readonly byte[]?[] _deviceTags;
    private readonly byte[] _wideHead;
    private readonly int _budget;
    private readonly byte[] _time = new byte[24];
    private int[] _runEnd = new int[16];
    private ReadingBatch? _runsBatch;
    private long _runsSequence = -1;
    private int _runsCount = -1;
    private long _timeFor = long.MinValue;
    private int _timeLength;

    /// <param name="fleet">The fleet.</param>
    /// <param name="measurement"><c>industry</c>, <c>sensor_type</c>, or a fixed measurement name.</param>
    /// <param name="precision">Timestamp unit: <c>ns</c>, <c>us</c>, <c>ms</c> or <c>s</c>.</param>
    public LineEncoder(Fleet fleet, string measurement = "industry", string precision = "ns")
        : base(fleet, "", "", "", "", "")
    {
        ArgumentNullException.ThrowIfNull(measurement);
        (_multiplier, _divisor) = precision switch
        {
            "ns" => (1_000_000L, 1L),
            "us" => (1_000L, 1L),
            "ms" => (1L, 1L),
            "s" => (1L, 1_000L),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "ns, us, ms or s"),
        };
        _wide = fleet.Scenario.Shape == OutputShape.Wide;
        _skew = fleet.Scenario.Dirty.ClockSkew > 0;
        _fields = [.. DeviceFields.Of(fleet.Scenario)];
        _deviceTags = _fields.Length == 0 ? [] : new byte[]?[fleet.EndDevice - fleet.FirstDevice];
        int sensors = fleet.Sensors.Count;
        _heads = new byte[sensors][];
        _mids = new byte[sensors][];
        _wideKeys = new byte[sensors][];
        _sensorNames = new byte[sensors][];
        _scale = new double[sensors];
        _precision = new int[sensors];
        for (int s = 0; s < sensors; s++)
        {
            Catalog.SensorDefinition def = fleet.Sensors[s];
            string m = measurement switch
            {
                "industry" => def.Industry,
                "sensor_type" => Catalog.SensorTypes.ToName(def.Type),
                _ => measurement,
            };
            _heads[s] = Utf8(EscapeMeasurement(m) + ",device_id=");
            _mids[s] = Utf8(",sensor=" + EscapeTag(def.Name) + ",industry=" + EscapeTag(def.Industry) + " value=");
            _wideKeys[s] = Utf8(EscapeTag(def.Name) + "=");
            _sensorNames[s] = Utf8(def.Name);
            _precision[s] = fleet.Precision[s];
            _scale[s] = ScaleOf(_precision[s]);
        }
        string wideMeasurement = measurement is "industry" or "sensor_type"
            ? fleet.Sensors.Select(d => d.Industry).Distinct().Count() == 1 ? fleet.Sensors[0].Industry : "readings"
            : measurement;
        _wideHead = Utf8(EscapeMeasurement(wideMeasurement) + ",device_id=");
        _kinds = [.. Enumerable.Range(0, AnomalyKinds.Count).Select(k => k == 0 ? [] : Utf8(",anomaly=\"" + Label(k) + "\""))];
        _labels = [.. Enumerable.Range(0, AnomalyKinds.Count).Select(k => Utf8(Label(k)))];
        int tagBudget = fleet.MaxDeviceIdBytes + _fields.Length * 600;
        int perReading = _heads.Max(h => h.Length) + _mids.Max(h => h.Length) + tagBudget + ByteWriter.MaxValueBytes + _kinds.Max(k => k.Length) + 32 + 16;
        int wideRow = _wideHead.Length + tagBudget + _wideKeys.Sum(k => k.Length + 1 + ByteWriter.MaxValueBytes)
            + 16 + _sensorNames.Sum(n => n.Length + 14) + 32 + 16;
        _budget = _wide ? wideRow : perReading;
    }

    /// <summary>The bytes one reading (narrow) or one row (wide) can take at most.</summary>
    public int Budget => _budget;

    /// <summary>Readings the last <see cref="EncodeDevices"/> call wrote (a wide row holds several; a late-held row none).</summary>
    public int LastReadings { get; private set; }

    /// <inheritdoc/>
    public override void EncodeDevices(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        IntervalGroup group = CheckRange(batch, segment, channelFrom, channelCount);
        LastReadings = 0;
        if (_wide)
        {
            EncodeWide(batch, segment, channelFrom, channelCount, output);
            return;
        }
        int per = group.SensorsPerDevice;
        IReadOnlyList<int> sensors = group.SensorIndices;
        float[] values = batch.Values;
        byte[] flags = batch.Flags;
        int device = Fleet.FirstDevice + (segment.ChannelStart + channelFrom) / per;
        var writer = new ByteWriter(output);
        Span<byte> id = stackalloc byte[Fleet.MaxDeviceIdBytes];
        for (int c = 0; c < channelCount; c += per, device++)
        {
            int idLength = Fleet.FormatDeviceId(device, id);
            ReadOnlySpan<byte> tags = DeviceTags(device);
            ReadOnlySpan<byte> time = Time(segment.TimestampMs, device);
            ref byte dst = ref writer.Reserve(per * (_budget + idLength + tags.Length));
            int pos = 0;
            int at = segment.Offset + channelFrom + c;
            for (int k = 0; k < per; k++)
            {
                byte flag = flags[at + k];
                if ((flag & SensorKernel.OmittedFlag) != 0) continue;
                int s = sensors[k];
                pos = ByteWriter.Copy(ref dst, pos, _heads[s]);
                pos = CopySpan(ref dst, pos, id[..idLength]);
                pos = CopySpan(ref dst, pos, tags);
                byte[] mid = _mids[s];
                float value = values[at + k];
                if (float.IsNaN(value))
                {
                    // ",sensor=...,industry=... " then null=true in place of value=...
                    pos = ByteWriter.Copy(ref dst, pos, mid, mid.Length - "value=".Length);
                    pos = CopySpan(ref dst, pos, "null=true"u8);
                }
                else
                {
                    pos = ByteWriter.Copy(ref dst, pos, mid);
                    pos = Number(ref dst, pos, value, s);
                }
                pos = ByteWriter.Copy(ref dst, pos, _kinds[flag & SensorKernel.KindMask]);
                pos = CopySpan(ref dst, pos, time);
                LastReadings++;
            }
            writer.Advance(pos);
        }
        writer.Flush();
    }

    private void EncodeWide(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        int index = WideRuns.IndexOf(segments, segment.Offset);
        PrepareRuns(batch, segments);
        int end = _runEnd[index];
        if (end < 0) return; // written with the first segment of its run
        int leadPer = Fleet.Groups[segment.Group].SensorsPerDevice;
        int fromDevice = channelFrom / leadPer;
        int devices = channelCount / leadPer;
        Span<int> bases = stackalloc int[Fleet.Groups.Count];
        bases.Fill(-1);
        for (int j = index; j < end; j++)
        {
            bases[segments[j].Group] = segments[j].Offset + fromDevice * Fleet.Groups[segments[j].Group].SensorsPerDevice;
        }
        float[] values = batch.Values;
        byte[] flags = batch.Flags;
        int device = Fleet.FirstDevice + segment.ChannelStart / leadPer + fromDevice;
        var writer = new ByteWriter(output);
        Span<byte> id = stackalloc byte[Fleet.MaxDeviceIdBytes];
        for (int dl = 0; dl < devices; dl++, device++)
        {
            if (flags[bases[segment.Group] + dl * leadPer] == SensorKernel.HeldFlags) continue; // delivered late, as a copy
            int idLength = Fleet.FormatDeviceId(device, id);
            ReadOnlySpan<byte> tags = DeviceTags(device);
            ReadOnlySpan<byte> time = Time(segment.TimestampMs, device);
            ref byte dst = ref writer.Reserve(_budget + idLength + tags.Length);
            int pos = ByteWriter.Copy(ref dst, 0, _wideHead);
            pos = CopySpan(ref dst, pos, id[..idLength]);
            pos = CopySpan(ref dst, pos, tags);
            int fieldsStart = pos;
            int labelled = 0, present = 0;
            for (int s = 0; s < _wideKeys.Length; s++)
            {
                var (g, k) = Fleet.SlotOf(s);
                if (bases[g] < 0) continue;
                int at = bases[g] + dl * Fleet.Groups[g].SensorsPerDevice + k;
                byte flag = flags[at];
                labelled += (flag & SensorKernel.KindMask) != 0 ? 1 : 0;
                float value = values[at];
                if ((flag & SensorKernel.OmittedFlag) != 0) continue;
                present++;
                if (float.IsNaN(value)) continue;
                Unsafe(ref dst, ref pos, pos == fieldsStart ? (byte)' ' : (byte)',');
                pos = ByteWriter.Copy(ref dst, pos, _wideKeys[s]);
                pos = Number(ref dst, pos, value, s);
            }
            if (labelled > 0)
            {
                pos = CopySpan(ref dst, pos, pos == fieldsStart ? " anomalies=\""u8 : ",anomalies=\""u8);
                bool first = true;
                for (int s = 0; s < _wideKeys.Length; s++)
                {
                    var (g, k) = Fleet.SlotOf(s);
                    if (bases[g] < 0) continue;
                    int kind = flags[bases[g] + dl * Fleet.Groups[g].SensorsPerDevice + k] & SensorKernel.KindMask;
                    if (kind == 0) continue;
                    if (!first) Unsafe(ref dst, ref pos, (byte)';');
                    first = false;
                    pos = ByteWriter.Copy(ref dst, pos, _sensorNames[s]);
                    Unsafe(ref dst, ref pos, (byte)':');
                    pos = ByteWriter.Copy(ref dst, pos, _labels[kind]);
                }
                Unsafe(ref dst, ref pos, (byte)'"');
            }
            if (present == 0 && labelled == 0) continue; // nothing due or delivered for this device
            if (pos == fieldsStart)
            {
                // Every value a dirty null: the point still arrives, with no value, as narrow points do.
                pos = CopySpan(ref dst, pos, " null=true"u8);
            }
            pos = CopySpan(ref dst, pos, time);
            writer.Advance(pos);
            LastReadings += present;
        }
        writer.Flush();
    }

    private static void Unsafe(ref byte dst, ref int pos, byte b) => System.Runtime.CompilerServices.Unsafe.Add(ref dst, pos++) = b;

    private static int CopySpan(ref byte dst, int pos, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.CompilerServices.Unsafe.Add(ref dst, pos), bytes.Length));
        return pos + bytes.Length;
    }

    private int Number(ref byte dst, int pos, float value, int sensor)
    {
        int end = ByteWriter.FormatFixed(ref dst, pos, value, _scale[sensor], _precision[sensor], 0);
        return end >= 0 ? end : ByteWriter.FormatUnusual(ref dst, pos, value, _precision[sensor], 0, NullToken);
    }

    /// <summary>" {time}\n" in the chosen unit, dirty delivery's clock skew included; formatted once per distinct time.</summary>
    private ReadOnlySpan<byte> Time(long timestampMs, int device)
    {
        long ms = _skew ? timestampMs + Fleet.ClockSkewMs(device) : timestampMs;
        if (ms != _timeFor)
        {
            long t = _divisor == 1 ? ms * _multiplier : Math.DivRem(ms, _divisor, out long r) - (r < 0 ? 1 : 0);
            _time[0] = (byte)' ';
            t.TryFormat(_time.AsSpan(1), out int n, default, System.Globalization.CultureInfo.InvariantCulture);
            _time[n + 1] = (byte)'\n';
            _timeLength = n + 2;
            _timeFor = ms;
        }
        return _time.AsSpan(0, _timeLength);
    }

    /// <summary>",field=value..." tags of the device's identity fields (output.device_fields), cached per device.</summary>
    private ReadOnlySpan<byte> DeviceTags(int device)
    {
        if (_fields.Length == 0) return default;
        ref byte[]? tags = ref _deviceTags[device - Fleet.FirstDevice];
        if (tags is null)
        {
            Catalog.DeviceIdentity identity = Fleet.Identity(device);
            var text = new StringBuilder();
            foreach (string f in _fields)
            {
                string v = identity.Field(f);
                if (v.Length > 0) text.Append(',').Append(f).Append('=').Append(EscapeTag(v));
            }
            tags = Utf8(text.ToString());
        }
        return tags;
    }

    private void PrepareRuns(ReadingBatch batch, ReadOnlySpan<BatchSegment> segments)
    {
        if (ReferenceEquals(batch, _runsBatch) && batch.Sequence == _runsSequence && segments.Length == _runsCount) return;
        if (_runEnd.Length < segments.Length) _runEnd = new int[Math.Max(segments.Length, _runEnd.Length * 2)];
        WideRuns.Find(Fleet, segments, _runEnd);
        _runsBatch = batch;
        _runsSequence = batch.Sequence;
        _runsCount = segments.Length;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A measurement name: commas and spaces backslash-escaped (newlines, which the protocol cannot carry, become spaces).</summary>
    public static string EscapeMeasurement(string name) => Escape(name, ", ");

    /// <summary>A tag key or value (or field key): commas, equals signs and spaces backslash-escaped.</summary>
    public static string EscapeTag(string text) => Escape(text, ",= ");

    /// <summary>
    /// Backslash-escapes <paramref name="special"/>. A backslash stays as it is (the protocol keeps it literally),
    /// except right before a special character or at the end, where the protocol cannot tell it from an escape: there
    /// it becomes '/'. Newlines, which no line can carry, become spaces.
    /// </summary>
    private static string Escape(string text, string special)
    {
        var b = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i] is '\n' or '\r' ? ' ' : text[i];
            if (ch == '\\' && (i + 1 == text.Length || special.Contains(text[i + 1], StringComparison.Ordinal) || text[i + 1] is '\n' or '\r')) ch = '/';
            if (special.Contains(ch, StringComparison.Ordinal)) b.Append('\\');
            b.Append(ch);
        }
        return b.ToString();
    }
}
