namespace IotSim.Cli.Charts;

/// <summary>How a piece of chart text is set.</summary>
internal enum ChartTextStyle
{
    /// <summary>Tick labels, legend entries, span labels.</summary>
    Label,

    /// <summary>A chart's heading.</summary>
    Title,
}
