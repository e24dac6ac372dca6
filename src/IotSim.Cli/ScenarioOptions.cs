using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Scenarios;

namespace IotSim.Cli;

/// <summary>
/// The command-line overrides shared by <c>run</c> and <c>bench</c>, and how they apply to a scenario. Every option
/// is read as text and parsed by its <see cref="OptionSpec"/>, the same definition the YAML loader uses, so limits,
/// forms and messages are the same from the command line and from a file; errors name the flag.
/// </summary>
internal sealed class ScenarioOptions
{
    public Option<string?> Seed { get; } = Make(OptionSpecs.Seed);
    public Option<string?> Industries { get; } = Make(OptionSpecs.Industries, "-i", "Comma-separated: 'all', built-in industries (see list-industries) or 'environmental'.");
    public Option<string?> Devices { get; } = Make(OptionSpecs.Devices, "-n");
    public Option<string?> Interval { get; } = Make(OptionSpecs.Interval);
    public Option<string?> Start { get; } = Make(OptionSpecs.Start);
    public Option<string?> Duration { get; } = Make(OptionSpecs.Duration, "-d");
    public Option<string?> End { get; } = Make(OptionSpecs.End);
    public Option<string?> Mode { get; } = Make(OptionSpecs.Mode);
    public Option<string?> Rate { get; } = Make(OptionSpecs.Rate, description: "Rate mode: a constant target in readings per second (profiles: in the scenario file).");
    public Option<string?> Speed { get; } = Make(OptionSpecs.Speed);
    public Option<string?> Threads { get; } = Make(OptionSpecs.Threads);
    public Option<string?> BatchSize { get; } = Make(OptionSpecs.BatchSize);
    public Option<string?> Simd { get; } = Make(OptionSpecs.Simd);
    public Option<string?> Shard { get; } = Make(OptionSpecs.Shard);
    public Option<string?> Shape { get; } = Make(OptionSpecs.Shape);

    public IEnumerable<Option> All =>
        [Seed, Industries, Devices, Interval, Start, Duration, End, Mode, Rate, Speed, Threads, BatchSize, Simd, Shard, Shape];

    /// <summary>A text option for <paramref name="spec"/>'s flag, described with its allowed values.</summary>
    public static Option<string?> Make(OptionSpec spec, string? alias = null, string? description = null)
    {
        string flag = spec.Flag ?? throw new ArgumentException($"{spec.Key} has no flag", nameof(spec));
        Option<string?> option = alias is null ? new(flag) : new(flag, alias);
        option.Description = $"{description ?? spec.Description} Allowed: {spec.Allowed}.";
        return option;
    }

    public Scenario Apply(Scenario s, ParseResult p)
    {
        if (p.GetValue(Seed) is { } seed) s = Set(s, OptionSpecs.Seed) with { Seed = Check(OptionSpecs.Seed, OptionSpecs.Seed.ParseUInt64(seed, out ulong v), v) };
        if (p.GetValue(Industries) is { } industries)
        {
            var list = new List<string>();
            foreach (string item in industries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(Check(OptionSpecs.Industries, OptionSpecs.Industries.ParseChoice(item, out string name), name));
            }
            if (list.Count == 0) throw new ConfigException(null, 0, OptionSpecs.Industries.Flag, $"name at least one industry; allowed: {OptionSpecs.Industries.Allowed}");
            s = Set(s, OptionSpecs.Industries) with { Industries = list };
        }
        if (p.GetValue(Devices) is { } devices) s = Set(s, OptionSpecs.Devices) with { Devices = (int)Integer(OptionSpecs.Devices, devices) };
        if (p.GetValue(Interval) is { } interval) s = Set(s, OptionSpecs.Interval) with { Interval = ParseDuration(OptionSpecs.Interval, interval) };
        if (p.GetValue(Start) is { } start) s = Set(s, OptionSpecs.Start) with { Start = Timestamp(OptionSpecs.Start, start) };
        if (p.GetValue(Duration) is { } duration) s = Set(s, OptionSpecs.Duration) with { Duration = ParseDuration(OptionSpecs.Duration, duration), End = null };
        if (p.GetValue(End) is { } end)
        {
            if (p.GetValue(Duration) is not null) throw new ConfigException(null, 0, "--end", "give either --duration or --end, not both");
            s = Set(s, OptionSpecs.End) with { End = Timestamp(OptionSpecs.End, end), Duration = null };
        }
        if (p.GetValue(Mode) is { } mode)
        {
            s = Set(s, OptionSpecs.Mode) with
            {
                Mode = Choice(OptionSpecs.Mode, mode) switch
                {
                    "realtime" => TimeMode.Realtime,
                    "rate" => TimeMode.Rate,
                    _ => TimeMode.Backfill,
                },
            };
        }
        if (p.GetValue(Rate) is { } rate) s = Set(s, OptionSpecs.Rate) with { Rate = RateProfile.Constant(Check(OptionSpecs.Rate, OptionSpecs.Rate.ParseNumber(rate, out double r), r)) };
        if (p.GetValue(Speed) is { } speed) s = Set(s, OptionSpecs.Speed) with { Speed = Check(OptionSpecs.Speed, OptionSpecs.Speed.ParseNumber(speed, out double v), v) };
        if (p.GetValue(Threads) is { } threads) s = Set(s, OptionSpecs.Threads) with { Threads = (int)Integer(OptionSpecs.Threads, threads) };
        if (p.GetValue(BatchSize) is { } batch) s = Set(s, OptionSpecs.BatchSize) with { BatchSize = (int)Integer(OptionSpecs.BatchSize, batch) };
        if (p.GetValue(Simd) is { } simd) s = Set(s, OptionSpecs.Simd) with { Simd = (SimdWidth)OptionSpecs.Simd.IndexOf(Choice(OptionSpecs.Simd, simd)) };
        if (p.GetValue(Shard) is { } shard) s = Set(s, OptionSpecs.Shard) with { Shard = Check(OptionSpecs.Shard, OptionSpecs.Shard.ParseShard(shard, out Shard v), v) };
        if (p.GetValue(Shape) is { } shape) s = Set(s, OptionSpecs.Shape) with { Shape = Choice(OptionSpecs.Shape, shape) == "wide" ? OutputShape.Wide : OutputShape.Narrow };
        return s;
    }

    private static Scenario Set(Scenario s, OptionSpec spec) => s.SetBy(spec.Key, spec.Flag!);

    private static T Check<T>(OptionSpec spec, string? problem, T value) =>
        problem is null ? value : throw new ConfigException(null, 0, spec.Flag, problem);

    public static long Integer(OptionSpec spec, string text) => Check(spec, spec.ParseInteger(text, out long v), v);

    public static TimeSpan ParseDuration(OptionSpec spec, string text) => Check(spec, spec.ParseDuration(text, out TimeSpan v), v);

    public static DateTimeOffset Timestamp(OptionSpec spec, string text) => Check(spec, spec.ParseTimestamp(text, out DateTimeOffset v), v);

    public static string Choice(OptionSpec spec, string text) => Check(spec, spec.ParseChoice(text, out string v), v);

}
