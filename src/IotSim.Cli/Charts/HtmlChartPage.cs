using System.Text;

namespace IotSim.Cli.Charts;

/// <summary>
/// A self-contained HTML page: a title, a list of facts (term and value) and SVG charts inline. No scripts, external
/// fonts, style sheets or images, so it opens from a file anywhere.
/// </summary>
internal static class HtmlChartPage
{
    /// <summary>The page for <paramref name="title"/>, <paramref name="facts"/> and the SVG documents <paramref name="svgs"/>.</summary>
    public static string Write(string title, IReadOnlyList<(string Term, string Value)> facts, IReadOnlyList<string> svgs)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(svgs);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(SvgChartWriter.Escape(title)).Append("</title>\n")
            .Append("<style>\n")
            .Append("body { font-family: DejaVu Sans, Verdana, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }\n")
            .Append("h1 { font-size: 20px; margin: 0 0 12px; }\n")
            .Append("dl { display: grid; grid-template-columns: max-content auto; gap: 4px 16px; font-size: 13px; margin: 0 0 16px; }\n")
            .Append("dt { color: #666; } dd { margin: 0; }\n")
            .Append("figure { margin: 0 0 16px; } svg { max-width: 100%; height: auto; }\n")
            .Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(SvgChartWriter.Escape(title)).Append("</h1>\n<dl>\n");
        foreach ((string term, string value) in facts)
        {
            html.Append("<dt>").Append(SvgChartWriter.Escape(term)).Append("</dt><dd>").Append(SvgChartWriter.Escape(value)).Append("</dd>\n");
        }
        html.Append("</dl>\n");
        foreach (string svg in svgs)
        {
            html.Append("<figure>\n").Append(svg).Append("</figure>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }
}
