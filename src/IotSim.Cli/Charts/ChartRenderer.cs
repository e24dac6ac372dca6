namespace IotSim.Cli.Charts;

/// <summary>
/// Lays out line charts in a grid and draws them on an <see cref="IChartCanvas"/>: title, legend, unit, value and
/// time ticks with grid lines, shaded spans with labels, then the series. Series longer than twice the plot's width
/// in points keep, per pixel column, their first, lowest, highest and last point (the drawn line is the same).
/// </summary>
internal static class ChartRenderer
{
    /// <summary>Advance of one character of label text, in pixels (the raster font's, and close to SVG's 10px sans-serif).</summary>
    public const double CharWidth = 6;

    private const double MarginLeft = 62;
    private const double MarginRight = 30;
    private const double MarginTop = 48;
    private const double MarginBottom = 34;

    /// <summary>Draws <paramref name="charts"/> in <paramref name="grid"/> onto <paramref name="canvas"/>, sized by <see cref="ChartGrid.Size"/>.</summary>
    public static void Render(IReadOnlyList<LineChart> charts, ChartGrid grid, IChartCanvas canvas)
    {
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(canvas);
        (int width, int height) = grid.Size(charts.Count);
        canvas.FillRect(0, 0, width, height, ChartPalette.Background, 1);
        int columns = Math.Clamp(charts.Count, 1, Math.Max(1, grid.Columns));
        for (int i = 0; i < charts.Count; i++)
        {
            RenderOne(charts[i], (i % columns) * grid.CellWidth, (i / columns) * grid.CellHeight, grid.CellWidth, grid.CellHeight, canvas);
        }
    }

    /// <summary>The page width of <paramref name="text"/> as labels are set.</summary>
    public static double TextWidth(string text) => text.Length * CharWidth;

    private static void RenderOne(LineChart chart, double ox, double oy, double cellWidth, double cellHeight, IChartCanvas canvas)
    {
        (double xMin, double xMax) = chart.XRange ?? XExtent(chart);
        if (!(xMax > xMin))
        {
            double pad = chart.XAxis == ChartXAxis.Time ? 1000 : 1;
            (xMin, xMax) = (xMin - pad, xMax + pad);
        }
        (double yLow, double yHigh, bool any) = YExtent(chart, xMin, xMax);
        if (chart.IncludeZero) (yLow, yHigh) = (Math.Min(yLow, 0), Math.Max(yHigh, 0));
        if (!(yHigh > yLow))
        {
            double pad = Math.Max(1, Math.Abs(yLow) * 0.05);
            (yLow, yHigh) = (yLow - pad, yHigh + pad);
        }
        double plotWidth = cellWidth - MarginLeft - MarginRight;
        double plotHeight = cellHeight - MarginTop - MarginBottom;
        int yTickCount = Math.Max(2, (int)(plotHeight / 36));
        double yStep = ChartTicks.NiceStep(yLow, yHigh, yTickCount);
        double yMin = Math.Floor(yLow / yStep) * yStep;
        double yMax = Math.Ceiling(yHigh / yStep) * yStep;
        var frame = new ChartFrame(ox + MarginLeft, oy + MarginTop, plotWidth, plotHeight, xMin, xMax, yMin, yMax);
        canvas.BeginChart(chart, frame);

        canvas.Text(ox + 8, oy + 15, chart.Title, ChartTextAnchor.Start, ChartTextStyle.Title, ChartPalette.Text);
        DrawLegend(chart, ox + 8, oy + 30, canvas);
        if (chart.Unit.Length > 0) canvas.Text(ox + 8, oy + 43, chart.Unit, ChartTextAnchor.Start, ChartTextStyle.Label, ChartPalette.MutedText);

        foreach (ChartSpan span in chart.Spans)
        {
            double a = Math.Max(span.Start, xMin);
            double b = Math.Min(span.End, xMax);
            if (b < a) continue;
            double x0 = frame.MapX(a);
            double w = Math.Max(2, frame.MapX(b) - x0);
            canvas.Span(span, x0, frame.Top, Math.Min(w, frame.Left + frame.Width - x0 + 0.001), frame.Height, ChartPalette.Series(span.ColorIndex), 0.16);
        }

        foreach (double v in ChartTicks.Values(yMin, yMax, yStep))
        {
            double y = frame.MapY(v);
            canvas.Line(frame.Left, y, frame.Left + frame.Width, y, ChartPalette.Grid, 1);
            canvas.Text(frame.Left - 6, y + 3.5, ChartTicks.ValueLabel(v, yStep), ChartTextAnchor.End, ChartTextStyle.Label, ChartPalette.Text);
        }
        DrawXTicks(chart, frame, canvas);
        canvas.Line(frame.Left, frame.Top, frame.Left, frame.Bottom, ChartPalette.Text, 1);
        canvas.Line(frame.Left, frame.Bottom, frame.Left + frame.Width, frame.Bottom, ChartPalette.Text, 1);

        for (int s = 0; s < chart.Series.Count; s++)
        {
            ChartSeries series = chart.Series[s];
            canvas.Series(series, PagePoints(series, frame), ChartPalette.Series(series.ColorIndex ?? s), 1.5);
        }
        DrawSpanLabels(chart, frame, canvas);
        if (!any)
        {
            canvas.Text(frame.Left + frame.Width / 2, frame.Top + frame.Height / 2, "no data", ChartTextAnchor.Middle, ChartTextStyle.Label, ChartPalette.MutedText);
        }
        canvas.EndChart();
    }

