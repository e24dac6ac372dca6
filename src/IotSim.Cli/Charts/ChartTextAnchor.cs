namespace IotSim.Cli.Charts;

/// <summary>Which point of a text its x coordinate gives.</summary>
internal enum ChartTextAnchor
{
    /// <summary>The left end.</summary>
    Start,

    /// <summary>The middle.</summary>
    Middle,

    /// <summary>The right end.</summary>
    End,
}
