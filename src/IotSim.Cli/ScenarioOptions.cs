using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Scenarios;

namespace IotSim.Cli;

/// <summary>
/// The command-line overrides shared by <c>run</c> and <c>bench</c>, and how they apply to a scenario. Every option
/// is read as text and parsed by its <see cref="OptionSpec"/>, the same definition the YAML loader uses, so limits,
/// forms and messages are the same from the command line and from a file; errors name the flag. Each option can
/// also come from the environment as <c>IOTSIM_</c> + the flag's name (<c>--batch-size</c> → <c>IOTSIM_BATCH_SIZE</c>;
/// <c>IOTSIM_SIMD</c> keeps its own meaning, forcing the width of <c>auto</c>);
/// precedence: command line, then environment, then the scenario file. Errors then name the variable.
/// </summary>
internal sealed class ScenarioOptions(Func<string, string?>? environment = null)
{
    /// <summary>Environment variables naming the scenario file when no argument does, in order.</summary>
    public static readonly string[] ConfigVariables = ["IOTSIM_CONFIG", "CONFIG_FILE"];

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>The environment variable of a flag: <c>--batch-size</c> → <c>IOTSIM_BATCH_SIZE</c>.</summary>
    public static string VariableOf(string flag) => "IOTSIM_" + flag.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <summary>The scenario file: the argument, else the first of <see cref="ConfigVariables"/> that is set.</summary>
    public string? ScenarioPath(string? argument) =>
        argument ?? ConfigVariables.Select(v => _environment(v)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The value of <paramref name="option"/> from the command line, else from its environment variable, with the name to blame.</summary>
    public (string? Text, string Source) Value(ParseResult p, Option<string?> option)
    {
        if (p.GetValue(option) is { } text) return (text, option.Name);
        if (option == Simd)
        {
            // IOTSIM_SIMD already forces the kernel width wherever simd is auto (SensorKernel.ForceWidthVariable).
            return (null, option.Name);
        }
        string variable = VariableOf(option.Name);
        if (_environment(variable) is { Length: > 0 } env) return (env, variable);
        // The reference's own name for the identity file.
        return option == IdentityFile && _environment("IDENTITY_FILE") is { Length: > 0 } identity ? (identity, "IDENTITY_FILE") : (null, option.Name);
    }

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
    public Option<string?> Shards { get; } = Make(OptionSpecs.Shards);
    public Option<string?> Shape { get; } = Make(OptionSpecs.Shape);
    public Option<string?> IdentityFile { get; } = Make(OptionSpecs.IdentityFile);
    public Option<string?> DeviceFields { get; } = Make(OptionSpecs.DeviceFieldsSpec, description: "Identity fields each row carries after the device id, comma-separated ('all' for every one).");

    public IEnumerable<Option> All =>
        [Seed, Industries, Devices, Interval, Start, Duration, End, Mode, Rate, Speed, Threads, BatchSize, Simd, Shard, Shards, Shape, IdentityFile, DeviceFields];

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
        ArgumentNullException.ThrowIfNull(p);
        if (Value(p, Seed) is ({ } seed, var seedFrom)) s = s.SetBy(OptionSpecs.Seed.Key, seedFrom) with { Seed = Check(seedFrom, OptionSpecs.Seed.ParseUInt64(seed, out ulong v), v) };
        if (Value(p, Industries) is ({ } industries, var industriesFrom))
        {
            var list = new List<string>();
            foreach (string item in industries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(Check(industriesFrom, OptionSpecs.Industries.ParseChoice(item, out string name), name));
            }
            if (list.Count == 0) throw new ConfigException(null, 0, industriesFrom, $"name at least one industry; allowed: {OptionSpecs.Industries.Allowed}");
            s = s.SetBy(OptionSpecs.Industries.Key, industriesFrom) with { Industries = list };
        }
        if (Value(p, Devices) is ({ } devices, var devicesFrom)) s = s.SetBy(OptionSpecs.Devices.Key, devicesFrom) with { Devices = (int)Check(devicesFrom, OptionSpecs.Devices.ParseInteger(devices, out long n), n) };
        if (Value(p, Interval) is ({ } interval, var intervalFrom)) s = s.SetBy(OptionSpecs.Interval.Key, intervalFrom) with { Interval = Check(intervalFrom, OptionSpecs.Interval.ParseDuration(interval, out TimeSpan i), i) };
        if (Value(p, Start) is ({ } start, var startFrom)) s = s.SetBy(OptionSpecs.Start.Key, startFrom) with { Start = Check(startFrom, OptionSpecs.Start.ParseTimestamp(start, out DateTimeOffset t), t) };
        var (duration, durationFrom) = Value(p, Duration);
        if (duration is not null) s = s.SetBy(OptionSpecs.Duration.Key, durationFrom) with { Duration = Check(durationFrom, OptionSpecs.Duration.ParseDuration(duration, out TimeSpan d), d), End = null };
        if (Value(p, End) is ({ } end, var endFrom))
        {
            if (duration is not null) throw new ConfigException(null, 0, endFrom, $"give either {durationFrom} or {endFrom}, not both");
            s = s.SetBy(OptionSpecs.End.Key, endFrom) with { End = Check(endFrom, OptionSpecs.End.ParseTimestamp(end, out DateTimeOffset e), e), Duration = null };
        }
        if (Value(p, Mode) is ({ } mode, var modeFrom))
        {
            s = s.SetBy(OptionSpecs.Mode.Key, modeFrom) with
            {
                Mode = Check(modeFrom, OptionSpecs.Mode.ParseChoice(mode, out string m), m) switch
                {
                    "realtime" => TimeMode.Realtime,
                    "rate" => TimeMode.Rate,
                    _ => TimeMode.Backfill,
                },
            };
        }
        if (Value(p, Rate) is ({ } rate, var rateFrom)) s = s.SetBy(OptionSpecs.Rate.Key, rateFrom) with { Rate = RateProfile.Constant(Check(rateFrom, OptionSpecs.Rate.ParseNumber(rate, out double r), r)) };
        if (Value(p, Speed) is ({ } speed, var speedFrom)) s = s.SetBy(OptionSpecs.Speed.Key, speedFrom) with { Speed = Check(speedFrom, OptionSpecs.Speed.ParseNumber(speed, out double v), v) };
        if (Value(p, Threads) is ({ } threads, var threadsFrom)) s = s.SetBy(OptionSpecs.Threads.Key, threadsFrom) with { Threads = (int)Check(threadsFrom, OptionSpecs.Threads.ParseInteger(threads, out long n), n) };
        if (Value(p, BatchSize) is ({ } batch, var batchFrom)) s = s.SetBy(OptionSpecs.BatchSize.Key, batchFrom) with { BatchSize = (int)Check(batchFrom, OptionSpecs.BatchSize.ParseInteger(batch, out long n), n) };
        if (Value(p, Simd) is ({ } simd, var simdFrom)) s = s.SetBy(OptionSpecs.Simd.Key, simdFrom) with { Simd = (SimdWidth)OptionSpecs.Simd.IndexOf(Check(simdFrom, OptionSpecs.Simd.ParseChoice(simd, out string w), w)) };
        if (Value(p, Shard) is ({ } shard, var shardFrom))
        {
            Shard given = Check(shardFrom, OptionSpecs.Shard.ParseShard(shard, out Shard v), v);
            if (Value(p, Shards) is ({ } shards, var shardsFrom) && long.TryParse(shards.Trim(), System.Globalization.CultureInfo.InvariantCulture, out long n) && n != given.Count)
            {
                throw new ConfigException(null, 0, shardsFrom, $"says {n} shards but {shardFrom} says {given.Count}; give one of them");
            }
            s = s.SetBy(OptionSpecs.Shard.Key, shardFrom) with { Shard = given };
        }
        else if (SchedulerShard(p, s) is ({ } scheduled, var scheduledFrom)) s = s.SetBy(OptionSpecs.Shard.Key, scheduledFrom) with { Shard = scheduled };
        if (Value(p, Shape) is ({ } shape, var shapeFrom)) s = s.SetBy(OptionSpecs.Shape.Key, shapeFrom) with { Shape = Check(shapeFrom, OptionSpecs.Shape.ParseChoice(shape, out string v), v) == "wide" ? OutputShape.Wide : OutputShape.Narrow };
        if (Value(p, DeviceFields) is ({ } fields, var fieldsFrom))
        {
            var list = new List<string>();
            foreach (string item in fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(Check(fieldsFrom, OptionSpecs.DeviceFieldsSpec.ParseChoice(item, out string name), name));
            }
            s = s.SetBy(OptionSpecs.DeviceFieldsSpec.Key, fieldsFrom) with { DeviceFields = Core.Scenarios.DeviceFields.Normalize(list) };
        }
        if (Value(p, IdentityFile) is ({ } identity, var identityFrom))
        {
            string path = Path.GetFullPath(identity.Trim());
            s = s.SetBy(OptionSpecs.IdentityFile.Key, identityFrom) with
            {
                Device = s.Device with { IdentityFile = path, Identities = Core.Scenarios.IdentityFile.Read(path) },
            };
        }
        s = ApplySensorVariables(s);
        return s;
    }

