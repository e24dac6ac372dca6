using System.Globalization;
using System.Text;

namespace IotSim.Cli.Charts;

/// <summary>
/// Writes charts as one SVG document. Each chart is a <c>&lt;g class="chart"&gt;</c> whose <c>data-plot</c> (left top
/// width height), <c>data-x</c> and <c>data-y</c> (min max) give the mapping from data to page, so a reader can turn
/// a series' path back into values; each series is one <c>&lt;path class="series" data-series="name"&gt;</c>, each
/// span a <c>&lt;rect class="span" data-label data-x0 data-x1&gt;</c>. Coordinates have two decimals; output
/// depends on the charts alone.
/// </summary>
internal sealed class SvgChartWriter : IChartCanvas
{
    private readonly StringBuilder _svg = new();

    private SvgChartWriter(int width, int height)
    {
        _svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"10\">\n");
    }

    /// <summary>The SVG of <paramref name="charts"/> laid out in <paramref name="grid"/>.</summary>
    public static string Write(IReadOnlyList<LineChart> charts, ChartGrid grid)
    {
        ArgumentNullException.ThrowIfNull(charts);
        (int width, int height) = grid.Size(charts.Count);
        var writer = new SvgChartWriter(width, height);
        ChartRenderer.Render(charts, grid, writer);
        writer._svg.Append("</svg>\n");
        return writer._svg.ToString();
    }

    /// <inheritdoc/>
    public void BeginChart(LineChart chart, ChartFrame f)
    {
        _svg.Append("<g class=\"chart\" data-title=\"").Append(Escape(chart.Title)).Append("\" data-unit=\"").Append(Escape(chart.Unit))
            .Append("\" data-plot=\"").Append(N(f.Left)).Append(' ').Append(N(f.Top)).Append(' ').Append(N(f.Width)).Append(' ').Append(N(f.Height))
            .Append("\" data-x=\"").Append(R(f.XMin)).Append(' ').Append(R(f.XMax))
            .Append("\" data-y=\"").Append(R(f.YMin)).Append(' ').Append(R(f.YMax)).Append("\">\n");
    }

    /// <inheritdoc/>
    public void EndChart() => _svg.Append("</g>\n");

    /// <inheritdoc/>
    public void FillRect(double x, double y, double width, double height, ChartColor color, double opacity)
    {
        _svg.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
            .Append("\" fill=\"").Append(color.Hex).Append('"');
        if (opacity < 1) _svg.Append(" fill-opacity=\"").Append(N(opacity)).Append('"');
        _svg.Append("/>\n");
    }

    /// <inheritdoc/>
    public void Span(ChartSpan span, double x, double y, double width, double height, ChartColor color, double opacity)
    {
        _svg.Append("<rect class=\"span\" data-label=\"").Append(Escape(span.Label)).Append("\" data-x0=\"").Append(R(span.Start)).Append("\" data-x1=\"").Append(R(span.End))
            .Append("\" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
            .Append("\" fill=\"").Append(color.Hex).Append("\" fill-opacity=\"").Append(N(opacity)).Append("\"><title>").Append(Escape(span.Note ?? span.Label)).Append("</title></rect>\n");
    }

    /// <inheritdoc/>
    public void Line(double x1, double y1, double x2, double y2, ChartColor color, double width)
    {
        _svg.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2))
            .Append("\" stroke=\"").Append(color.Hex).Append("\" stroke-width=\"").Append(N(width)).Append("\"/>\n");
    }

    /// <inheritdoc/>
    public void Series(ChartSeries series, ReadOnlySpan<double> xy, ChartColor color, double width)
    {
        _svg.Append("<path class=\"series\" data-series=\"").Append(Escape(series.Name)).Append("\" fill=\"none\" stroke=\"").Append(color.Hex)
            .Append("\" stroke-width=\"").Append(N(width)).Append("\" stroke-linejoin=\"round\" d=\"");
        bool move = true;
        bool firstCommand = true;
        for (int i = 0; i + 1 < xy.Length; i += 2)
        {
            if (double.IsNaN(xy[i]))
            {
                move = true;
                continue;
            }
            if (!firstCommand) _svg.Append(' ');
            _svg.Append(move ? 'M' : 'L').Append(N(xy[i])).Append(',').Append(N(xy[i + 1]));
            move = false;
            firstCommand = false;
        }
        _svg.Append("\"/>\n");
    }

    /// <inheritdoc/>
    public void Text(double x, double y, string text, ChartTextAnchor anchor, ChartTextStyle style, ChartColor color)
    {
        _svg.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append('"');
        if (anchor != ChartTextAnchor.Start) _svg.Append(" text-anchor=\"").Append(anchor == ChartTextAnchor.Middle ? "middle" : "end").Append('"');
        if (style == ChartTextStyle.Title) _svg.Append(" font-size=\"12\" font-weight=\"bold\"");
        _svg.Append(" fill=\"").Append(color.Hex).Append("\">").Append(Escape(text)).Append("</text>\n");
    }

    /// <summary>A page coordinate: at most two decimals.</summary>
    private static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A data value, exactly (round-trip).</summary>
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Text and attribute values escaped for XML; characters XML 1.0 cannot hold are dropped.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (c >= 0x20 || c is '\t' or '\n' or '\r') sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
