using System.Text;

namespace IotSim.Core.Util;

/// <summary>Reads a text file up to a size limit, whatever it is (a pipe or a device reports no length up front).</summary>
public static class BoundedText
{
    /// <summary>
    /// The text of <paramref name="path"/> (UTF-8), or null when it has more than <paramref name="maxChars"/> characters;
    /// stops reading at the limit.
    /// </summary>
    public static string? Read(string path, int maxChars)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[Math.Min(maxChars + 1, 1 << 16)];
        var text = new StringBuilder();
        int read;
        while ((read = reader.ReadBlock(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > maxChars) return null;
        }
        return text.ToString();
    }
}
