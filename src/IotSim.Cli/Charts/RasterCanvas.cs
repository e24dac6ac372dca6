namespace IotSim.Cli.Charts;

/// <summary>
/// Draws charts into an RGB pixel buffer at <see cref="Scale"/> device pixels per page pixel: filled rectangles with
/// opacity, crisp axis-aligned lines, anti-aliased series (coverage from the distance to each segment, taken once
/// per pixel per series so joints do not darken) and text in <see cref="BitmapFont"/>.
/// </summary>
internal sealed class RasterCanvas : IChartCanvas
{
    private readonly byte[] _rgb;
    private readonly float[] _coverage;

    /// <summary>A canvas of <paramref name="width"/> × <paramref name="height"/> page pixels.</summary>
    public RasterCanvas(int width, int height, int scale = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        Scale = scale;
        PixelWidth = width * scale;
        PixelHeight = height * scale;
        _rgb = new byte[PixelWidth * PixelHeight * 3];
        _coverage = new float[PixelWidth * PixelHeight];
    }

    /// <summary>Device pixels per page pixel.</summary>
    public int Scale { get; }

    /// <summary>Image width in pixels.</summary>
    public int PixelWidth { get; }

    /// <summary>Image height in pixels.</summary>
    public int PixelHeight { get; }

    /// <summary>The pixels, 3 bytes (R, G, B) each, rows top to bottom.</summary>
    public ReadOnlySpan<byte> Pixels => _rgb;

    /// <summary>The PNG of <paramref name="charts"/> laid out in <paramref name="grid"/>, at <paramref name="scale"/> pixels per page pixel.</summary>
    public static byte[] RenderPng(IReadOnlyList<LineChart> charts, ChartGrid grid, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(charts);
        (int width, int height) = grid.Size(charts.Count);
        var canvas = new RasterCanvas(width, height, scale);
        ChartRenderer.Render(charts, grid, canvas);
        return PngEncoder.Encode(canvas.PixelWidth, canvas.PixelHeight, canvas.Pixels);
    }

    /// <inheritdoc/>
    public void BeginChart(LineChart chart, ChartFrame frame)
    {
    }

    /// <inheritdoc/>
    public void EndChart()
    {
    }

    /// <inheritdoc/>
    public void FillRect(double x, double y, double width, double height, ChartColor color, double opacity)
    {
        int x0 = Px(x), y0 = Px(y), x1 = Px(x + width), y1 = Px(y + height);
        FillPixels(x0, y0, Math.Max(x1, x0 + 1), Math.Max(y1, y0 + 1), color, opacity);
    }

    /// <inheritdoc/>
    public void Span(ChartSpan span, double x, double y, double width, double height, ChartColor color, double opacity) =>
        FillRect(x, y, width, height, color, opacity);

    /// <inheritdoc/>
    public void Line(double x1, double y1, double x2, double y2, ChartColor color, double width)
    {
        int thickness = Math.Max(1, (int)Math.Round(width * Scale));
        if (y1 == y2)
        {
            int y = (int)Math.Floor(y1 * Scale - thickness / 2.0 + 0.5);
            FillPixels(Px(Math.Min(x1, x2)), y, Px(Math.Max(x1, x2)) + 1, y + thickness, color, 1);
            return;
        }
        if (x1 == x2)
        {
            int x = (int)Math.Floor(x1 * Scale - thickness / 2.0 + 0.5);
            FillPixels(x, Px(Math.Min(y1, y2)), x + thickness, Px(Math.Max(y1, y2)) + 1, color, 1);
            return;
        }
        var bounds = Bounds.Empty;
        Cover(x1 * Scale, y1 * Scale, x2 * Scale, y2 * Scale, width * Scale / 2, ref bounds);
        Flush(bounds, color);
    }

    /// <inheritdoc/>
    public void Series(ChartSeries series, ReadOnlySpan<double> xy, ChartColor color, double width)
    {
        var bounds = Bounds.Empty;
        double half = width * Scale / 2;
        for (int i = 0; i + 3 < xy.Length; i += 2)
        {
            if (double.IsNaN(xy[i]) || double.IsNaN(xy[i + 2])) continue;
            Cover(xy[i] * Scale, xy[i + 1] * Scale, xy[i + 2] * Scale, xy[i + 3] * Scale, half, ref bounds);
        }
        // A point between two gaps is a dot.
        for (int i = 0; i + 1 < xy.Length; i += 2)
        {
            bool alone = !double.IsNaN(xy[i]) && (i < 2 || double.IsNaN(xy[i - 2])) && (i + 2 >= xy.Length || double.IsNaN(xy[i + 2]));
            if (alone) Cover(xy[i] * Scale, xy[i + 1] * Scale, xy[i] * Scale, xy[i + 1] * Scale, half + 0.5, ref bounds);
        }
        Flush(bounds, color);
    }

