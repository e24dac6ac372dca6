namespace IotSim.Core.Scenarios;

/// <summary>A validated simulation scenario: the fleet, its sensors, time, engine options and sinks.</summary>
public sealed record Scenario
{
    /// <summary>The file it was loaded from, or null.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Seed of every random number; same seed and scenario give byte-identical output.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Built-in industries (or <c>environmental</c>) whose sensors every device carries.</summary>
    public IReadOnlyList<string> Industries { get; init; } = ["mining"];

    /// <summary>Custom sensors added to every device (from YAML, CSV or the API).</summary>
    public IReadOnlyList<Catalog.SensorDefinition> CustomSensors { get; init; } = [];

    /// <summary>Number of devices in the fleet.</summary>
    public int Devices { get; init; } = 1;

    /// <summary>Device identity.</summary>
    public DeviceOptions Device { get; init; } = new();

    /// <summary>Overrides every sensor's interval when set.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Time mode.</summary>
    public TimeMode Mode { get; init; } = TimeMode.Backfill;

    /// <summary>Rate mode: the target readings/s over time (default: constant 100,000/s).</summary>
    public RateProfile? Rate { get; init; }

    /// <summary>Realtime mode: how many times faster than the wall clock simulated time runs (1 = real time).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Timestamp of the first tick (backfill); realtime starts at the wall clock when null.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Simulated duration; with neither Duration nor End, backfill runs 1 minute and realtime until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Exclusive end timestamp (alternative to Duration).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Generator threads; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Readings per engine batch (the output does not depend on it).</summary>
    public int BatchSize { get; init; } = 1 << 20;

    /// <summary>Kernel vector width (the output does not depend on it).</summary>
    public SimdWidth Simd { get; init; } = SimdWidth.Auto;

    /// <summary>Which slice of the fleet this instance generates.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Row layout of encoded output.</summary>
    public OutputShape Shape { get; init; } = OutputShape.Narrow;

    /// <summary>
    /// Device identity fields each row carries (<see cref="Scenarios.DeviceFields.Names"/>), after the device id; null
    /// for the default: none in narrow rows, manufacturer, model and firmware in wide rows.
    /// </summary>
    public IReadOnlyList<string>? DeviceFields { get; init; }

    /// <summary>Anomaly injection.</summary>
    public AnomalyOptions Anomalies { get; init; } = new();

    /// <summary>Dirty delivery (late, duplicated and null readings, clock skew); off by default.</summary>
    public DirtyOptions Dirty { get; init; } = new();

    /// <summary>Where readings go; at least one.</summary>
    public IReadOnlyList<SinkOptions> Sinks { get; init; } = [new SinkOptions { Type = "console" }];

    /// <summary>The monitoring HTTP API (off unless <see cref="MonitoringOptions.Listen"/> is set).</summary>
    public MonitoringOptions Monitoring { get; init; } = new();

    /// <summary>Where each dotted key was set: its line in <see cref="SourcePath"/>, or the command-line flag that overrode it.</summary>
    internal IReadOnlyDictionary<string, KeyOrigin> Origins { get; init; } = new Dictionary<string, KeyOrigin>();

    /// <summary>The scenario with <paramref name="key"/> (a dotted key) marked as set by the command-line <paramref name="flag"/>, so errors about it name the flag.</summary>
    public Scenario SetBy(string key, string flag) =>
        this with { Origins = new Dictionary<string, KeyOrigin>(Origins) { [key] = new KeyOrigin(0, flag) } };

    /// <summary>An error about <paramref name="key"/>, located where the key was set (file and line, or flag).</summary>
    internal ConfigException Error(string key, string problem)
    {
        if (Origins.TryGetValue(key, out KeyOrigin origin))
        {
            return origin.Flag is { } flag ? new ConfigException(null, 0, flag, problem) : new ConfigException(SourcePath, origin.Line, key, problem);
        }
        return new ConfigException(SourcePath, 0, key, problem);
    }

    /// <summary>Resolved end of the simulated time range, or null for an unbounded realtime run.</summary>
    public DateTimeOffset? ResolveEnd(DateTimeOffset start) =>
        End ?? (Duration is { } d ? start + d : Mode == TimeMode.Backfill ? start + TimeSpan.FromMinutes(1) : null);

    /// <summary>The rate profile of a rate-mode run (the default when none is set).</summary>
    public RateProfile RateOrDefault => Rate ?? RateProfile.Constant(100_000);
}
