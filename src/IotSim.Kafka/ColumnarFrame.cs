using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using K4os.Compression.LZ4;

namespace IotSim.Kafka;

/// <summary>
/// The <c>columnar</c> message format: many readings per Kafka message as one binary frame of columns. All integers
/// are little-endian; strings are UTF-8 with a length prefix and no terminator.
/// <code>
/// header (20 bytes)
///   0  4  magic "ISF1" (49 53 46 31)
///   4  1  version = 1
///   5  1  codec: 0 = none, 1 = LZ4 block (raw LZ4 block format, as LZ4_decompress_safe reads it)
///   6  2  reserved = 0
///   8  4  u32 N, readings in the frame
///  12  4  u32 body length before compression
///  16  4  u32 body length as stored (the rest of the message)
/// body
///   u16 S, then S × (u16 length, sensor name)          sensor table
///   u32 D, then D × (u16 length, device id)            device table
///   u8  K, then K × (u8 length, anomaly label)          label table; entry 0 is "" (no anomaly)
///   N × i64  timestamp, Unix milliseconds UTC as the device reports it
///   N × u32  device, index into the device table
///   N × u16  sensor, index into the sensor table
///   N × f32  value, IEEE 754 single; NaN is a null (dirty delivery)
///   N × u8   anomaly label, index into the label table
/// </code>
/// The tables hold only the devices and sensors that occur in the frame, in order of first occurrence.
/// </summary>
public static class ColumnarFrame
{
    /// <summary>Bytes of the fixed header.</summary>
    public const int HeaderBytes = 20;

    /// <summary>"ISF1" as a little-endian u32.</summary>
    public const uint Magic = 0x31465349;

    /// <summary>A decoded frame: one entry per reading in each column.</summary>
    public sealed record Contents(long[] TimestampMs, string[] DeviceId, string[] Sensor, float[] Value, string[] Anomaly);

    /// <summary>Decodes a frame (a Kafka message value); malformed input throws <see cref="InvalidDataException"/>.</summary>
    public static Contents Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic)
        {
            throw new InvalidDataException("not an IotSim columnar frame (magic ISF1 expected)");
        }
        if (message[4] != 1) throw new InvalidDataException($"columnar frame version {message[4]} is not supported (1 is)");
        int n = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(message[8..]));
        int raw = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(message[12..]));
        int stored = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(message[16..]));
        if (stored != message.Length - HeaderBytes) throw new InvalidDataException($"frame body is {message.Length - HeaderBytes} bytes, header says {stored}");
        byte[] body = new byte[raw];
        switch (message[5])
        {
            case 0:
                if (raw != stored) throw new InvalidDataException("uncompressed frame with differing lengths");
                message[HeaderBytes..].CopyTo(body);
                break;
            case 1:
                if (LZ4Codec.Decode(message[HeaderBytes..], body) != raw) throw new InvalidDataException("LZ4 body does not decode to its stated length");
                break;
            default:
                throw new InvalidDataException($"unknown frame codec {message[5]}");
        }
        var r = new SpanReader(body);
        string[] sensors = new string[r.U16()];
        for (int i = 0; i < sensors.Length; i++) sensors[i] = r.Text(r.U16());
        string[] devices = new string[checked((int)r.U32())];
        for (int i = 0; i < devices.Length; i++) devices[i] = r.Text(r.U16());
        string[] labels = new string[r.U8()];
        for (int i = 0; i < labels.Length; i++) labels[i] = r.Text(r.U8());
        var contents = new Contents(new long[n], new string[n], new string[n], new float[n], new string[n]);
        for (int i = 0; i < n; i++) contents.TimestampMs[i] = r.I64();
        for (int i = 0; i < n; i++) contents.DeviceId[i] = devices[r.U32()];
        for (int i = 0; i < n; i++) contents.Sensor[i] = sensors[r.U16()];
        for (int i = 0; i < n; i++) contents.Value[i] = r.F32();
        for (int i = 0; i < n; i++) contents.Anomaly[i] = labels[r.U8()];
        if (r.Position != raw) throw new InvalidDataException($"frame body has {raw - r.Position} bytes after its columns");
        return contents;
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        private ReadOnlySpan<byte> Take(int n)
        {
            if (Position + n > _data.Length) throw new InvalidDataException("frame body ends early");
            ReadOnlySpan<byte> s = _data.Slice(Position, n);
            Position += n;
            return s;
        }

        public byte U8() => Take(1)[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        public float F32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
        public string Text(int n) => Encoding.UTF8.GetString(Take(n));
    }
}

