namespace IotSim.Cli.Charts;

/// <summary>A shaded x range [<see cref="Start"/>, <see cref="End"/>] with a label, e.g. an anomaly episode, tinted like series <see cref="ColorIndex"/>.</summary>
internal sealed record ChartSpan(double Start, double End, string Label, int ColorIndex)
{
    /// <summary>A longer description (a tooltip in SVG), or null.</summary>
    public string? Note { get; init; }
}
