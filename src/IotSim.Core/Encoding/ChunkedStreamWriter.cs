using System.Buffers;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Encodes segments into one reused buffer and hands it to a stream in chunks of about
/// <see cref="DefaultChunkBytes"/> (or a number of readings), so a huge batch never needs a huge buffer. Chunks
/// end on device boundaries. Allocation-free once the buffer has reached its working size. Not thread-safe.
/// </summary>
internal sealed class ChunkedStreamWriter
{
    /// <summary>Bytes after which a chunk is handed to the stream.</summary>
    public const int DefaultChunkBytes = 4 << 20;

    // Readings encoded between chunk-size checks: small enough that a chunk overshoots the limit by well under 1 MB.
    private const int StepReadings = 4096;

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly int _chunkBytes;
    private readonly int _chunkReadings;
    private int _pendingReadings;

    /// <param name="encoder">The encoder.</param>
    /// <param name="chunkReadings">Readings after which a chunk is handed over even when small (null = no limit).</param>
    /// <param name="chunkBytes">Bytes after which a chunk is handed over.</param>
    public ChunkedStreamWriter(ReadingEncoder encoder, int? chunkReadings = null, int chunkBytes = DefaultChunkBytes)
    {
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _chunkReadings = Math.Max(1, chunkReadings ?? int.MaxValue);
        _chunkBytes = Math.Max(1, chunkBytes);
    }

    /// <summary>The encoder.</summary>
    public ReadingEncoder Encoder { get; }

    /// <summary>Bytes handed to streams so far, counted before the write (so a failed write counts as touched).</summary>
    public long BytesOut { get; private set; }

    /// <summary>Bytes encoded and not yet handed to a stream.</summary>
    public int Pending => _buffer.WrittenCount;

    /// <summary>Encodes the header into the pending bytes.</summary>
    public void WriteHeader() => Encoder.WriteHeader(_buffer);

    /// <summary>Encodes one segment; full chunks go to <paramref name="target"/>, the rest stays pending.</summary>
    public void EncodeSegment(ReadingBatch batch, in BatchSegment segment, Stream target)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int perDevice = batch.Fleet.Groups[segment.Group].SensorsPerDevice;
        int step = Math.Max(1, Math.Min(StepReadings, _chunkReadings) / perDevice) * perDevice;
        for (int from = 0; from < segment.ChannelCount; from += step)
        {
            int count = Math.Min(step, segment.ChannelCount - from);
            Encoder.EncodeDevices(batch, segment, from, count, _buffer);
            _pendingReadings += count;
            if (_buffer.WrittenCount >= _chunkBytes || _pendingReadings >= _chunkReadings)
            {
                FlushTo(target);
            }
        }
    }

    /// <summary>Hands the pending bytes to <paramref name="target"/>.</summary>
    public void FlushTo(Stream target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_buffer.WrittenCount > 0)
        {
            BytesOut += _buffer.WrittenCount;
            target.Write(_buffer.WrittenSpan);
        }
        Discard();
    }

    /// <summary>Drops the pending bytes.</summary>
    public void Discard()
    {
        _buffer.ResetWrittenCount();
        _pendingReadings = 0;
    }
}
