namespace IotSim.Core.Encoders;

/// <summary>Text formats the built-in encoders write.</summary>
internal enum EncodingFormat
{
    /// <summary>Comma-separated values with a header line.</summary>
    Csv,
    /// <summary>One JSON object per line.</summary>
    JsonLines,
    /// <summary>Human-readable console lines (wide shape falls back to CSV).</summary>
    Text,
    /// <summary>InfluxDB line protocol, one point per line.</summary>
    Line,
}
