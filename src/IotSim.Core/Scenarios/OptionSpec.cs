using System.Globalization;
using IotSim.Core.Util;

namespace IotSim.Core.Scenarios;

/// <summary>
/// One option's type, limits and form: the single definition that the YAML loader, the sensor CSV reader, the command
/// line and the JSON Schema test all read, so the entry points cannot disagree. Each <c>Parse…</c> method returns null
/// when the text is valid, otherwise the problem (without the location, which the caller adds).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Every kind's parser is an instance method, so callers use one form whatever the kind.")]
public sealed record OptionSpec
{
    private static readonly string[] s_timestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <summary>Longest accepted <see cref="OptionKind.Name"/>.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Dotted scenario key, e.g. <c>fleet.devices</c>; <c>[]</c> stands for any list index.</summary>
    public required string Key { get; init; }

    /// <summary>Command-line flag, e.g. <c>--devices</c>, or null when the option has none.</summary>
    public string? Flag { get; init; }

    /// <summary>Sensor CSV column, or null.</summary>
    public string? Column { get; init; }

    /// <summary>The form of the value.</summary>
    public required OptionKind Kind { get; init; }

    /// <summary>Smallest value (Integer, Number, Size).</summary>
    public double Min { get; init; } = double.MinValue;

    /// <summary>Largest value (Integer, Number, Size).</summary>
    public double Max { get; init; } = double.MaxValue;

    /// <summary>Whether <see cref="Min"/> itself is excluded (a "more than" bound).</summary>
    public bool MinExclusive { get; init; }

    /// <summary>Shortest duration.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromTicks(1);

    /// <summary>Longest duration.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.MaxValue;

    /// <summary>Whether a duration must be a whole number of milliseconds (reporting intervals).</summary>
    public bool WholeMilliseconds { get; init; }

    /// <summary>Allowed values of a Choice, canonical spelling (matched without regard to case).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>What a value of a Choice is called in messages ("unknown time mode 'x'").</summary>
    public string Noun { get; init; } = "value";

    /// <summary>
    /// Whether a Text option may also be written as a YAML mapping of names to scalar values (as text: name=value pairs
    /// separated by ';'); the loader keeps each entry as the setting <c>KEY.NAME</c>, read with <c>SinkSettings.Pairs</c>.
    /// </summary>
    public bool IsMap { get; init; }

    /// <summary>Longest Text value, in characters.</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>Whether a Text value is a file or folder path (resolved against the scenario file's folder when relative).</summary>
    public bool IsPath { get; init; }

    /// <summary>One line of documentation.</summary>
    public required string Description { get; init; }

    /// <summary>The default as documentation shows it (e.g. <c>100ms</c>, <c>the engine batch</c>), or null when unset means "off".</summary>
    public string? Default { get; init; }

    /// <summary>The allowed values or range as text, as error messages and docs show it.</summary>
    public string Allowed => Kind switch
    {
        OptionKind.Integer or OptionKind.Number or OptionKind.Size => NumberRange(),
        OptionKind.Duration => DurationRange(),
        OptionKind.Choice => string.Join(", ", Choices),
        OptionKind.Boolean => "true, false",
        OptionKind.Timestamp => "an ISO 8601 timestamp with Z or an offset, e.g. 2026-01-01T00:00:00Z",
        OptionKind.Name => $"1 to {MaxNameLength} letters, digits, '_' and '-'",
        OptionKind.Shard => "i/N with 0 <= i < N, e.g. 0/4",
        _ => IsPath ? "a file or folder path" : IsMap ? "a mapping of names to values, or name=value pairs separated by ';'" : $"text of up to {MaxLength} characters",
    };

    /// <summary>The last part of <see cref="Key"/> as written in a file (<c>sinks[].format (file)</c> → <c>format</c>).</summary>
    public string LeafKey
    {
        get
        {
            string leaf = Key[(Key.LastIndexOf('.') + 1)..];
            int space = leaf.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? leaf : leaf[..space];
        }
    }

