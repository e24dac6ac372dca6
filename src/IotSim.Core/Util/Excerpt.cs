using System.Text;

namespace IotSim.Core.Util;

/// <summary>Quotes user input in messages: at most a short, printable excerpt, so a 50 MB value or binary junk never floods a terminal.</summary>
public static class Excerpt
{
    /// <summary>Characters of input quoted before the excerpt is cut.</summary>
    public const int MaxLength = 60;

    /// <summary>
    /// <paramref name="text"/> with control and non-printable characters shown as <c>\uXXXX</c>, cut to
    /// <see cref="MaxLength"/> characters with a note of the full length.
    /// </summary>
    public static string Of(string? text)
    {
        if (text is null) return "";
        int take = Math.Min(text.Length, MaxLength);
        bool clean = take == text.Length;
        for (int i = 0; i < take && clean; i++)
        {
            clean = IsPrintable(text[i]);
        }
        if (clean) return text;
        var sb = new StringBuilder(take + 32);
        for (int i = 0; i < take; i++)
        {
            char c = text[i];
            if (IsPrintable(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (take < text.Length)
        {
            sb.Append("… (").Append(text.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" characters)");
        }
        return sb.ToString();
    }

    private static bool IsPrintable(char c) =>
        !char.IsControl(c) && !char.IsSurrogate(c) && c != '\uFFFD' && c != '\uFEFF'
        && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.PrivateUse);
}