    private static void DrawLegend(LineChart chart, double x, double y, IChartCanvas canvas)
    {
        for (int s = 0; s < chart.Series.Count; s++)
        {
            ChartSeries series = chart.Series[s];
            ChartColor color = ChartPalette.Series(series.ColorIndex ?? s);
            canvas.Line(x, y - 3.5, x + 14, y - 3.5, color, 2);
            canvas.Text(x + 18, y, series.Name, ChartTextAnchor.Start, ChartTextStyle.Label, ChartPalette.Text);
            x += 18 + TextWidth(series.Name) + 12;
        }
    }

    private static void DrawXTicks(LineChart chart, ChartFrame frame, IChartCanvas canvas)
    {
        bool time = chart.XAxis == ChartXAxis.Time;
        // Room for the longest label a step can produce, plus a gap.
        double labelWidth = time ? TextWidth("00:00:00") + 14 : TextWidth("-0000.00") + 10;
        int maxTicks = Math.Max(1, (int)(frame.Width / labelWidth));
        double step = time ? ChartTicks.TimeStep(frame.XMin, frame.XMax, maxTicks) : ChartTicks.NiceStep(frame.XMin, frame.XMax, maxTicks);
        foreach (double v in ChartTicks.Values(frame.XMin, frame.XMax, step))
        {
            double x = frame.MapX(v);
            canvas.Line(x, frame.Top, x, frame.Bottom, ChartPalette.Grid, 1);
            canvas.Line(x, frame.Bottom, x, frame.Bottom + 4, ChartPalette.Text, 1);
            string label = time ? ChartTicks.TimeLabel(v, step) : ChartTicks.ValueLabel(v, step);
            canvas.Text(x, frame.Bottom + 15, label, ChartTextAnchor.Middle, ChartTextStyle.Label, ChartPalette.Text);
        }
        if (time)
        {
            canvas.Text(frame.Left + frame.Width / 2, frame.Bottom + 29, ChartTicks.TimeCaption(frame.XMin, frame.XMax), ChartTextAnchor.Middle, ChartTextStyle.Label, ChartPalette.MutedText);
        }
    }

    /// <summary>Span labels at the top of the plot, one row per colour so that labels of different series stay apart.</summary>
    private static void DrawSpanLabels(LineChart chart, ChartFrame frame, IChartCanvas canvas)
    {
        foreach (ChartSpan span in chart.Spans)
        {
            double a = Math.Max(span.Start, frame.XMin);
            if (Math.Min(span.End, frame.XMax) < a || span.Label.Length == 0) continue;
            double x = frame.MapX(a) + 2;
            double right = frame.Left + frame.Width;
            if (x + TextWidth(span.Label) > right) x = right - TextWidth(span.Label);
            double y = frame.Top + 10 + 10 * (span.ColorIndex % 4);
            canvas.Text(x, y, span.Label, ChartTextAnchor.Start, ChartTextStyle.Label, ChartPalette.Series(span.ColorIndex));
        }
    }

    private static (double Min, double Max) XExtent(LineChart chart)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (ChartSeries s in chart.Series)
        {
            for (int i = 0; i < s.X.Count; i++)
            {
                double x = s.X[i];
                if (!double.IsFinite(x)) continue;
                if (x < min) min = x;
                if (x > max) max = x;
            }
        }
        return double.IsFinite(min) ? (min, max) : (0, 1);
    }

    private static (double Min, double Max, bool Any) YExtent(LineChart chart, double xMin, double xMax)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (ChartSeries s in chart.Series)
        {
            int n = Math.Min(s.X.Count, s.Y.Count);
            for (int i = 0; i < n; i++)
            {
                double x = s.X[i], y = s.Y[i];
                if (x < xMin || x > xMax || !double.IsFinite(y)) continue;
                if (y < min) min = y;
                if (y > max) max = y;
            }
        }
        return double.IsFinite(min) ? (min, max, true) : (0, 1, false);
    }

    /// <summary>
    /// The series in page coordinates, NaN pairs at gaps; points outside the x range are left out, and long series
    /// keep per pixel column the first, lowest, highest and last point.
    /// </summary>
    internal static double[] PagePoints(ChartSeries series, ChartFrame frame)
    {
        int n = Math.Min(series.X.Count, series.Y.Count);
        bool thin = n > 2 * frame.Width;
        var xy = new List<double>(thin ? (int)(frame.Width * 8) + 8 : 2 * n);
        bool broken = true;
        int column = int.MinValue;
        int first = -1, low = -1, high = -1, last = -1;
        void Flush()
        {
            if (first < 0) return;
            Span<int> picks = [first, low, high, last];
            picks.Sort();
            int previous = -1;
            foreach (int p in picks)
            {
                if (p == previous) continue;
                previous = p;
                xy.Add(frame.MapX(series.X[p]));
                xy.Add(frame.MapY(series.Y[p]));
            }
            first = -1;
        }
        for (int i = 0; i < n; i++)
        {
            double x = series.X[i], y = series.Y[i];
            if (x < frame.XMin || x > frame.XMax || !double.IsFinite(x)) continue;
            if (!double.IsFinite(y))
            {
                Flush();
                if (!broken)
                {
                    xy.Add(double.NaN);
                    xy.Add(double.NaN);
                    broken = true;
                }
                continue;
            }
            broken = false;
            if (!thin)
            {
                xy.Add(frame.MapX(x));
                xy.Add(frame.MapY(y));
                continue;
            }
            int c = (int)Math.Floor(frame.MapX(x));
            if (c != column)
            {
                Flush();
                column = c;
            }
            if (first < 0)
            {
                first = low = high = last = i;
                continue;
            }
            last = i;
            if (y < series.Y[low]) low = i;
            if (y > series.Y[high]) high = i;
        }
        Flush();
        return [.. xy];
    }
}
