using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Parquet;

namespace IotSim.Parquet;

/// <summary>
/// Writes narrow Parquet files (time, device_id, sensor, value, anomaly) by hand. Written by hand because it is the
/// hot path: Parquet.Net takes string columns and spends most of the time on them (UTF-16 → UTF-8, hashing into
/// dictionaries, string statistics), while here the dictionaries are known from the batch: the device and sensor
/// columns are written straight as dictionary pages plus RLE/bit-packed indices, time as a dictionary of the row
/// group's distinct times (few: see <see cref="TimeColumn"/>), value as a plain page.
/// Format: Parquet 1 (data page v1), one dictionary page and one data page per column chunk, each compressed with
/// the file's codec; metadata in the Thrift compact protocol (parquet.thrift field ids). Time is INT64
/// TIMESTAMP(isAdjustedToUTC, MICROS) with min/max statistics; value an optional FLOAT (NaN → null) with a null count.
/// Not thread-safe.
/// </summary>
internal sealed class NarrowParquetWriter
{
    private static readonly byte[] s_magic = "PAR1"u8.ToArray();

    // parquet.thrift enums
    private const int TypeInt64 = 2, TypeFloat = 4, TypeByteArray = 6;
    private const int Required = 0, Optional = 1;
    private const int EncodingPlain = 0, EncodingPlainDictionary = 2, EncodingRle = 3, EncodingRleDictionary = 8;
    private const int PageData = 0, PageDictionary = 2;

    private readonly Stream _stream;
    private readonly int _codec;
    private readonly CompressionMethod _compression;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private readonly Buffer _page = new();
    private readonly Buffer _compressed = new();
    private readonly Dictionary<string, int[]> _locals = [];
    private readonly List<int> _order = [];
    private long _offset;

