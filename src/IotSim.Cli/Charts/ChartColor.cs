using System.Globalization;

namespace IotSim.Cli.Charts;

/// <summary>An opaque sRGB colour.</summary>
internal readonly record struct ChartColor(byte R, byte G, byte B)
{
    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>The colour from <c>0xRRGGBB</c>.</summary>
    public static ChartColor FromRgb(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
}