/// <summary>
/// Builds <see cref="ColumnarFrame"/>s from a fleet's readings. Hand-written hot path: columns are filled from the
/// batch, the tables are built with per-device stamps (no hashing), and the body is written with plain stores.
/// Not thread-safe.
/// </summary>
[Experimental("IOTSIM001")]
internal sealed class ColumnarFrameWriter
{
    private readonly Fleet _fleet;
    private readonly bool _lz4;
    private readonly long[] _timestamp;
    private readonly int[] _device;
    private readonly int[] _sensor;
    private readonly float[] _value;
    private readonly AnomalyKind[] _kind;
    private readonly int[] _deviceStamp;
    private readonly uint[] _deviceLocal;
    private readonly int[] _sensorStamp;
    private readonly ushort[] _sensorLocal;
    private readonly byte[][] _sensorNames;
    private readonly byte[] _labels;
    private byte[] _body = [];
    private byte[] _frame = [];
    private int _stamp;

    public ColumnarFrameWriter(Fleet fleet, int capacity, bool lz4)
    {
        _fleet = fleet;
        _lz4 = lz4;
        _timestamp = new long[capacity];
        _device = new int[capacity];
        _sensor = new int[capacity];
        _value = new float[capacity];
        _kind = new AnomalyKind[capacity];
        _deviceStamp = new int[fleet.EndDevice - fleet.FirstDevice];
        _deviceLocal = new uint[_deviceStamp.Length];
        _sensorStamp = new int[fleet.Sensors.Count];
        _sensorLocal = new ushort[fleet.Sensors.Count];
        _sensorNames = [.. fleet.Sensors.Select(s => Encoding.UTF8.GetBytes(s.Name))];
        var labels = new List<byte> { AnomalyKinds.Count };
        for (int k = 0; k < AnomalyKinds.Count; k++)
        {
            byte[] name = Encoding.UTF8.GetBytes(AnomalyKinds.ToName((AnomalyKind)k));
            labels.Add((byte)name.Length);
            labels.AddRange(name);
        }
        _labels = [.. labels];
    }

    /// <summary>Readings held.</summary>
    public int Count { get; private set; }

    /// <summary>Sum of the readings per frame this writer holds room for.</summary>
    public int Capacity => _timestamp.Length;

    /// <summary>Fills the free room from the walker; returns how many readings were taken (0 at the batch's end).</summary>
    public int Fill(ref SegmentWalker walker)
    {
        int n = walker.FillColumns(_timestamp.AsSpan(Count), _device.AsSpan(Count), _sensor.AsSpan(Count), _value.AsSpan(Count), _kind.AsSpan(Count));
        Count += n;
        return n;
    }

    /// <summary>Adds one reading; the caller seals the frame when <see cref="Count"/> reaches <see cref="Capacity"/>.</summary>
    public void Add(long timestampMs, int device, int sensor, float value, AnomalyKind kind)
    {
        int i = Count++;
        _timestamp[i] = timestampMs;
        _device[i] = device;
        _sensor[i] = sensor;
        _value[i] = value;
        _kind[i] = kind;
    }