    /// <inheritdoc/>
    public void Text(double x, double y, string text, ChartTextAnchor anchor, ChartTextStyle style, ChartColor color)
    {
        ArgumentNullException.ThrowIfNull(text);
        double width = text.Length * BitmapFont.Advance - 1;
        double left = anchor switch
        {
            ChartTextAnchor.Middle => x - width / 2,
            ChartTextAnchor.End => x - width,
            _ => x,
        };
        int px = (int)Math.Round(left) * Scale;
        int baseline = (int)Math.Round(y) * Scale;
        bool bold = style == ChartTextStyle.Title;
        foreach (char c in text)
        {
            ReadOnlySpan<byte> glyph = BitmapFont.Glyph(c);
            for (int row = 0; row < BitmapFont.GlyphRows; row++)
            {
                int bits = glyph[row];
                if (bits == 0) continue;
                int top = baseline - (BitmapFont.Ascent - row) * Scale;
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if ((bits & (0x10 >> col)) == 0) continue;
                    int left0 = px + col * Scale;
                    FillPixels(left0, top, left0 + Scale + (bold ? 1 : 0), top + Scale, color, 1);
                }
            }
            px += BitmapFont.Advance * Scale;
        }
    }

    private int Px(double v) => (int)Math.Round(v * Scale);

    private void FillPixels(int x0, int y0, int x1, int y1, ChartColor color, double opacity)
    {
        x0 = Math.Max(0, x0);
        y0 = Math.Max(0, y0);
        x1 = Math.Min(PixelWidth, x1);
        y1 = Math.Min(PixelHeight, y1);
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++) Blend(x, y, color, opacity);
        }
    }

    private void Blend(int x, int y, ChartColor color, double alpha)
    {
        int i = (y * PixelWidth + x) * 3;
        if (alpha >= 1)
        {
            _rgb[i] = color.R;
            _rgb[i + 1] = color.G;
            _rgb[i + 2] = color.B;
            return;
        }
        _rgb[i] = Mix(_rgb[i], color.R, alpha);
        _rgb[i + 1] = Mix(_rgb[i + 1], color.G, alpha);
        _rgb[i + 2] = Mix(_rgb[i + 2], color.B, alpha);
    }

    private static byte Mix(byte under, byte over, double alpha) => (byte)Math.Round(under + (over - under) * alpha);

    /// <summary>Raises the coverage of the pixels near segment (ax, ay)–(bx, by) to 1 within <paramref name="half"/> of it, fading over one pixel.</summary>
    private void Cover(double ax, double ay, double bx, double by, double half, ref Bounds bounds)
    {
        int x0 = Math.Max(0, (int)Math.Floor(Math.Min(ax, bx) - half - 1));
        int y0 = Math.Max(0, (int)Math.Floor(Math.Min(ay, by) - half - 1));
        int x1 = Math.Min(PixelWidth - 1, (int)Math.Ceiling(Math.Max(ax, bx) + half + 1));
        int y1 = Math.Min(PixelHeight - 1, (int)Math.Ceiling(Math.Max(ay, by) + half + 1));
        if (x1 < x0 || y1 < y0) return;
        bounds = bounds.Union(x0, y0, x1, y1);
        double dx = bx - ax, dy = by - ay;
        double length2 = dx * dx + dy * dy;
        for (int y = y0; y <= y1; y++)
        {
            double py = y + 0.5;
            for (int x = x0; x <= x1; x++)
            {
                double px = x + 0.5;
                double t = length2 > 0 ? Math.Clamp(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) : 0;
                double ex = px - (ax + t * dx), ey = py - (ay + t * dy);
                double coverage = Math.Clamp(half + 0.5 - Math.Sqrt(ex * ex + ey * ey), 0, 1);
                ref float c = ref _coverage[y * PixelWidth + x];
                if (coverage > c) c = (float)coverage;
            }
        }
    }

    /// <summary>Blends the colour by the coverage gathered in <paramref name="bounds"/> and clears it.</summary>
    private void Flush(Bounds bounds, ChartColor color)
    {
        for (int y = bounds.Y0; y <= bounds.Y1; y++)
        {
            for (int x = bounds.X0; x <= bounds.X1; x++)
            {
                ref float c = ref _coverage[y * PixelWidth + x];
                if (c > 0)
                {
                    Blend(x, y, color, c);
                    c = 0;
                }
            }
        }
    }

    /// <summary>An inclusive pixel rectangle; empty when X1 &lt; X0.</summary>
    private readonly record struct Bounds(int X0, int Y0, int X1, int Y1)
    {
        public static Bounds Empty => new(int.MaxValue, int.MaxValue, int.MinValue, int.MinValue);

        public Bounds Union(int x0, int y0, int x1, int y1) => new(Math.Min(X0, x0), Math.Min(Y0, y0), Math.Max(X1, x1), Math.Max(Y1, y1));
    }
}
