using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>
/// InfluxDB line protocol for sinks in other projects (HTTP writers, brokers): the same hand-written encoder the file
/// and console sinks use for <c>format: line</c>. Not thread-safe: one per writer.
/// </summary>
[Experimental("IOTSIM001")]
public sealed class LineProtocolWriter
{
    private readonly LineEncoder _encoder;

    /// <param name="fleet">The fleet whose batches are written.</param>
    /// <param name="measurement"><c>industry</c> (default), <c>sensor_type</c>, or a fixed measurement name.</param>
    /// <param name="precision">Timestamp unit: <c>ns</c> (default), <c>us</c>, <c>ms</c> or <c>s</c>.</param>
    public LineProtocolWriter(Fleet fleet, string measurement = "industry", string precision = "ns")
    {
        _encoder = new LineEncoder(fleet, measurement, precision);
    }

    /// <summary>
    /// Writes the points of channels [<paramref name="channelFrom"/>, + <paramref name="channelCount"/>) of
    /// <paramref name="segment"/> (device-aligned; in the wide shape, rows are written with the first segment of each
    /// timestamp's run and the others write nothing); returns the readings those points carry.
    /// </summary>
    public int Write(ReadingBatch batch, in BatchSegment segment, int channelFrom, int channelCount, IBufferWriter<byte> output)
    {
        _encoder.EncodeDevices(batch, segment, channelFrom, channelCount, output);
        return _encoder.LastReadings;
    }

    /// <summary>A measurement name escaped for the protocol.</summary>
    public static string EscapeMeasurement(string name) => LineEncoder.EscapeMeasurement(name);

    /// <summary>A tag key or value escaped for the protocol.</summary>
    public static string EscapeTag(string text) => LineEncoder.EscapeTag(text);
}
