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
