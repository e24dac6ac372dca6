namespace IotSim.Core.Scenarios;

/// <summary>File compression.</summary>
public enum Compression
{
    /// <summary>Plain files.</summary>
    None,
    /// <summary>gzip (.gz).</summary>
    Gzip,
    /// <summary>LZ4 frame format (.lz4), readable by the lz4 command.</summary>
    Lz4,
}
