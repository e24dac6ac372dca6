namespace IotSim.Cli.Charts;

/// <summary>What a chart's x values are.</summary>
internal enum ChartXAxis
{
    /// <summary>Plain numbers.</summary>
    Number,

    /// <summary>Unix milliseconds, labelled as UTC times.</summary>
    Time,
}
