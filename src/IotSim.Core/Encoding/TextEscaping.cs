using System.Text;

namespace IotSim.Core.Encoders;

/// <summary>CSV and JSON escaping of the fixed texts (names, units, identities) that encoders precompute once.</summary>
internal static class TextEscaping
{
    /// <summary>Whether a CSV field must be quoted: it contains a comma, a quote or a line break.</summary>
    public static bool CsvNeedsQuotes(string text) => text.AsSpan().IndexOfAny(",\"\r\n") >= 0;

    /// <summary>The CSV field for <paramref name="text"/>: as is, or quoted with doubled quotes when needed.</summary>
    public static string Csv(string text) =>
        CsvNeedsQuotes(text) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    /// <summary>The content of a JSON string for <paramref name="text"/> (without the surrounding quotes).</summary>
    public static string Json(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
