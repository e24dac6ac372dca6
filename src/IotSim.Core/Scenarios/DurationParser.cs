using System.Globalization;
using System.Text;

namespace IotSim.Core.Scenarios;

/// <summary>Parses durations (<c>500ms</c>, <c>1h30m</c>, <c>90</c>, <c>01:30:00</c>) and sizes (<c>100MB</c>) written in scenarios and options.</summary>
public static class DurationParser
{
    /// <summary>The accepted duration forms, for error messages.</summary>
    public const string FormHint = "use e.g. 500ms, 30s, 5m, 1h30m, 1d, a number of seconds or hh:mm:ss";

    /// <summary>The accepted size forms, for error messages.</summary>
    public const string SizeHint = "use a number of bytes or a number with KB, MB or GB (1024-based), e.g. 100MB";

    private static readonly (string Suffix, long Ticks)[] s_units =
    [
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    private static readonly (string Suffix, long Bytes)[] s_sizeUnits =
    [
        ("B", 1),
        ("KB", 1L << 10),
        ("MB", 1L << 20),
        ("GB", 1L << 30),
    ];

    /// <summary>Suffixes accepted by <see cref="TryParse"/>, largest unit first.</summary>
    public static IReadOnlyList<string> Units { get; } = ["d", "h", "m", "s", "ms"];

    /// <summary>Suffixes accepted by <see cref="TryParseSize"/> (1024-based).</summary>
    public static IReadOnlyList<string> SizeUnits { get; } = ["B", "KB", "MB", "GB"];

    /// <summary>
    /// Parses a non-negative duration: unit components largest first (<c>1d</c>, <c>1h30m</c>, <c>2.5s</c>,
    /// <c>500ms</c>), a bare number of seconds (<c>90</c>, <c>0.25</c>) or <c>hh:mm:ss[.fff]</c>.
    /// Fractions below one tick (100 ns) are rounded.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null) return false;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty) return false;

        decimal ticks;
        if (s.Contains(':'))
        {
            if (!TryParseClock(s, out ticks)) return false;
        }
        else if (TryParseNumber(s, out decimal seconds))
        {
            if (!TryScale(seconds, TimeSpan.TicksPerSecond, out ticks)) return false;
        }
        else if (!TryParseComponents(s, out ticks))
        {
            return false;
        }

        ticks = decimal.Round(ticks, MidpointRounding.AwayFromZero);
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Parses a duration or throws <see cref="FormatException"/> naming the accepted forms.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan d) ? d : throw new FormatException($"'{text}' is not a duration; {FormHint}");

    /// <summary>Writes a duration in the unit form <see cref="TryParse"/> reads back (<c>1h30m</c>, <c>500ms</c>, <c>0.5ms</c>, <c>0s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) return "-" + Format(duration.Duration());
        if (duration == TimeSpan.Zero) return "0s";
        long ticks = duration.Ticks;
        var sb = new StringBuilder();
        foreach ((string suffix, long unit) in s_units)
        {
            if (unit < TimeSpan.TicksPerSecond) continue;
            long count = ticks / unit;
            if (count == 0) continue;
            sb.Append(count.ToString(CultureInfo.InvariantCulture)).Append(suffix);
            ticks -= count * unit;
        }
        if (ticks != 0)
        {
            decimal ms = (decimal)ticks / TimeSpan.TicksPerMillisecond;
            sb.Append(ms.ToString(CultureInfo.InvariantCulture)).Append("ms");
        }
        return sb.ToString();
    }

    /// <summary>Parses a byte count: a whole number of bytes or a number with B, KB, MB or GB (1024-based, case-insensitive).</summary>
    public static bool TryParseSize(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null) return false;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int end = s.Length;
        while (end > 0 && char.IsAsciiLetter(s[end - 1])) end--;
        ReadOnlySpan<char> suffix = s[end..];
        ReadOnlySpan<char> number = s[..end].TrimEnd();
        long unit = 1;
        if (!suffix.IsEmpty)
        {
            int found = -1;
            for (int i = 0; i < s_sizeUnits.Length; i++)
            {
                if (suffix.Equals(s_sizeUnits[i].Suffix, StringComparison.OrdinalIgnoreCase)) found = i;
            }
            if (found < 0) return false;
            unit = s_sizeUnits[found].Bytes;
        }
        if (!TryParseNumber(number, out decimal value)) return false;
        if (!TryScale(value, unit, out decimal total) || total != decimal.Truncate(total)) return false;
        bytes = (long)total;
        return true;
    }

    /// <summary>Parses a byte count (see <see cref="TryParseSize"/>) or throws <see cref="FormatException"/>.</summary>
    public static long ParseSize(string text) =>
        TryParseSize(text, out long bytes) ? bytes : throw new FormatException($"'{text}' is not a size; {SizeHint}");

    // Digits with an optional fraction; no sign, exponent or thousands separators.
    private static bool TryParseNumber(ReadOnlySpan<char> s, out decimal value)
    {
        value = 0;
        if (s.IsEmpty || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[^1])) return false;
        int dots = 0;
        foreach (char c in s)
        {
            if (c == '.') dots++;
            else if (!char.IsAsciiDigit(c)) return false;
        }
        return dots <= 1 && decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseComponents(ReadOnlySpan<char> s, out decimal ticks)
    {
        ticks = 0;
        int lastUnit = -1;
        while (!s.IsEmpty)
        {
            int digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.')) digits++;
            int letters = digits;
            while (letters < s.Length && char.IsAsciiLetter(s[letters])) letters++;
            if (digits == 0 || letters == digits) return false;
            if (!TryParseNumber(s[..digits], out decimal value)) return false;
            ReadOnlySpan<char> suffix = s[digits..letters];
            int unit = -1;
            for (int i = 0; i < s_units.Length; i++)
            {
                if (suffix.Equals(s_units[i].Suffix, StringComparison.OrdinalIgnoreCase)) unit = i;
            }
            // Largest unit first and each at most once, so "30s1h" or "5m5m" are rejected as likely typos.
            if (unit <= lastUnit) return false;
            lastUnit = unit;
            if (!TryScale(value, s_units[unit].Ticks, out decimal part)) return false;
            ticks += part;
            if (ticks > long.MaxValue) return false;
            s = s[letters..].TrimStart();
        }
        return true;
    }

    private static bool TryParseClock(ReadOnlySpan<char> s, out decimal ticks)
    {
        ticks = 0;
        int first = s.IndexOf(':');
        int second = s[(first + 1)..].IndexOf(':');
        if (second < 0) return false;
        second += first + 1;
        ReadOnlySpan<char> h = s[..first], m = s[(first + 1)..second], sec = s[(second + 1)..];
        if (h.IsEmpty || m.Length != 2 || sec.Length < 2 || h.Contains('.') || m.Contains('.')) return false;
        if (sec.Length > 2 && sec[2] != '.') return false;
        if (!TryParseNumber(h, out decimal hours) || !TryParseNumber(m, out decimal minutes) || !TryParseNumber(sec, out decimal seconds)) return false;
        if (minutes >= 60 || seconds >= 60 || !TryScale(hours, TimeSpan.TicksPerHour, out ticks)) return false;
        ticks += minutes * TimeSpan.TicksPerMinute + seconds * TimeSpan.TicksPerSecond;
        return true;
    }

    // value * unit, refusing results beyond long.MaxValue before decimal itself would overflow.
    private static bool TryScale(decimal value, long unit, out decimal result)
    {
        result = 0;
        if (value > (decimal)long.MaxValue / unit) return false;
        result = value * unit;
        return true;
    }
}
