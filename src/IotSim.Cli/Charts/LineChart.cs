namespace IotSim.Cli.Charts;

/// <summary>A line chart: a title, the y unit, one or more series over a shared x axis and optional shaded spans.</summary>
internal sealed record LineChart
{
    /// <summary>Heading above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>Unit of the y values (shown above the value axis), or empty.</summary>
    public string Unit { get; init; } = "";

    /// <summary>What x is.</summary>
    public ChartXAxis XAxis { get; init; } = ChartXAxis.Time;

    /// <summary>The lines, drawn in order.</summary>
    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    /// <summary>Shaded ranges drawn under the lines.</summary>
    public IReadOnlyList<ChartSpan> Spans { get; init; } = [];

    /// <summary>The x range shown; by default the series' own range.</summary>
    public (double Min, double Max)? XRange { get; init; }

    /// <summary>Whether the value axis includes 0 (for rates and counts).</summary>
    public bool IncludeZero { get; init; }
}
