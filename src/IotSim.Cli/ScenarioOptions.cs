using System.CommandLine;
using System.Globalization;
using IotSim.Core;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;

namespace IotSim.Cli;

/// <summary>The command-line overrides shared by <c>run</c> and <c>bench</c>, and how they apply to a scenario.</summary>
internal sealed class ScenarioOptions
{
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of all randomness (same seed, same output)." };
    public Option<string?> Industries { get; } = new("--industries", "-i") { Description = "'all' or a comma-separated list of industries (see list-industries); 'environmental' for the environmental device profile." };
    public Option<int?> Devices { get; } = new("--devices", "-n") { Description = "Number of devices; each carries every selected sensor." };
    public Option<string?> Interval { get; } = new("--interval") { Description = "Override every sensor's reporting interval (e.g. 1s, 500ms, 1m)." };
    public Option<string?> Start { get; } = new("--start") { Description = "First timestamp, ISO 8601 (default 2026-01-01T00:00:00Z for backfill, now for realtime)." };
    public Option<string?> Duration { get; } = new("--duration", "-d") { Description = "Simulated duration (e.g. 90s, 10m, 1h, 2d)." };
    public Option<string?> End { get; } = new("--end") { Description = "Exclusive end timestamp, ISO 8601 (instead of --duration)." };
    public Option<string?> Mode { get; } = new("--mode") { Description = "backfill (as fast as possible) or realtime (paced to the wall clock)." };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Generator threads (0 = one per core). Output does not depend on it." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Readings per engine batch. Output does not depend on it." };
    public Option<string?> Simd { get; } = new("--simd") { Description = "Kernel width: auto, scalar, v128, v256, v512. Output does not depend on it." };
    public Option<string?> Shard { get; } = new("--shard") { Description = "i/N: generate slice i of N of the devices; the union of all shards equals the whole run." };
    public Option<string?> Shape { get; } = new("--shape") { Description = "narrow (one row per reading) or wide (one row per device per timestamp)." };

    public IEnumerable<Option> All =>
        [Seed, Industries, Devices, Interval, Start, Duration, End, Mode, Threads, BatchSize, Simd, Shard, Shape];

    public Scenario Apply(Scenario s, ParseResult p)
    {
        if (p.GetValue(Seed) is { } seed) s = s with { Seed = seed };
        if (p.GetValue(Industries) is { } industries)
        {
            string[] list = industries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                _ = SensorCatalog.Expand(list);
            }
            catch (ConfigException ex)
            {
                throw new ConfigException(null, 0, "--industries", ex.Problem);
            }
            s = s with { Industries = list };
        }
        if (p.GetValue(Devices) is { } devices)
        {
            Range("--devices", devices, 1, 100_000_000);
            s = s with { Devices = devices };
        }
        if (p.GetValue(Interval) is { } interval) s = s with { Interval = ParseDuration("--interval", interval) };
        if (p.GetValue(Start) is { } start) s = s with { Start = ParseTime("--start", start) };
        if (p.GetValue(Duration) is { } duration) s = s with { Duration = ParseDuration("--duration", duration), End = null };
        if (p.GetValue(End) is { } end)
        {
            if (p.GetValue(Duration) is not null) throw new ConfigException(null, 0, "--end", "give either --duration or --end, not both");
            s = s with { End = ParseTime("--end", end), Duration = null };
        }
        if (p.GetValue(Mode) is { } mode) s = s with { Mode = ParseEnum<TimeMode>("--mode", mode, ["backfill", "realtime"]) };
        if (p.GetValue(Threads) is { } threads)
        {
            Range("--threads", threads, 0, 1024);
            s = s with { Threads = threads };
        }
        if (p.GetValue(BatchSize) is { } batch)
        {
            Range("--batch-size", batch, 1, 64 << 20);
            s = s with { BatchSize = batch };
        }
        if (p.GetValue(Simd) is { } simd) s = s with { Simd = ParseEnum<SimdWidth>("--simd", simd, ["auto", "scalar", "v128", "v256", "v512"]) };
        if (p.GetValue(Shard) is { } shard) s = s with { Shard = ParseShard(shard) };
        if (p.GetValue(Shape) is { } shape) s = s with { Shape = ParseEnum<OutputShape>("--shape", shape, ["narrow", "wide"]) };
        return s;
    }

    public static void Range(string option, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new ConfigException(null, 0, option, $"{value} is out of range; allowed {min}..{max}");
        }
    }

    public static TimeSpan ParseDuration(string option, string text) =>
        DurationParser.TryParse(text, out TimeSpan d) && d > TimeSpan.Zero
            ? d
            : throw new ConfigException(null, 0, option, $"'{text}' is not a positive duration; examples: 500ms, 30s, 10m, 1h, 1d, 1h30m");

    public static DateTimeOffset ParseTime(string option, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new ConfigException(null, 0, option, $"'{text}' is not an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z");

    public static T ParseEnum<T>(string option, string text, string[] allowed)
        where T : struct, Enum
    {
        int i = Array.IndexOf(allowed, text.Trim().ToLowerInvariant());
        if (i < 0)
        {
            throw new ConfigException(null, 0, option, $"'{text}' is not allowed" + Core.Util.DidYouMean.Suggest(text, allowed) + "; allowed: " + string.Join(", ", allowed));
        }
        return Enum.Parse<T>(allowed[i], ignoreCase: true);
    }

    public static Shard ParseShard(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int i) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 0 && i < n)
        {
            return new Shard(i, n);
        }
        throw new ConfigException(null, 0, "--shard", $"'{text}' is not a shard; expected i/N with 0 <= i < N, e.g. 0/4");
    }
}
