using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Simulation;

/// <summary>
/// What a scenario will run, computed and checked without allocating any channel state: sensors, time range,
/// interval groups, planned readings and the memory the run needs. <c>iotsim validate</c> reports it; a run builds its
/// <see cref="Fleet"/> from it and refuses to start when the memory is not there.
/// </summary>
public sealed class FleetPlan
{
    /// <summary>Most channels in one interval group of one process (the kernels index channels with int).</summary>
    public const long MaxChannelsPerGroup = int.MaxValue / 2;

    /// <summary>Memory outside channel state and batches: runtime, encoder buffers, catalog.</summary>
    public const long BaseBytes = 64L << 20;

    /// <summary>Bytes per reading slot of a batch: a float value and a flag byte.</summary>
    public const int BytesPerBatchSlot = 5;

    private FleetPlan(Scenario scenario, List<SensorDefinition> sensors, DateTimeOffset start, DateTimeOffset? end, PlannedGroup[] groups)
    {
        Scenario = scenario;
        Sensors = sensors;
        Start = start;
        End = end;
        (FirstDevice, EndDevice) = scenario.Shard.DeviceRange(scenario.Devices);
        Groups = groups;
    }

    /// <summary>One interval group: its interval, sensors (indices into <see cref="Sensors"/>) and ticks.</summary>
    public sealed record PlannedGroup(TimeSpan Interval, int[] SensorIndices, long Channels, long Ticks);

    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>The sensor profile every device carries, in output order.</summary>
    public IReadOnlyList<SensorDefinition> Sensors { get; }

    /// <summary>Timestamp of tick 0.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Exclusive end, or null when unbounded.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>First device of this shard.</summary>
    public int FirstDevice { get; }

    /// <summary>End (exclusive) device of this shard.</summary>
    public int EndDevice { get; }

    /// <summary>Interval groups in ascending interval order.</summary>
    public IReadOnlyList<PlannedGroup> Groups { get; }

    /// <summary>Channels (device × sensor) in this shard.</summary>
    public long ChannelCount => (long)(EndDevice - FirstDevice) * Sensors.Count;

    /// <summary>Readings the run will generate before omissions (long.MaxValue when unbounded or beyond long).</summary>
    public long PlannedReadings
    {
        get
        {
            long total = 0;
            foreach (PlannedGroup g in Groups)
            {
                if (g.Ticks == long.MaxValue || (g.Channels > 0 && g.Ticks > (long.MaxValue - total) / g.Channels)) return long.MaxValue;
                total += g.Ticks * g.Channels;
            }
            return total;
        }
    }

    /// <summary>
    /// Reading slots per engine batch: the scenario's batch size, at least one device's sensors of a group (of every
    /// group for the wide shape, whose rows hold them all), at most 64 ticks of the fleet.
    /// </summary>
    public int BatchCapacity
    {
        get
        {
            int maxPerDevice = Scenario.Shape == OutputShape.Wide ? Sensors.Count : Groups.Max(g => g.SensorIndices.Length);
            long planned = Math.Max(1, PlannedReadings);
            long batch = Math.Min(Math.Max(1, Scenario.BatchSize), Math.Min(planned, ChannelCount * 64L));
            if (Scenario.Mode == TimeMode.Rate)
            {
                // At most 10 ms of the highest target rate per batch, so pacing is smooth rather than bursty.
                batch = Math.Min(batch, (long)Math.Max(1, Scenario.RateOrDefault.MaxRate / 100));
            }
            return (int)Math.Max(maxPerDevice, batch);
        }
    }

    /// <summary>
    /// Slots per batch beyond <see cref="BatchCapacity"/> for dirty delivery's late and duplicated copies: half as much
    /// again as their expected share of a batch, and room for at least eight device messages; 0 when off.
    /// </summary>
    public int BatchExtraRoom
    {
        get
        {
            double share = Scenario.Dirty.Late + Scenario.Dirty.Duplicates;
            if (share <= 0) return 0;
            int message = Groups.Sum(g => g.SensorIndices.Length);
            return (int)Math.Min(BatchCapacity, Math.Ceiling(BatchCapacity * share * 1.5)) + 8 * message;
        }
    }

    /// <summary>Pooled batches the scenario's sinks need: each sink's queue and writers, plus one being generated.</summary>
    public int PoolBatches => Math.Max(2, Scenario.Sinks.Count == 0 ? 0 : Scenario.Sinks.Max(s => s.QueueBatches(BatchCapacity) + Math.Max(1, s.Parallelism) + 1));

    /// <summary>Bytes of memory the run needs: channel state, the pooled batches (<see cref="PoolBatches"/> unless given) and a fixed base.</summary>
    public long RequiredBytes(int? batches = null) =>
        ChannelCount * SensorState.BytesPerChannel + (long)(batches ?? PoolBatches) * (BatchCapacity + BatchExtraRoom) * BytesPerBatchSlot + BaseBytes;

