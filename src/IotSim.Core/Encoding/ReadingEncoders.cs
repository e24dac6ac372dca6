using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Encoders;

/// <summary>Picks the encoder for a format and an output shape.</summary>
internal static class ReadingEncoders
{
    /// <summary>
    /// The encoder of <paramref name="format"/> in <paramref name="shape"/>; console text has no wide form and
    /// writes wide CSV instead.
    /// </summary>
    public static ReadingEncoder Create(Fleet fleet, EncodingFormat format, OutputShape shape) => (format, shape) switch
    {
        (EncodingFormat.Csv, OutputShape.Narrow) => NarrowEncoder.Csv(fleet),
        (EncodingFormat.JsonLines, OutputShape.Narrow) => NarrowEncoder.JsonLines(fleet),
        (EncodingFormat.Text, OutputShape.Narrow) => NarrowEncoder.Text(fleet),
        (EncodingFormat.JsonLines, OutputShape.Wide) => WideEncoder.JsonLines(fleet),
        (EncodingFormat.Csv or EncodingFormat.Text, OutputShape.Wide) => WideEncoder.Csv(fleet),
        (EncodingFormat.Line, _) => new LineEncoder(fleet),
        _ => throw new ArgumentOutOfRangeException(nameof(format), $"{format} / {shape}"),
    };
}