    /// <summary>Writes the held readings as one frame and empties the writer. The span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Seal()
    {
        int n = Count;
        _stamp++;
        // Tables first: local indices by order of first occurrence.
        int first = _fleet.FirstDevice;
        int devices = 0, sensors = 0, tableBytes = 2 + 4 + _labels.Length;
        Span<byte> id = stackalloc byte[_fleet.MaxDeviceIdBytes];
        for (int i = 0; i < n; i++)
        {
            int d = _device[i] - first;
            if (_deviceStamp[d] != _stamp)
            {
                _deviceStamp[d] = _stamp;
                _deviceLocal[d] = (uint)devices++;
                tableBytes += 2 + _fleet.MaxDeviceIdBytes;
            }
            int s = _sensor[i];
            if (_sensorStamp[s] != _stamp)
            {
                _sensorStamp[s] = _stamp;
                _sensorLocal[s] = (ushort)sensors++;
                tableBytes += 2 + _sensorNames[s].Length;
            }
        }
        int bound = tableBytes + n * 19;
        if (_body.Length < bound) _body = new byte[Math.Max(bound, _body.Length * 2)];
        Span<byte> body = _body;
        int pos = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(body[pos..], (ushort)sensors);
        pos += 2;
        // Second pass in first-occurrence order: a reading whose stamp was set by itself starts a table entry.
        _stamp++;
        for (int i = 0; i < n; i++)
        {
            int s = _sensor[i];
            if (_sensorStamp[s] == _stamp) continue;
            _sensorStamp[s] = _stamp;
            byte[] name = _sensorNames[s];
            BinaryPrimitives.WriteUInt16LittleEndian(body[pos..], (ushort)name.Length);
            name.CopyTo(body[(pos + 2)..]);
            pos += 2 + name.Length;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(body[pos..], (uint)devices);
        pos += 4;
        for (int i = 0; i < n; i++)
        {
            int d = _device[i] - first;
            if (_deviceStamp[d] == _stamp) continue;
            _deviceStamp[d] = _stamp;
            int length = _fleet.FormatDeviceId(_device[i], id);
            BinaryPrimitives.WriteUInt16LittleEndian(body[pos..], (ushort)length);
            id[..length].CopyTo(body[(pos + 2)..]);
            pos += 2 + length;
        }
        _labels.CopyTo(body[pos..]);
        pos += _labels.Length;
        // Columns: plain little-endian stores.
        for (int i = 0; i < n; i++, pos += 8) BinaryPrimitives.WriteInt64LittleEndian(body[pos..], _timestamp[i]);
        for (int i = 0; i < n; i++, pos += 4) BinaryPrimitives.WriteUInt32LittleEndian(body[pos..], _deviceLocal[_device[i] - first]);
        for (int i = 0; i < n; i++, pos += 2) BinaryPrimitives.WriteUInt16LittleEndian(body[pos..], _sensorLocal[_sensor[i]]);
        for (int i = 0; i < n; i++, pos += 4) BinaryPrimitives.WriteSingleLittleEndian(body[pos..], _value[i]);
        for (int i = 0; i < n; i++) body[pos++] = (byte)_kind[i];

        int frameBound = ColumnarFrame.HeaderBytes + (_lz4 ? LZ4Codec.MaximumOutputSize(pos) : pos);
        if (_frame.Length < frameBound) _frame = new byte[Math.Max(frameBound, _frame.Length * 2)];
        Span<byte> frame = _frame;
        int stored = -1;
        byte codec = 0;
        if (_lz4)
        {
            stored = LZ4Codec.Encode(body[..pos], frame[ColumnarFrame.HeaderBytes..], LZ4Level.L00_FAST);
            codec = 1;
        }
        if (stored <= 0 || stored >= pos)
        {
            // Incompressible (or LZ4 off): store the body as it is.
            body[..pos].CopyTo(frame[ColumnarFrame.HeaderBytes..]);
            stored = pos;
            codec = 0;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(frame, ColumnarFrame.Magic);
        frame[4] = 1;
        frame[5] = codec;
        frame[6] = 0;
        frame[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[8..], (uint)n);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[12..], (uint)pos);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[16..], (uint)stored);
        Count = 0;
        return frame[..(ColumnarFrame.HeaderBytes + stored)];
    }
}
