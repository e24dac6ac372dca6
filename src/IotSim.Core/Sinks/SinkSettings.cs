using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>Reads a sink's own settings through their specs, with errors located by the context.</summary>
[Experimental("IOTSIM001")]
public static class SinkSettings
{
    /// <summary>The setting of <paramref name="spec"/> as one of its choices, or null when unset.</summary>
    public static string? Choice(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read(options, context, spec, static (s, t) => (s.ParseChoice(t, out string v), v));

    /// <summary>The setting of <paramref name="spec"/> as a duration, or null when unset.</summary>
    public static TimeSpan? Duration(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read<TimeSpan?>(options, context, spec, static (s, t) => (s.ParseDuration(t, out TimeSpan v), v));

    /// <summary>The setting of <paramref name="spec"/> as a byte count, or null when unset.</summary>
    public static long? Size(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read<long?>(options, context, spec, static (s, t) => (s.ParseSize(t, out long v), v));

    /// <summary>The setting of <paramref name="spec"/> as a whole number, or null when unset.</summary>
    public static long? Integer(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read<long?>(options, context, spec, static (s, t) => (s.ParseInteger(t, out long v), v));

    /// <summary>The setting of <paramref name="spec"/> as true or false, or null when unset.</summary>
    public static bool? Boolean(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read<bool?>(options, context, spec, static (s, t) => (s.ParseBoolean(t, out bool v), v));

    /// <summary>The setting of <paramref name="spec"/> as a number, or null when unset.</summary>
    public static double? Number(SinkOptions options, SinkContext context, OptionSpec spec) =>
        Read<double?>(options, context, spec, static (s, t) => (s.ParseNumber(t, out double v), v));

    /// <summary>
    /// The setting of <paramref name="spec"/> with every <c>${NAME}</c> replaced by the environment variable NAME
    /// (<c>$$</c> is a literal <c>$</c>), so passwords and tokens stay out of scenario files; null when unset. An unset
    /// variable is an error naming the key and the variable, never the value. Callers must not print the result.
    /// </summary>
    public static string? Secret(SinkOptions options, SinkContext context, OptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        string key = SinkRegistry.KeyOf(spec);
        return options.Setting(key) is { } text ? Expand(options, context, key, text) : null;
    }

    /// <summary><paramref name="text"/> with every <c>${NAME}</c> read from the environment (<c>$$</c> a literal <c>$</c>); errors name <paramref name="key"/>.</summary>
    private static string Expand(SinkOptions options, SinkContext context, string key, string text) =>
        Util.SecretText.Expand(text, context.Environment, problem => context.Error(options, key, problem));

    /// <summary>
    /// The name/value pairs of a map option (<see cref="OptionSpec.IsMap"/>): written as a YAML mapping, or as text of
    /// name=value pairs separated by ';'; each value with <c>${NAME}</c> read from the environment as in
    /// <see cref="Secret"/>. Empty when unset. Callers must not print the values.
    /// </summary>
    public static Dictionary<string, string> Pairs(SinkOptions options, SinkContext context, OptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        string key = SinkRegistry.KeyOf(spec);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.Setting(key) is { } text)
        {
            // Split as written, then read ${NAME} in each value: a secret holding ';' or '=' stays whole, and an error
            // names the pair's place, never its text (which may hold a password).
            string[] written = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (int i = 0; i < written.Length; i++)
            {
                int eq = written[i].IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw context.Error(options, key, $"pair {i + 1} of {written.Length} is not name=value (pairs are separated by ';', or write a mapping)");
                pairs[written[i][..eq].Trim()] = Expand(options, context, key, written[i][(eq + 1)..].Trim());
            }
        }
        string prefix = key + ".";
        foreach (var (name, value) in options.Settings)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) pairs[name[prefix.Length..]] = Expand(options, context, name, value);
        }
        return pairs;
    }

    /// <summary>The setting of <paramref name="spec"/> parsed by <paramref name="parse"/>, or default when unset.</summary>
    public static T? Read<T>(SinkOptions options, SinkContext context, OptionSpec spec, Func<OptionSpec, string, (string? Problem, T Value)> parse)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(parse);
        string key = SinkRegistry.KeyOf(spec);
        if (options.Setting(key) is not { } text) return default;
        (string? problem, T value) = parse(spec, text);
        return problem is null ? value : throw context.Error(options, key, problem);
    }
}
