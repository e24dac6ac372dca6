using System.Globalization;
using System.Xml.Linq;

namespace IotSim.Cli.Tests;

/// <summary>Turns a chart's page coordinates back into data, from the <c>data-plot</c>, <c>data-x</c> and <c>data-y</c> attributes of its group.</summary>
internal sealed record SvgMapping(double Left, double Top, double Width, double Height, double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Coordinates are written with two decimals: half a hundredth of a pixel, in data units (plus a margin for the float arithmetic).</summary>
    public double XTolerance => 0.0051 * (XMax - XMin) / Width;

    public double YTolerance => 0.0051 * (YMax - YMin) / Height;

    public static SvgMapping Of(XElement chart)
    {
        double[] plot = Numbers((string)chart.Attribute("data-plot")!);
        double[] x = Numbers((string)chart.Attribute("data-x")!);
        double[] y = Numbers((string)chart.Attribute("data-y")!);
        return new SvgMapping(plot[0], plot[1], plot[2], plot[3], x[0], x[1], y[0], y[1]);
    }

    public (double X, double Y) ToData((double X, double Y) page) =>
        (XMin + (page.X - Left) / Width * (XMax - XMin), YMin + (Top + Height - page.Y) / Height * (YMax - YMin));

    /// <summary>The points of a path's <c>d</c> (M and L commands), in order.</summary>
    public static List<(double X, double Y)> Points(string d) =>
        [.. d.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p[1..].Split(',')).Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))];

    private static double[] Numbers(string text) => [.. text.Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture))];
}
