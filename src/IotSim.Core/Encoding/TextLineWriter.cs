using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// Narrow CSV rows (no header) or JSON Lines for sinks in other projects that send one line per message (brokers):
/// the hand-written encoders of the file sink. Not thread-safe: one per writer.
/// </summary>
[Experimental("IOTSIM001")]
public sealed class TextLineWriter
{
    private readonly ReadingEncoder _encoder;

    /// <param name="fleet">The fleet whose batches are written.</param>
    /// <param name="format"><c>json</c> (one JSON object per reading) or <c>csv</c> (one CSV row per reading).</param>
    public TextLineWriter(Fleet fleet, string format)
    {
        _encoder = format switch
        {
            "json" => NarrowEncoder.JsonLines(fleet),
            "csv" => NarrowEncoder.Csv(fleet),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "json or csv"),
        };
    }

    /// <summary>Writes every present reading of the batch, one line (ending in '\n') each.</summary>
    public void Write(ReadingBatch batch, IBufferWriter<byte> output) => _encoder.Encode(batch, output);
}
