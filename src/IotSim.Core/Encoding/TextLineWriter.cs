using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Narrow CSV rows (no header), JSON Lines, or wide JSON rows (one per device and timestamp) for sinks in other
/// projects that send one line per message (brokers): the hand-written encoders of the file sink. Not thread-safe:
/// one per writer.
/// </summary>
[Experimental("IOTSIM001")]
public sealed class TextLineWriter
{
    private readonly ReadingEncoder _encoder;

    /// <param name="fleet">The fleet whose batches are written.</param>
    /// <param name="format"><c>json</c> (one JSON object per reading), <c>csv</c> (one CSV row per reading) or
    /// <c>device-json</c> (one JSON object per device and timestamp with every sensor due, the wide shape's JSON).</param>
    public TextLineWriter(Fleet fleet, string format)
    {
        _encoder = format switch
        {
            "json" => NarrowEncoder.JsonLines(fleet),
            "csv" => NarrowEncoder.Csv(fleet),
            "device-json" => WideEncoder.JsonLines(fleet),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "json, csv or device-json"),
        };
    }

    /// <summary>Writes every present reading of the batch, one line (ending in '\n') each.</summary>
    public void Write(ReadingBatch batch, IBufferWriter<byte> output) => _encoder.Encode(batch, output);

    /// <summary>
    /// Writes the lines of devices [<paramref name="deviceFrom"/>, + <paramref name="deviceCount"/>) of segment
    /// <paramref name="segment"/> (device positions relative to the segment), in the order <see cref="Write"/> does:
    /// writing every segment's devices in turn gives the same bytes. With <c>device-json</c> a row takes its readings
    /// from every segment of its run (<see cref="WideRuns"/>), and only the run's first segment writes lines.
    /// </summary>
    public void WriteDevices(ReadingBatch batch, int segment, int deviceFrom, int deviceCount, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BatchSegment s = batch.Segments[segment];
        int per = batch.Fleet.Groups[s.Group].SensorsPerDevice;
        _encoder.EncodeDevices(batch, s, deviceFrom * per, deviceCount * per, output);
    }
}