    /// <summary>Variables in which schedulers hand each member of an array of jobs its index, in the order they are looked at.</summary>
    public static readonly string[] IndexVariables = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "AWS_BATCH_JOB_ARRAY_INDEX", "NOMAD_ALLOC_INDEX"];

    /// <summary>
    /// The shard a scheduler assigns, when neither <c>--shard</c> nor <c>IOTSIM_SHARD</c> is given: the index from the
    /// first of <see cref="IndexVariables"/> that is set (a Slurm index counts from <c>SLURM_ARRAY_TASK_MIN</c>), the
    /// count from <c>--shards</c> (or <c>IOTSIM_SHARDS</c>), else <c>SLURM_ARRAY_TASK_COUNT</c>, else the scenario
    /// file's <c>engine.shard</c>. An index without a count is an error (every job would generate the whole fleet), except
    /// NOMAD_ALLOC_INDEX, which Nomad sets for every job and which counts only with a count; a count without an index is an error.
    /// </summary>
    private (Shard? Shard, string Source) SchedulerShard(ParseResult p, Scenario s)
    {
        (string? countText, string countFrom) = Value(p, Shards);
        string? indexVariable = IndexVariables.FirstOrDefault(v => !string.IsNullOrWhiteSpace(_environment(v)));
        int? count = countText is not null ? (int)Check(countFrom, OptionSpecs.Shards.ParseInteger(countText, out long n), n) : null;
        if (count is null && indexVariable == "SLURM_ARRAY_TASK_ID" && _environment("SLURM_ARRAY_TASK_COUNT") is { Length: > 0 } slurmCount)
        {
            (count, countFrom) = ((int)Check("SLURM_ARRAY_TASK_COUNT", OptionSpecs.Shards.ParseInteger(slurmCount, out long c), c), "SLURM_ARRAY_TASK_COUNT");
        }
        if (indexVariable is null)
        {
            return count is null ? (null, "") : throw new ConfigException(null, 0, countFrom,
                $"a shard count needs each process's index from its scheduler: none of {string.Join(", ", IndexVariables)} is set; or give --shard i/N");
        }
        if (count is null)
        {
            // Nomad sets its index for every job, sharded or not; any other index means an array of jobs, and without a
            // count every member would generate the whole fleet: refused rather than duplicated.
            if (indexVariable == "NOMAD_ALLOC_INDEX") return (null, "");
            if (indexVariable != "JOB_COMPLETION_INDEX" || s.Shard.Count <= 1)
            {
                throw new ConfigException(null, 0, indexVariable,
                    $"is set, so this process is one of an array of jobs, but the shard count is not: set IOTSIM_SHARDS (or --shards) to the number of jobs{(indexVariable == "JOB_COMPLETION_INDEX" ? " (the Job's completions)" : "")}, or give --shard i/N");
            }
            (count, countFrom) = (s.Shard.Count, OptionSpecs.Shard.Key);
        }
        string indexText = _environment(indexVariable)!.Trim();
        if (!long.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long index))
        {
            throw new ConfigException(null, 0, indexVariable, $"expected a whole number, found '{Core.Util.Excerpt.Of(indexText)}'");
        }
        if (indexVariable == "SLURM_ARRAY_TASK_ID" && _environment("SLURM_ARRAY_TASK_MIN") is { Length: > 0 } minText
            && long.TryParse(minText.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long min))
        {
            index -= min;
        }
        if (index < 0 || index >= count)
        {
            throw new ConfigException(null, 0, indexVariable, $"index {index} is not a shard of {count} ({countFrom}); allowed: 0 to {count - 1}");
        }
        return (new Shard((int)index, count.Value), $"{indexVariable} with {countFrom}");
    }

    /// <summary>
    /// The reference's <c>SENSOR_LOCATION</c> and <c>SENSOR_ID</c>: the location of every device, and the id of a
    /// one-device fleet; they override the matching fields of an identity file's shared entry.
    /// </summary>
    private Scenario ApplySensorVariables(Scenario s)
    {
        string? location = _environment("SENSOR_LOCATION");
        string? id = _environment("SENSOR_ID");
        if (string.IsNullOrEmpty(location) && string.IsNullOrEmpty(id)) return s;
        string source = !string.IsNullOrEmpty(location) ? "SENSOR_LOCATION" : "SENSOR_ID";
        if (s.Device.Identities is { Count: > 1 })
        {
            throw new ConfigException(null, 0, source, "applies to every device, so it cannot override an identity file with one identity per device");
        }
        if (!string.IsNullOrEmpty(id) && s.Devices != 1)
        {
            throw new ConfigException(null, 0, "SENSOR_ID", $"names one device, but the fleet has {s.Devices}; use an identity file with one identity per device");
        }
        IdentityFile.Entry entry = s.Device.Identities is [{ } shared] ? shared : new IdentityFile.Entry();
        entry = entry with
        {
            Location = string.IsNullOrEmpty(location) ? entry.Location : location,
            Id = string.IsNullOrEmpty(id) ? entry.Id : id,
        };
        if (entry.Location is null)
        {
            throw new ConfigException(null, 0, "SENSOR_ID", "needs a location too: set SENSOR_LOCATION or use an identity file");
        }
        Core.Scenarios.IdentityFile.Check(entry, source);
        return s with { Device = s.Device with { Identities = [entry] } };
    }

    private static T Check<T>(string source, string? problem, T value) =>
        problem is null ? value : throw new ConfigException(null, 0, source, problem);

    private static T Check<T>(OptionSpec spec, string? problem, T value) => Check(spec.Flag!, problem, value);

    public static long Integer(OptionSpec spec, string text) => Check(spec, spec.ParseInteger(text, out long v), v);

    public static TimeSpan ParseDuration(OptionSpec spec, string text) => Check(spec, spec.ParseDuration(text, out TimeSpan v), v);

    public static DateTimeOffset Timestamp(OptionSpec spec, string text) => Check(spec, spec.ParseTimestamp(text, out DateTimeOffset v), v);

    public static string Choice(OptionSpec spec, string text) => Check(spec, spec.ParseChoice(text, out string v), v);

}
