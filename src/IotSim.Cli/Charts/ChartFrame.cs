namespace IotSim.Cli.Charts;

/// <summary>Where a chart's plot area sits on the page and which x and y ranges it shows (x maps left to right, y bottom to top).</summary>
internal readonly record struct ChartFrame(double Left, double Top, double Width, double Height, double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Bottom edge of the plot area.</summary>
    public double Bottom => Top + Height;

    /// <summary>Page x of data x.</summary>
    public double MapX(double x) => Left + (x - XMin) / (XMax - XMin) * Width;

    /// <summary>Page y of data y.</summary>
    public double MapY(double y) => Bottom - (y - YMin) / (YMax - YMin) * Height;
}