    public NarrowParquetWriter(Stream stream, CompressionMethod compression, IReadOnlyDictionary<string, string> metadata)
    {
        _stream = stream;
        _compression = compression;
        _metadata = metadata;
        _codec = compression switch
        {
            CompressionMethod.None => 0,
            CompressionMethod.Snappy => 1,
            CompressionMethod.Gzip => 2,
            CompressionMethod.Zstd => 6,
            CompressionMethod.Lz4Raw => 7, // LZ4_RAW
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "none, snappy, gzip, zstd or lz4"),
        };
        _stream.Write(s_magic);
        _offset = s_magic.Length;
    }

    /// <summary>The narrow columns of one row group, filled by the caller.</summary>
    public sealed class RowGroup(int capacity)
    {
        /// <summary>Microseconds since the Unix epoch, UTC.</summary>
        public readonly long[] TimeMicros = new long[capacity];

        /// <summary>Index into <see cref="Devices"/>.</summary>
        public readonly int[] Device = new int[capacity];

        /// <summary>Index into <see cref="Sensors"/>.</summary>
        public readonly int[] Sensor = new int[capacity];

        /// <summary>Value; NaN is written as null.</summary>
        public readonly float[] Value = new float[capacity];

        /// <summary>Index into <see cref="Labels"/>; 0 is null (no anomaly).</summary>
        public readonly int[] Label = new int[capacity];

        /// <summary>UTF-8 device ids by index: every index used must have one.</summary>
        public byte[][] Devices = [];

        /// <summary>UTF-8 sensor names by index.</summary>
        public byte[][] Sensors = [];

        /// <summary>UTF-8 anomaly labels by index (entry 0, no anomaly, is never written).</summary>
        public byte[][] Labels = [];

        public int Count;
    }

    /// <summary>Writes <paramref name="rows"/> (at least one) as the next row group; returns its time range and value nulls.</summary>
    public (long MinMicros, long MaxMicros, long ValueNulls) Write(RowGroup rows)
    {
        int n = rows.Count;
        if (n == 0) throw new ArgumentException("a row group needs rows", nameof(rows));
        long start = _offset;
        var chunks = new ColumnMeta[5];

        chunks[0] = TimeColumn(rows.TimeMicros.AsSpan(0, n), out long min, out long max);
        chunks[1] = DictionaryColumn("device_id", rows.Device, rows.Devices, n, nullable: false);
        chunks[2] = DictionaryColumn("sensor", rows.Sensor, rows.Sensors, n, nullable: false);

        // value: optional FLOAT, definition levels then the present values.
        _page.Clear();
        ReadOnlySpan<float> valueColumn = rows.Value.AsSpan(0, n);
        int nulls = 0;
        foreach (float f in valueColumn) nulls += float.IsNaN(f) ? 1 : 0;
        int levelsAt = _page.Length;
        _page.Take(4);
        var levels = new RleHybrid(_page, 1);
        if (nulls == 0)
        {
            // The common case: one RLE run of "present", then the values as they are.
            levels.AddRun(1, n);
            levels.Finish();
            BinaryPrimitives.WriteInt32LittleEndian(_page.Span(levelsAt, 4), _page.Length - levelsAt - 4);
            Span<byte> all = _page.Take(n * 4);
            if (BitConverter.IsLittleEndian) System.Runtime.InteropServices.MemoryMarshal.AsBytes(valueColumn).CopyTo(all);
            else for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(all[(i * 4)..], valueColumn[i]);
        }
        else
        {
            foreach (float f in valueColumn) levels.Add(float.IsNaN(f) ? 0 : 1);
            levels.Finish();
            BinaryPrimitives.WriteInt32LittleEndian(_page.Span(levelsAt, 4), _page.Length - levelsAt - 4);
            Span<byte> values = _page.Take((n - nulls) * 4);
            int v = 0;
            foreach (float f in valueColumn)
            {
                if (!float.IsNaN(f)) BinaryPrimitives.WriteSingleLittleEndian(values[(v++ * 4)..], f);
            }
        }
        long dataAt = _offset;
        WritePage(PageData, n, EncodingPlain);
        chunks[3] = new ColumnMeta("value", TypeFloat, [EncodingPlain, EncodingRle], n, dataAt, -1, _lastSizes, (null, null, nulls));

        // anomaly: optional, dictionary of the labels that occur.
        chunks[4] = DictionaryColumn("anomaly", rows.Label, rows.Labels, n, nullable: true);

        _rowGroups.Add(new RowGroupMeta(chunks, n, chunks.Sum(c => (long)c.Sizes.Uncompressed), _offset - start, start));
        return (min, max, nulls);
    }

    /// <summary>
    /// The time column, INT64 with min/max statistics. A row group holds few distinct times (every sensor of a device
    /// shares one, and without clock skew every device too), so it is dictionary-encoded: the distinct times as a plain
    /// dictionary page, then RLE/bit-packed indices, mostly long RLE runs. That is a few kilobytes where plain values
    /// take 8 bytes a row to compress and write. A row group with many distinct times (over a quarter of its rows) is
    /// written plain.
    /// </summary>
    private ColumnMeta TimeColumn(ReadOnlySpan<long> times, out long min, out long max)
    {
        int n = times.Length;
        Dictionary<long, int> local = _timeLocal;
        List<long> distinct = _timeOrder;
        local.Clear();
        distinct.Clear();
        int[] index = _timeIndex.Length >= n ? _timeIndex : (_timeIndex = new int[n]);
        long previous = times[0];
        int at = 0;
        distinct.Add(previous);
        local[previous] = 0;
        int limit = Math.Max(16, n / 4);
        for (int i = 0; i < n; i++)
        {
            long t = times[i];
            if (t != previous)
            {
                if (!local.TryGetValue(t, out at))
                {
                    at = distinct.Count;
                    if (at == limit) break;
                    local[t] = at;
                    distinct.Add(t);
                }
                previous = t;
            }
            index[i] = at;
        }
        min = long.MaxValue;
        max = long.MinValue;
        if (distinct.Count >= limit)
        {
            _page.Clear();
            foreach (long t in times)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }
            Span<byte> plain = _page.Take(n * 8);
            for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt64LittleEndian(plain[(i * 8)..], times[i]);
            long plainAt = _offset;
            WritePage(PageData, n, EncodingPlain);
            return new ColumnMeta("time", TypeInt64, [EncodingPlain, EncodingRle], n, plainAt, -1, _lastSizes, (min, max, 0));
        }
        long dictionaryAt = _offset;
        _page.Clear();
        Span<byte> entries = _page.Take(distinct.Count * 8);
        for (int e = 0; e < distinct.Count; e++)
        {
            long t = distinct[e];
            min = Math.Min(min, t);
            max = Math.Max(max, t);
            BinaryPrimitives.WriteInt64LittleEndian(entries[(e * 8)..], t);
        }
        WritePage(PageDictionary, distinct.Count, EncodingPlainDictionary);
        (int, int) dictionarySizes = _lastSizes;
        _page.Clear();
        int width = Math.Max(1, 32 - int.LeadingZeroCount(distinct.Count - 1));
        _page.Take(1)[0] = (byte)width;
        var packed = new RleHybrid(_page, width);
        for (int i = 0; i < n; i++) packed.Add(index[i]);
        packed.Finish();
        long dataAt = _offset;
        WritePage(PageData, n, EncodingRleDictionary);
        var sizes = (_lastSizes.Uncompressed + dictionarySizes.Item1, _lastSizes.Compressed + dictionarySizes.Item2);
        return new ColumnMeta("time", TypeInt64, [EncodingPlainDictionary, EncodingRle, EncodingRleDictionary], n, dataAt, dictionaryAt, sizes, (min, max, 0));
    }

    private readonly Dictionary<long, int> _timeLocal = [];
    private readonly List<long> _timeOrder = [];
    private int[] _timeIndex = [];

    /// <summary>
    /// A dictionary-encoded BYTE_ARRAY column: the entries that occur (in order of first occurrence) as the dictionary
    /// page, then the data page of RLE/bit-packed indices. With <paramref name="nullable"/>, entry 0 means null.
    /// </summary>
    private ColumnMeta DictionaryColumn(string name, int[] indices, byte[][] entries, int n, bool nullable)
    {
        if (!_locals.TryGetValue(name, out int[]? local) || local.Length < entries.Length)
        {
            local = new int[entries.Length];
            Array.Fill(local, -1);
            _locals[name] = local;
        }
        List<int> order = _order;
        order.Clear();
        int nulls = 0;
        for (int i = 0; i < n; i++)
        {
            int e = indices[i];
            if (nullable && e == 0)
            {
                nulls++;
                continue;
            }
            if (local[e] < 0)
            {
                local[e] = order.Count;
                order.Add(e);
            }
        }
        // A dictionary page is never empty (a column of nulls gets one unused entry): some readers cannot decompress
        // an empty page.
        if (order.Count == 0) order.Add(0);
        long dictionaryAt = _offset;
        _page.Clear();
        foreach (int e in order)
        {
            Span<byte> s = _page.Take(4 + entries[e].Length);
            BinaryPrimitives.WriteInt32LittleEndian(s, entries[e].Length);
            entries[e].CopyTo(s[4..]);
        }
        WritePage(PageDictionary, order.Count, EncodingPlainDictionary);
        (int, int) dictionarySizes = _lastSizes;

        _page.Clear();
        if (nullable)
        {
            int levelsAt = _page.Length;
            _page.Take(4);
            var levels = new RleHybrid(_page, 1);
            for (int i = 0; i < n; i++) levels.Add(indices[i] == 0 ? 0 : 1);
            levels.Finish();
            BinaryPrimitives.WriteInt32LittleEndian(_page.Span(levelsAt, 4), _page.Length - levelsAt - 4);
        }
        int width = Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(order.Count - 1, 0)));
        _page.Take(1)[0] = (byte)width;
        var packed = new RleHybrid(_page, width);
        for (int i = 0; i < n; i++)
        {
            int e = indices[i];
            if (nullable && e == 0) continue;
            packed.Add(local[e]);
        }
        packed.Finish();
        long dataAt = _offset;
        WritePage(PageData, n, EncodingRleDictionary);
        var sizes = (_lastSizes.Uncompressed + dictionarySizes.Item1, _lastSizes.Compressed + dictionarySizes.Item2);
        foreach (int e in order) local[e] = -1; // ready for the next row group
        return new ColumnMeta(name, TypeByteArray, [EncodingPlainDictionary, EncodingRle, EncodingRleDictionary], n, dataAt, dictionaryAt, sizes, (null, null, nullable ? nulls : null));
    }

    private (int Uncompressed, int Compressed) _lastSizes;

    /// <summary>Compresses the page buffer and writes its header and body; records the sizes (header included).</summary>
    private void WritePage(int type, int values, int encoding)
    {
        ReadOnlySpan<byte> body = Compress(_page.Written);
        var header = new Thrift();
        header.I32(1, type);
        header.I32(2, _page.Length);
        header.I32(3, body.Length);
        if (type == PageData)
        {
            header.BeginStruct(5);
            header.I32(1, values);
            header.I32(2, encoding);
            header.I32(3, EncodingRle);
            header.I32(4, EncodingRle);
            header.EndStruct();
        }
        else
        {
            header.BeginStruct(7);
            header.I32(1, values);
            header.I32(2, encoding);
            header.EndStruct();
        }
        header.Stop();
        _stream.Write(header.Written);
        _stream.Write(body);
        _offset += header.Written.Length + body.Length;
        _lastSizes = (header.Written.Length + _page.Length, header.Written.Length + body.Length);
    }

    private ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> data)
    {
        switch (_compression)
        {
            case CompressionMethod.None:
                return data;
            case CompressionMethod.Snappy:
                {
                    Span<byte> dst = _compressed.Reset(Snappier.Snappy.GetMaxCompressedLength(data.Length));
                    return dst[..Snappier.Snappy.Compress(data, dst)];
                }
            case CompressionMethod.Lz4Raw:
                {
                    Span<byte> dst = _compressed.Reset(K4os.Compression.LZ4.LZ4Codec.MaximumOutputSize(data.Length));
                    return dst[..K4os.Compression.LZ4.LZ4Codec.Encode(data, dst, K4os.Compression.LZ4.LZ4Level.L00_FAST)];
                }
            case CompressionMethod.Zstd:
                {
                    using var zstd = new ZstdSharp.Compressor(1);
                    Span<byte> dst = _compressed.Reset(ZstdSharp.Compressor.GetCompressBound(data.Length));
                    return dst[..zstd.Wrap(data, dst)];
                }
            default:
                {
                    using var ms = new MemoryStream();
                    using (var gzip = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
                    Span<byte> dst = _compressed.Reset((int)ms.Length);
                    ms.GetBuffer().AsSpan(0, (int)ms.Length).CopyTo(dst);
                    return dst;
                }
        }
    }

    /// <summary>Writes the footer (FileMetaData, its length, the magic). The stream is left open.</summary>
    public void Close()
    {
        var t = new Thrift();
        t.I32(1, 1);
        t.BeginList(2, 12, 6);
        t.BeginElement();
        t.Binary(4, "schema"u8);
        t.I32(5, 5);
        t.EndStruct();
        Schema(t, "time", TypeInt64, Required, convertedType: 10, timestamp: true, text: false);
        Schema(t, "device_id", TypeByteArray, Required, convertedType: 0, timestamp: false, text: true);
        Schema(t, "sensor", TypeByteArray, Required, convertedType: 0, timestamp: false, text: true);
        Schema(t, "value", TypeFloat, Optional, convertedType: -1, timestamp: false, text: false);
        Schema(t, "anomaly", TypeByteArray, Optional, convertedType: 0, timestamp: false, text: true);
        t.I64(3, _rowGroups.Sum(g => (long)g.Rows));
        Span<byte> b = stackalloc byte[8];
        t.BeginList(4, 12, _rowGroups.Count);
        foreach (RowGroupMeta g in _rowGroups)
        {
            t.BeginElement();
            t.BeginList(1, 12, g.Columns.Length);
            foreach (ColumnMeta c in g.Columns)
            {
                t.BeginElement();
                t.I64(2, c.DictionaryAt >= 0 ? c.DictionaryAt : c.DataAt);
                t.BeginStruct(3);
                t.I32(1, c.Type);
                t.BeginList(2, 5, c.Encodings.Length);
                foreach (int e in c.Encodings) t.ListI32(e);
                t.BeginList(3, 8, 1);
                t.ListBinary(Encoding.UTF8.GetBytes(c.Name));
                t.I32(4, _codec);
                t.I64(5, c.Values);
                t.I64(6, c.Sizes.Uncompressed);
                t.I64(7, c.Sizes.Compressed);
                t.I64(9, c.DataAt);
                if (c.DictionaryAt >= 0) t.I64(11, c.DictionaryAt);
                if (c.Stats.Min is not null || c.Stats.Nulls is not null)
                {
                    t.BeginStruct(12);
                    if (c.Stats.Nulls is { } nulls) t.I64(3, nulls);
                    if (c.Stats.Min is { } lo && c.Stats.Max is { } hi)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(b, hi);
                        t.Binary(5, b);
                        BinaryPrimitives.WriteInt64LittleEndian(b, lo);
                        t.Binary(6, b);
                    }
                    t.EndStruct();
                }
                t.EndStruct();
                t.EndStruct();
            }
            t.I64(2, g.Bytes);
            t.I64(3, g.Rows);
            t.I64(5, g.Offset);
            t.I64(6, g.CompressedBytes);
            t.EndStruct();
        }
        t.BeginList(5, 12, _metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            t.BeginElement();
            t.Binary(1, Encoding.UTF8.GetBytes(key));
            t.Binary(2, Encoding.UTF8.GetBytes(value));
            t.EndStruct();
        }
        t.Binary(6, "IotSim (hand-written narrow writer)"u8);
        // column_orders: TYPE_ORDER for each column, which gives the statistics their meaning.
        t.BeginList(7, 12, 5);
        for (int c = 0; c < 5; c++)
        {
            t.BeginElement();
            t.BeginStruct(1);
            t.EndStruct();
            t.EndStruct();
        }
        t.Stop();
        _stream.Write(t.Written);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, t.Written.Length);
        _stream.Write(length);
        _stream.Write(s_magic);
    }

    private static void Schema(Thrift t, string name, int type, int repetition, int convertedType, bool timestamp, bool text)
    {
        t.BeginElement();
        t.I32(1, type);
        t.I32(3, repetition);
        t.Binary(4, Encoding.UTF8.GetBytes(name));
        if (convertedType >= 0) t.I32(6, convertedType);
        if (timestamp || text)
        {
            t.BeginStruct(10); // LogicalType union
            if (text)
            {
                t.BeginStruct(1); // STRING
                t.EndStruct();
            }
            else
            {
                t.BeginStruct(8); // TIMESTAMP
                t.Bool(1, true); // isAdjustedToUTC
                t.BeginStruct(2); // unit
                t.BeginStruct(2); // MICROS
                t.EndStruct();
                t.EndStruct();
                t.EndStruct();
            }
            t.EndStruct();
        }
        t.EndStruct();
    }

    private sealed record ColumnMeta(string Name, int Type, int[] Encodings, long Values, long DataAt, long DictionaryAt, (int Uncompressed, int Compressed) Sizes, (long? Min, long? Max, long? Nulls) Stats);

    private sealed record RowGroupMeta(ColumnMeta[] Columns, int Rows, long Bytes, long CompressedBytes, long Offset);

    /// <summary>A growable byte buffer.</summary>
    internal sealed class Buffer
    {
        private byte[] _data = new byte[1 << 16];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Written => _data.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public Span<byte> Take(int n)
        {
            if (Length + n > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + n));
            Span<byte> s = _data.AsSpan(Length, n);
            Length += n;
            return s;
        }

        public Span<byte> Span(int at, int n) => _data.AsSpan(at, n);

        public Span<byte> Reset(int n)
        {
            if (_data.Length < n) _data = new byte[Math.Max(n, _data.Length * 2)];
            Length = 0;
            return _data.AsSpan(0, n);
        }

        public void Add(byte b)
        {
            if (Length == _data.Length) Array.Resize(ref _data, _data.Length * 2);
            _data[Length++] = b;
        }
    }

    /// <summary>
    /// Parquet's RLE / bit-packing hybrid encoding: a run of at least 8 equal values becomes an RLE run; other values
    /// are bit-packed in groups of 8 (the last group padded with zeros).
    /// </summary>
    internal sealed class RleHybrid(Buffer output, int width)
    {
        private readonly Buffer _out = output;
        private readonly int _width = width;
        private readonly int[] _pending = new int[8 * 64];
        private int _count;
        private int _runValue = -1;
        private int _runLength;

        /// <summary>Adds <paramref name="count"/> copies of <paramref name="value"/>.</summary>
        public void AddRun(int value, int count)
        {
            if (count <= 0) return;
            Add(value); // the value is now the current run's
            _runLength += count - 1;
        }

        public void Add(int value)
        {
            if (value == _runValue)
            {
                _runLength++;
                return;
            }
            if (_runLength == 1 && _count < _pending.Length)
            {
                // A run of one goes to the packed values, as Spill would put it: the common case, kept short.
                _pending[_count++] = _runValue;
                _runValue = value;
                return;
            }
            Spill();
            _runValue = value;
            _runLength = 1;
        }

        /// <summary>Ends the current run: an RLE run when long enough (and the packed values are whole groups), else packed values.</summary>
        private void Spill()
        {
            // Complete the packed values' last group from the run first: a run may follow only whole groups.
            int fill = Math.Min((8 - _count % 8) % 8, _runLength);
            for (int i = 0; i < fill; i++) _pending[_count++] = _runValue;
            _runLength -= fill;
            if (_runLength >= 8)
            {
                FlushPacked();
                WriteRle(_runValue, _runLength);
            }
            else
            {
                for (int i = 0; i < _runLength; i++)
                {
                    if (_count == _pending.Length) FlushPacked();
                    _pending[_count++] = _runValue;
                }
            }
            _runLength = 0;
        }

        public void Finish()
        {
            Spill();
            FlushPacked();
        }

        private void WriteRle(int value, int length)
        {
            Varint((uint)length << 1);
            int bytes = (_width + 7) / 8;
            for (int b = 0; b < bytes; b++) _out.Add((byte)(value >> (8 * b)));
        }

        /// <summary>Writes the pending values as one bit-packed run (whole groups of 8; the last one padded at the end of the data).</summary>
        private void FlushPacked()
        {
            if (_count == 0) return;
            int groups = (_count + 7) / 8;
            Varint(((uint)groups << 1) | 1);
            Span<byte> dst = _out.Take(groups * _width);
            dst.Clear();
            ulong acc = 0;
            int bits = 0, at = 0;
            for (int i = 0; i < groups * 8; i++)
            {
                ulong v = i < _count ? (uint)_pending[i] : 0u;
                acc |= v << bits;
                bits += _width;
                while (bits >= 8)
                {
                    dst[at++] = (byte)acc;
                    acc >>= 8;
                    bits -= 8;
                }
            }
            _count = 0;
        }

        private void Varint(uint v)
        {
            while (v >= 0x80)
            {
                _out.Add((byte)(v | 0x80));
                v >>= 7;
            }
            _out.Add((byte)v);
        }
    }

    /// <summary>The Thrift compact protocol, writing only: structs, i32/i64, binary, bool and lists.</summary>
    internal sealed class Thrift
    {
        private readonly Buffer _b = new();
        private readonly Stack<short> _last = new();
        private short _field;

        public ReadOnlySpan<byte> Written => _b.Written;

        private void Header(short id, int type)
        {
            int delta = id - _field;
            if (delta is > 0 and <= 15)
            {
                _b.Add((byte)((delta << 4) | type));
            }
            else
            {
                _b.Add((byte)type);
                Varint(ZigZag(id));
            }
            _field = id;
        }

        public void I32(short id, int v)
        {
            Header(id, 5);
            Varint(ZigZag(v));
        }

        public void I64(short id, long v)
        {
            Header(id, 6);
            Varint(ZigZag(v));
        }

        public void Bool(short id, bool v) => Header(id, v ? 1 : 2);

        public void Binary(short id, ReadOnlySpan<byte> v)
        {
            Header(id, 8);
            Varint((ulong)v.Length);
            v.CopyTo(_b.Take(v.Length));
        }

        public void BeginStruct(short id)
        {
            Header(id, 12);
            _last.Push(_field);
            _field = 0;
        }

        /// <summary>A struct as a list element (no field header).</summary>
        public void BeginElement()
        {
            _last.Push(_field);
            _field = 0;
        }

        public void EndStruct()
        {
            _b.Add(0);
            _field = _last.Pop();
        }

        public void Stop() => _b.Add(0);

        public void BeginList(short id, int elementType, int count)
        {
            Header(id, 9);
            if (count < 15)
            {
                _b.Add((byte)((count << 4) | elementType));
            }
            else
            {
                _b.Add((byte)(0xF0 | elementType));
                Varint((ulong)count);
            }
        }

        public void ListI32(int v) => Varint(ZigZag(v));

        public void ListBinary(ReadOnlySpan<byte> v)
        {
            Varint((ulong)v.Length);
            v.CopyTo(_b.Take(v.Length));
        }

        private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

        private void Varint(ulong v)
        {
            while (v >= 0x80)
            {
                _b.Add((byte)(v | 0x80));
                v >>= 7;
            }
            _b.Add((byte)v);
        }
    }
}
