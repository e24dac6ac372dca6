namespace IotSim.Cli.Charts;

/// <summary>How charts are laid out on a page: <see cref="Columns"/> per row, each in a cell of the given size (pixels).</summary>
internal readonly record struct ChartGrid(int Columns = 2, int CellWidth = 520, int CellHeight = 280)
{
    /// <summary>The page size for <paramref name="charts"/> charts.</summary>
    public (int Width, int Height) Size(int charts)
    {
        int columns = Math.Clamp(charts, 1, Math.Max(1, Columns));
        int rows = Math.Max(1, (charts + columns - 1) / columns);
        return (columns * CellWidth, rows * CellHeight);
    }
}
