namespace IotSim.Cli.Charts;

/// <summary>The colours charts are drawn with: series colours (Okabe–Ito, distinguishable with colour blindness) and the frame's greys.</summary>
internal static class ChartPalette
{
    private static readonly ChartColor[] s_series =
    [
        ChartColor.FromRgb(0x0072B2), ChartColor.FromRgb(0xD55E00), ChartColor.FromRgb(0x009E73), ChartColor.FromRgb(0xCC79A7),
        ChartColor.FromRgb(0xE69F00), ChartColor.FromRgb(0x56B4E9), ChartColor.FromRgb(0x000000), ChartColor.FromRgb(0xF0E442),
    ];

    /// <summary>Page and chart background.</summary>
    public static ChartColor Background { get; } = ChartColor.FromRgb(0xFFFFFF);

    /// <summary>Titles, tick labels and axes.</summary>
    public static ChartColor Text { get; } = ChartColor.FromRgb(0x222222);

    /// <summary>Secondary text: units, captions.</summary>
    public static ChartColor MutedText { get; } = ChartColor.FromRgb(0x666666);

    /// <summary>Grid lines.</summary>
    public static ChartColor Grid { get; } = ChartColor.FromRgb(0xE3E3E3);

    /// <summary>The colour of series <paramref name="index"/> (cycles after eight).</summary>
    public static ChartColor Series(int index) => s_series[(int)((uint)index % (uint)s_series.Length)];
}