    /// <summary>Position of <paramref name="choice"/> (canonical spelling) in <see cref="Choices"/>, or −1; choices are listed in enum order.</summary>
    public int IndexOf(string choice)
    {
        for (int i = 0; i < Choices.Count; i++)
        {
            if (Choices[i] == choice) return i;
        }
        return -1;
    }

    /// <summary>Checks <paramref name="text"/> by this option's kind; null when valid, otherwise the problem.</summary>
    public string? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Kind switch
        {
            OptionKind.Integer => Min >= 0 && Max > long.MaxValue ? ParseUInt64(text, out _) : ParseInteger(text, out _),
            OptionKind.Number => ParseNumber(text, out _),
            OptionKind.Boolean => ParseBoolean(text, out _),
            OptionKind.Duration => ParseDuration(text, out _),
            OptionKind.Timestamp => ParseTimestamp(text, out _),
            OptionKind.Choice => ParseChoice(text, out _),
            OptionKind.Name => ParseName(text, out _),
            OptionKind.Size => ParseSize(text, out _),
            OptionKind.Shard => ParseShard(text, out _),
            _ => ParseText(text, out _),
        };
    }

    /// <summary>Parses a whole number within range.</summary>
    public string? ParseInteger(string text, out long value)
    {
        value = 0;
        string t = text.Trim();
        if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
            {
                return $"expected a number, found '{Excerpt.Of(text)}'; allowed: {Allowed}";
            }
            // 1e6 and 1000.0 are whole numbers; anything beyond long range is out of range anyway.
            if (d != Math.Floor(d))
            {
                return $"expected a whole number, found '{Excerpt.Of(text)}'; allowed: {Allowed}";
            }
            value = d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
        }
        return value < Min || value > Max || (MinExclusive && value == Min) ? OutOfRange(text) : null;
    }

    /// <summary>Parses a finite number within range.</summary>
    public string? ParseNumber(string text, out double value)
    {
        string t = text.Trim();
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            value = 0;
            return $"expected a number, found '{Excerpt.Of(text)}'; allowed: {Allowed}";
        }
        return value < Min || value > Max || (MinExclusive && value <= Min) ? OutOfRange(text) : null;
    }

    /// <summary>Checks a number given through the C# API against the same limits.</summary>
    public string? CheckNumber(double value) =>
        !double.IsFinite(value) || value < Min || value > Max || (MinExclusive && value <= Min)
            ? $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: {Allowed}"
            : null;

    /// <summary>Checks a duration given through the C# API against the same limits.</summary>
    public string? CheckDuration(TimeSpan value) =>
        value < MinDuration || value > MaxDuration || (WholeMilliseconds && value.Ticks % TimeSpan.TicksPerMillisecond != 0)
            ? $"{DurationParser.Format(value)} is out of range; allowed: {Allowed}"
            : null;

    /// <summary>Parses an unsigned 64-bit whole number (seeds).</summary>
    public string? ParseUInt64(string text, out ulong value) =>
        ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            ? null
            : $"expected a whole number from 0 to {ulong.MaxValue}, found '{Excerpt.Of(text)}'";

    /// <summary>Parses true/false (also yes/no and 1/0, any case).</summary>
    public string? ParseBoolean(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "1":
                value = true;
                return null;
            case "false" or "no" or "0":
                value = false;
                return null;
            default:
                value = false;
                return $"expected true or false, found '{Excerpt.Of(text)}'";
        }
    }

    /// <summary>Parses a duration within range (and whole milliseconds when required).</summary>
    public string? ParseDuration(string text, out TimeSpan value)
    {
        if (!DurationParser.TryParse(text, out value))
        {
            return $"expected a duration, found '{Excerpt.Of(text)}'; {DurationParser.FormHint}";
        }
        if (value < MinDuration || value > MaxDuration)
        {
            return OutOfRange(text);
        }
        if (WholeMilliseconds && value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return $"{Excerpt.Of(text.Trim())} is not a whole number of milliseconds; allowed: {Allowed}";
        }
        return null;
    }

    /// <summary>Parses an ISO 8601 timestamp with Z or an offset.</summary>
    public string? ParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text.Trim(), s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            ? null
            : $"expected an ISO 8601 timestamp with Z or an offset (e.g. 2026-01-01T00:00:00Z), found '{Excerpt.Of(text)}'";

    /// <summary>Parses one of <see cref="Choices"/> (any case) into its canonical spelling.</summary>
    public string? ParseChoice(string text, out string value)
    {
        string t = text.Trim();
        foreach (string choice in Choices)
        {
            if (string.Equals(choice, t, StringComparison.OrdinalIgnoreCase))
            {
                value = choice;
                return null;
            }
        }
        value = "";
        return $"unknown {Noun} '{Excerpt.Of(t)}'{DidYouMean.Suggest(t, Choices)}; allowed: {Allowed}";
    }

    /// <summary>Parses non-empty text.</summary>
    public string? ParseText(string text, out string value)
    {
        value = text.Trim();
        if (value.Length > MaxLength) return $"'{Excerpt.Of(value)}' is too long; allowed: up to {MaxLength} characters";
        return value.Length > 0 ? null : "must not be empty";
    }

    /// <summary>Parses a name: letters, digits, '_' and '-'.</summary>
    public string? ParseName(string text, out string value)
    {
        value = text.Trim();
        if (value.Length == 0) return "must not be empty";
        if (value.Length > MaxNameLength) return $"'{Excerpt.Of(value)}' is too long; allowed: {Allowed}";
        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return $"'{Excerpt.Of(value)}' may only contain letters, digits, '_' and '-'";
            }
        }
        return null;
    }

    /// <summary>Parses a byte count within range.</summary>
    public string? ParseSize(string text, out long value)
    {
        if (!DurationParser.TryParseSize(text, out value))
        {
            return $"expected a size, found '{Excerpt.Of(text)}'; {DurationParser.SizeHint}";
        }
        return value < Min || value > Max ? OutOfRange(text) : null;
    }

    /// <summary>Parses <c>i/N</c>.</summary>
    public string? ParseShard(string text, out Shard value)
    {
        string t = text.Trim();
        int slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(t.AsSpan(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(t.AsSpan(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count && count <= Max)
        {
            value = new Shard(index, count);
            return null;
        }
        value = Shard.All;
        return $"expected i/N with 0 <= i < N <= {Max.ToString(CultureInfo.InvariantCulture)} (e.g. 0/4), found '{Excerpt.Of(t)}'";
    }

    private string OutOfRange(string text) => $"{Excerpt.Of(text.Trim())} is out of range; allowed: {Allowed}";

    private string NumberRange()
    {
        string lower = Min == double.MinValue ? "" : Invariant(Min);
        string upper = Max == double.MaxValue ? "" : Invariant(Max);
        string unit = Kind == OptionKind.Size ? " bytes" : "";
        if (MinExclusive) return upper.Length == 0 ? $"more than {lower}{unit}" : $"more than {lower}, up to {upper}{unit}";
        if (upper.Length == 0) return $"{lower}{unit} or more";
        if (lower.Length == 0) return $"{upper}{unit} or less";
        return $"{lower} to {upper}{unit}";
    }

    private string DurationRange()
    {
        // A minimum of one tick means "positive".
        string lower = MinDuration.Ticks == 1 ? "more than 0s" : DurationParser.Format(MinDuration);
        string range = MaxDuration == TimeSpan.MaxValue
            ? (MinDuration.Ticks == 1 ? lower : lower + " or more")
            : MinDuration.Ticks == 1 ? $"{lower}, up to {DurationParser.Format(MaxDuration)}"
            : $"{lower} to {DurationParser.Format(MaxDuration)}";
        return WholeMilliseconds ? range + " (whole milliseconds)" : range;
    }

    private static string Invariant(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