    /// <summary>Bytes this process may use: the GC's limit, which follows container limits and <c>DOTNET_GCHeapHardLimit</c>.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws a <see cref="ConfigException"/> saying how much memory is needed when it exceeds <paramref name="availableBytes"/>.</summary>
    public void CheckMemory(long availableBytes, int? batches = null)
    {
        long needed = RequiredBytes(batches);
        if (needed > availableBytes)
        {
            throw Scenario.Error("fleet.devices",
                $"the run needs about {Gib(needed)} of memory ({ChannelCount:N0} channels × {SensorState.BytesPerChannel} B of state, plus batches), "
                + $"more than the {Gib(availableBytes)} this process may use; use fewer devices or sensors, or split the fleet across processes with --shard i/N");
        }
    }

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.##} GiB";

    /// <summary>Checks <paramref name="scenario"/> and computes its plan; <paramref name="now"/> is the realtime start when the scenario has none.</summary>
    /// <exception cref="ConfigException">The scenario is invalid or its sizes overflow.</exception>
    public static FleetPlan Create(Scenario scenario, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Check(scenario, OptionSpecs.Devices, OptionSpecs.Devices.CheckNumber(scenario.Devices));
        Check(scenario, OptionSpecs.Threads, OptionSpecs.Threads.CheckNumber(scenario.Threads));
        Check(scenario, OptionSpecs.BatchSize, OptionSpecs.BatchSize.CheckNumber(scenario.BatchSize));
        Check(scenario, OptionSpecs.ProbabilityScale, OptionSpecs.ProbabilityScale.CheckNumber(scenario.Anomalies.ProbabilityScale));
        if (scenario.Interval is { } iv) Check(scenario, OptionSpecs.Interval, OptionSpecs.Interval.CheckDuration(iv));
        if (scenario.Duration is { } d) Check(scenario, OptionSpecs.Duration, OptionSpecs.Duration.CheckDuration(d));
        Check(scenario, OptionSpecs.Speed, OptionSpecs.Speed.CheckNumber(scenario.Speed));
        if (scenario.Mode == TimeMode.Rate) Check(scenario, OptionSpecs.Rate, OptionSpecs.Rate.CheckNumber(scenario.RateOrDefault.MaxRate));
        Shard shard = scenario.Shard;
        if (shard.Count < 1 || shard.Index < 0 || shard.Index >= shard.Count || shard.Count > OptionSpecs.Shard.Max)
        {
            throw scenario.Error(OptionSpecs.Shard.Key, $"expected {OptionSpecs.Shard.Allowed}, found {shard}");
        }
        if (scenario.Device.Identities is { } identities)
        {
            if (identities.Count == 1 && identities[0].Id is not null && scenario.Devices > 1)
            {
                throw scenario.Error(OptionSpecs.IdentityFile.Key,
                    $"the identity file gives one device an id ('{Util.Excerpt.Of(identities[0].Id!)}') but the fleet has {scenario.Devices} devices; leave the id out to share the identity, or give an array with one identity per device");
            }
            if (identities.Count > 1 && identities.Count != scenario.Devices)
            {
                throw scenario.Error(OptionSpecs.IdentityFile.Key,
                    $"the identity file has {identities.Count} identities but the fleet has {scenario.Devices} devices; give one per device (or one object shared by all)");
            }
        }
        List<SensorDefinition> sensors = Fleet.ResolveSensors(scenario);
        DateTimeOffset start = scenario.Start ?? (scenario.Mode is TimeMode.Realtime or TimeMode.Rate
            ? TruncateToSecond(now ?? DateTimeOffset.UtcNow)
            : Fleet.DefaultBackfillStart);
        DateTimeOffset? end;
        try
        {
            end = scenario.ResolveEnd(start);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw scenario.Error(OptionSpecs.Duration.Key, $"start {start:O} plus the duration is past the year 9999");
        }
        if (end is { } e && e <= start)
        {
            throw scenario.Error(OptionSpecs.End.Key, $"the end ({e:O}) must be after the start ({start:O})");
        }

        var byInterval = new SortedDictionary<TimeSpan, List<int>>();
        for (int i = 0; i < sensors.Count; i++)
        {
            if (!byInterval.TryGetValue(sensors[i].Interval, out List<int>? list))
            {
                byInterval.Add(sensors[i].Interval, list = []);
            }
            list.Add(i);
        }
        (int first, int last) = shard.DeviceRange(scenario.Devices);
        var groups = new PlannedGroup[byInterval.Count];
        int g = 0;
        foreach ((TimeSpan interval, List<int> indices) in byInterval)
        {
            long channels = (long)(last - first) * indices.Count;
            if (channels > MaxChannelsPerGroup)
            {
                throw scenario.Error(OptionSpecs.Devices.Key,
                    $"{channels:N0} channels share the {DurationParser.Format(interval)} interval; at most {MaxChannelsPerGroup:N0} per interval per process (split the fleet with --shard i/N)");
            }
            long ticks = end is { } stop ? CeilDiv((stop - start).Ticks, interval.Ticks) : long.MaxValue;
            groups[g++] = new PlannedGroup(interval, [.. indices], channels, ticks);
        }
        return new FleetPlan(scenario, sensors, start, end, groups);
    }

    private static long CeilDiv(long a, long b) => (a / b) + (a % b > 0 ? 1 : 0);

    private static void Check(Scenario scenario, OptionSpec spec, string? problem)
    {
        if (problem is not null) throw scenario.Error(spec.Key, problem);
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
