namespace IotSim.Cli.Charts;

/// <summary>
/// What <see cref="ChartRenderer"/> draws on: page coordinates in pixels from the top-left, text on a baseline. The
/// SVG writer and the raster canvas implement it, so both outputs share one layout.
/// </summary>
internal interface IChartCanvas
{
    /// <summary>Starts the shapes of one chart, whose plot area and ranges are <paramref name="frame"/>.</summary>
    void BeginChart(LineChart chart, ChartFrame frame);

    /// <summary>Ends the chart begun last.</summary>
    void EndChart();

    /// <summary>A filled rectangle.</summary>
    void FillRect(double x, double y, double width, double height, ChartColor color, double opacity);

    /// <summary>A shaded span of the chart (already clipped to the plot area).</summary>
    void Span(ChartSpan span, double x, double y, double width, double height, ChartColor color, double opacity);

    /// <summary>A straight line (axes, grid, legend swatches).</summary>
    void Line(double x1, double y1, double x2, double y2, ChartColor color, double width);

    /// <summary>A series as (x, y) page coordinate pairs; a NaN pair breaks the line.</summary>
    void Series(ChartSeries series, ReadOnlySpan<double> xy, ChartColor color, double width);

    /// <summary>Text whose baseline is at <paramref name="y"/>.</summary>
    void Text(double x, double y, string text, ChartTextAnchor anchor, ChartTextStyle style, ChartColor color);
}
