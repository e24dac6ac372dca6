using System.Buffers;
using System.Runtime.CompilerServices;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Turns batches into UTF-8 rows. Every text that does not change per reading (names, units, escaping, the row
/// prefix of timestamp and device id) is precomputed, so the per-reading work is a few copies and one fixed-point
/// number. Allocation-free after warm-up. Not thread-safe: one instance per sink.
/// </summary>
internal abstract class ReadingEncoder
{
    private const int MaxDeviceDigits = 10;

    private readonly int _timestampOffset;
    private readonly int _digitsOffset;
    private readonly byte[] _idTail;
    private readonly byte[] _nullToken;
    private readonly bool _customIds;
    private readonly bool _skew;
    private byte[] _row;
    private long _rowTimestamp = long.MinValue;
    private long _segmentTimestamp;

    /// <param name="fleet">The fleet whose batches are encoded.</param>
    /// <param name="beforeTimestamp">Row text before the timestamp.</param>
    /// <param name="afterTimestamp">Row text between the timestamp and the device id.</param>
    /// <param name="idPrefix">The device id prefix, escaped for the format (with an opening quote when quoted).</param>
    /// <param name="idTail">Row text after the device number.</param>
    /// <param name="nullToken">What a non-finite value is written as.</param>
    protected ReadingEncoder(Fleet fleet, string beforeTimestamp, string afterTimestamp, string idPrefix, string idTail, string nullToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        Fleet = fleet;
        byte[] before = TextEscaping.Utf8(beforeTimestamp);
        byte[] after = TextEscaping.Utf8(afterTimestamp);
        byte[] prefix = TextEscaping.Utf8(idPrefix);
        _idTail = TextEscaping.Utf8(idTail);
        _nullToken = TextEscaping.Utf8(nullToken);
        _customIds = fleet.HasCustomIds;
        _skew = fleet.HasClockSkew;
        _timestampOffset = before.Length;
        _digitsOffset = before.Length + IsoTimestamp.Length + after.Length + prefix.Length;
        _row = new byte[_digitsOffset + MaxDeviceDigits + _idTail.Length + 256];
        before.CopyTo(_row, 0);
        after.CopyTo(_row, _timestampOffset + IsoTimestamp.Length);
        prefix.CopyTo(_row, _timestampOffset + IsoTimestamp.Length + after.Length);
    }

    /// <summary>The fleet whose batches this encoder writes.</summary>
    public Fleet Fleet { get; }

    /// <summary>What a non-finite value is written as.</summary>
    protected byte[] NullToken => _nullToken;

    /// <summary>The row prefix scratch: <see cref="BeginSegment"/> and <see cref="BeginDevice"/> fill it.</summary>
    protected byte[] Row => _row;

    /// <summary>The header bytes (CSV column names and newline), empty for formats without one.</summary>
    protected byte[] Header { get; init; } = [];

    /// <summary>Writes the column header (CSV) or nothing.</summary>
    public void WriteHeader(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Header);
    }

    /// <summary>Writes every present reading of <paramref name="batch"/>.</summary>
    public void Encode(ReadingBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (BatchSegment segment in batch.Segments)
        {
            EncodeDevices(batch, segment, 0, segment.ChannelCount, output);
        }
    }

    /// <summary>
    /// Writes the present readings of channels [<paramref name="channelFrom"/>, + <paramref name="channelCount"/>)
    /// of <paramref name="segment"/> (relative to the segment; both on device boundaries).
    /// </summary>
    public abstract void EncodeDevices(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output);

    /// <summary>Builds the header line from the column names, CSV-quoted where needed.</summary>
    protected static byte[] CsvHeader(IEnumerable<string> columns) =>
        TextEscaping.Utf8(string.Join(',', columns.Select(TextEscaping.Csv)) + "\n");

    /// <summary>The device id prefix escaped for <paramref name="format"/>: (text before the digits, text after them).</summary>
    protected static (string Open, string Close) DeviceIdParts(Fleet fleet, EncodingFormat format)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        if (fleet.HasCustomIds)
        {
            return ("", ""); // the identity file's ids are written whole, in place of prefix and number
        }
        string prefix = System.Text.Encoding.UTF8.GetString(fleet.DeviceIdPrefixUtf8);
        return format switch
        {
            EncodingFormat.JsonLines => (TextEscaping.Json(prefix), ""),
            EncodingFormat.Csv when TextEscaping.CsvNeedsQuotes(prefix) => ("\"" + prefix.Replace("\"", "\"\"", StringComparison.Ordinal), "\""),
            _ => (prefix, ""),
        };
    }

    /// <summary>Validates a device-aligned channel range of a segment; returns the group.</summary>
    protected IntervalGroup CheckRange(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Fleet != Fleet)
        {
            throw new ArgumentException("the batch belongs to another fleet than the encoder's", nameof(batch));
        }
        IntervalGroup group = Fleet.Groups[segment.Group];
        int perDevice = group.SensorsPerDevice;
        if (channelFrom < 0 || channelCount < 0 || channelCount > segment.ChannelCount - channelFrom
            || channelFrom % perDevice != 0 || channelCount % perDevice != 0)
        {
            Kernels.ThrowHelper.ArgumentOutOfRange(nameof(channelFrom));
        }
        return group;
    }

    /// <summary>Puts the timestamp text of <paramref name="timestampMs"/> into the row prefix (once per distinct time).</summary>
    protected void BeginSegment(long timestampMs)
    {
        _segmentTimestamp = timestampMs;
        if (timestampMs != _rowTimestamp)
        {
            IsoTimestamp.Format(timestampMs, _row.AsSpan(_timestampOffset, IsoTimestamp.Length));
            _rowTimestamp = timestampMs;
        }
    }

    /// <summary>Puts the device id into the row prefix; returns the prefix length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected int BeginDevice(int device)
    {
        if (_skew)
        {
            SkewTimestamp(device);
        }
        if (_customIds)
        {
            return CustomDevice(device);
        }
        int length = _digitsOffset + ByteWriter.FormatPadded((uint)device, 6, _row.AsSpan(_digitsOffset, MaxDeviceDigits));
        _idTail.CopyTo(_row, length);
        return length + _idTail.Length;
    }

    /// <summary>Dirty delivery's clock skew: the row prefix gets the timestamp as <paramref name="device"/>'s clock tells it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SkewTimestamp(int device)
    {
        long timestampMs = _segmentTimestamp + Fleet.ClockSkewMs(device);
        if (timestampMs != _rowTimestamp)
        {
            IsoTimestamp.Format(timestampMs, _row.AsSpan(_timestampOffset, IsoTimestamp.Length));
            _rowTimestamp = timestampMs;
        }
    }

    /// <summary>The row prefix with the identity file's id of <paramref name="device"/> in place of prefix and number.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int CustomDevice(int device)
    {
        int length = AppendToRow(_digitsOffset, Fleet.CustomIdUtf8(device));
        return AppendToRow(length, _idTail);
    }

    /// <summary>Appends <paramref name="bytes"/> to the row prefix of length <paramref name="length"/>; returns the new length.</summary>
    protected int AppendToRow(int length, ReadOnlySpan<byte> bytes)
    {
        // The row is copied in whole vectors, so it keeps PaddedBytes.Padding spare bytes.
        if (length + bytes.Length + PaddedBytes.Padding > _row.Length)
        {
            Array.Resize(ref _row, Math.Max(_row.Length * 2, length + bytes.Length + PaddedBytes.Padding));
        }
        bytes.CopyTo(_row.AsSpan(length));
        return length + bytes.Length;
    }

    /// <summary>10^<paramref name="precision"/>; throws a <see cref="ConfigException"/> outside the 0..9 digits encoders support.</summary>
    protected static double ScaleOf(int precision)
    {
        if ((uint)precision > 9)
        {
            throw new ConfigException(null, 0, "precision", $"encoders support 0..9 decimal digits, found {precision}");
        }
        return ByteWriter.Scale(precision);
    }

    /// <summary>Anomaly label of kind <paramref name="kind"/> ("" for none).</summary>
    protected static string Label(int kind) => AnomalyKinds.ToName((AnomalyKind)kind);
}
