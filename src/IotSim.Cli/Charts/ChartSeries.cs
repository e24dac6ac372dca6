namespace IotSim.Cli.Charts;

/// <summary>
/// One line of a chart: points in ascending x; a NaN y breaks the line (a gap). For a time axis, x is Unix
/// milliseconds (<see cref="ChartSeries.TimeX"/>).
/// </summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>The colour index into <see cref="ChartPalette.Series"/>; by default the series' position in its chart.</summary>
    public int? ColorIndex { get; init; }

    /// <summary>The x value of a timestamp on a time axis.</summary>
    public static double TimeX(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}
