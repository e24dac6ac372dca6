using System.Text;
using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Simulation;

/// <summary>
/// Devices × sensor profile, for one shard: the sensor definitions, device identities and the struct-of-arrays
/// state of every channel, grouped by reporting interval.
/// </summary>
public sealed class Fleet
{
    /// <summary>Default first timestamp of a backfill run, so runs without a start are reproducible.</summary>
    public static readonly DateTimeOffset DefaultBackfillStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly byte[][] _sensorNameUtf8;
    private readonly byte[][] _industryUtf8;
    private readonly byte[][] _unitUtf8;

    private Fleet(Scenario scenario, List<SensorDefinition> sensors, DateTimeOffset start, DateTimeOffset? end)
    {
        Scenario = scenario;
        Sensors = sensors;
        Start = start;
        End = end;
        DeviceCount = scenario.Devices;
        (FirstDevice, EndDevice) = scenario.Shard.DeviceRange(scenario.Devices);
        DeviceIdPrefixUtf8 = Encoding.UTF8.GetBytes(scenario.Device.IdPrefix + "-");
        _sensorNameUtf8 = [.. sensors.Select(s => Encoding.UTF8.GetBytes(s.Name))];
        _industryUtf8 = [.. sensors.Select(s => Encoding.UTF8.GetBytes(s.Industry))];
        _unitUtf8 = [.. sensors.Select(s => Encoding.UTF8.GetBytes(s.Unit))];
        Precision = [.. sensors.Select(s => s.Precision)];
        Groups = [];
    }

    /// <summary>The scenario the fleet was built from.</summary>
    public Scenario Scenario { get; }

    /// <summary>The sensor profile every device carries, in output order.</summary>
    public IReadOnlyList<SensorDefinition> Sensors { get; }

    /// <summary>Devices in the whole fleet (all shards).</summary>
    public int DeviceCount { get; }

    /// <summary>First device of this shard.</summary>
    public int FirstDevice { get; }

    /// <summary>End (exclusive) device of this shard.</summary>
    public int EndDevice { get; }

    /// <summary>Channels (device × sensor) in this shard.</summary>
    public long ChannelCount => (long)(EndDevice - FirstDevice) * Sensors.Count;

    /// <summary>Timestamp of tick 0 of every group.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Exclusive end, or null when unbounded.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>Interval groups in ascending interval order.</summary>
    public IReadOnlyList<IntervalGroup> Groups { get; private set; }

    /// <summary>Readings the run will generate before omissions (long.MaxValue when unbounded).</summary>
    public long PlannedReadings
    {
        get
        {
            long total = 0;
            foreach (IntervalGroup g in Groups)
            {
                if (g.TickCount == long.MaxValue || g.TickCount > (long.MaxValue - total) / Math.Max(1, g.ChannelCount)) return long.MaxValue;
                total += g.TickCount * g.ChannelCount;
            }
            return total;
        }
    }

    /// <summary>Decimal digits of each sensor.</summary>
    public IReadOnlyList<int> Precision { get; }

    /// <summary>UTF-8 of "{prefix}-".</summary>
    internal byte[] DeviceIdPrefixUtf8 { get; }

    internal ReadOnlySpan<byte> SensorNameUtf8(int sensor) => _sensorNameUtf8[sensor];

    internal ReadOnlySpan<byte> IndustryUtf8(int sensor) => _industryUtf8[sensor];

    internal ReadOnlySpan<byte> UnitUtf8(int sensor) => _unitUtf8[sensor];

    /// <summary>Device id text, e.g. <c>dev-000042</c>.</summary>
    public string DeviceId(int device) => $"{Scenario.Device.IdPrefix}-{device:D6}";

    /// <summary>Manufacturer, model and firmware of a device (fixed by the scenario or mixed by device index).</summary>
    public (string Manufacturer, string Model, string Firmware) DeviceIdentity(int device)
    {
        DeviceOptions o = Scenario.Device;
        uint h = Hash32.Mix((uint)device * 0x9E3779B1u ^ (uint)Scenario.Seed ^ 0x5BD1E995u);
        string manufacturer = o.Manufacturer ?? (o.Model is null ? DeviceModels.ManufacturerNames[h % 4] : ManufacturerOf(o.Model));
        string model = o.Model ?? DeviceModels.Models[manufacturer][(h >> 8) % 4];
        string firmware = o.Firmware ?? DeviceModels.FirmwareVersions[(h >> 16) % (uint)DeviceModels.FirmwareVersions.Length];
        return (manufacturer, model, firmware);
    }

    private static string ManufacturerOf(string model)
    {
        foreach (var (manufacturer, models) in DeviceModels.Models)
        {
            if (Array.IndexOf(models, model) >= 0) return manufacturer;
        }
        throw new ConfigException(null, 0, "fleet.device.model", $"unknown model '{model}'");
    }

    /// <summary>Anomaly probability factor of a device: manufacturer factor × firmware factor.</summary>
    public double AnomalyFactor(int device)
    {
        var (manufacturer, _, firmware) = DeviceIdentity(device);
        return DeviceModels.Manufacturers[manufacturer] * DeviceModels.Firmware[firmware];
    }

    /// <summary>The sensors a scenario selects: its industries' catalog sensors, then its custom sensors.</summary>
    public static List<SensorDefinition> ResolveSensors(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var sensors = new List<SensorDefinition>();
        foreach (string industry in SensorCatalog.Expand(scenario.Industries))
        {
            sensors.AddRange(SensorCatalog.Sensors(industry));
        }
        sensors.AddRange(scenario.CustomSensors);
        if (scenario.Interval is { } interval)
        {
            for (int i = 0; i < sensors.Count; i++)
            {
                sensors[i] = sensors[i] with { Interval = interval };
            }
        }
        foreach (SensorDefinition def in sensors)
        {
            if (def.Validate() is { } problem)
            {
                throw new ConfigException(scenario.SourcePath, 0, scenario.Interval is null ? def.Name : "fleet.interval", problem);
            }
        }
        if (sensors.Count == 0)
        {
            throw new ConfigException(scenario.SourcePath, 0, "fleet.industries", "the fleet has no sensors: name at least one industry or custom sensor");
        }
        return sensors;
    }

    /// <summary>
    /// Builds the fleet and initialises every channel's state. <paramref name="now"/> is the realtime start when
    /// the scenario has none.
    /// </summary>
    public static Fleet Build(Scenario scenario, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Devices < 1) throw new ConfigException(scenario.SourcePath, 0, "fleet.devices", $"must be at least 1, found {scenario.Devices}");
        if (scenario.Shard.Count < 1 || scenario.Shard.Index < 0 || scenario.Shard.Index >= scenario.Shard.Count)
        {
            throw new ConfigException(scenario.SourcePath, 0, "engine.shard", $"expected i/N with 0 <= i < N, found {scenario.Shard}");
        }
        List<SensorDefinition> sensors = ResolveSensors(scenario);
        DateTimeOffset start = scenario.Start ?? (scenario.Mode == TimeMode.Realtime
            ? TruncateToSecond(now ?? DateTimeOffset.UtcNow)
            : DefaultBackfillStart);
        DateTimeOffset? end;
        try
        {
            end = scenario.ResolveEnd(start);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ConfigException(scenario.SourcePath, 0, "time.duration", $"start {start:O} plus the duration is past the year 9999");
        }
        if (end is { } e && e <= start)
        {
            throw new ConfigException(scenario.SourcePath, 0, "time.end", $"the end ({e:O}) must be after the start ({start:O})");
        }
        var fleet = new Fleet(scenario, sensors, start, end);
        fleet.Groups = fleet.BuildGroups();
        return fleet;
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    private IntervalGroup[] BuildGroups()
    {
        var byInterval = new SortedDictionary<TimeSpan, List<int>>();
        for (int i = 0; i < Sensors.Count; i++)
        {
            TimeSpan interval = Sensors[i].Interval;
            if (!byInterval.TryGetValue(interval, out var list))
            {
                list = [];
                byInterval.Add(interval, list);
            }
            list.Add(i);
        }
        int devices = EndDevice - FirstDevice;
        var groups = new IntervalGroup[byInterval.Count];
        int g = 0;
        foreach (var (interval, indices) in byInterval)
        {
            long channels = (long)devices * indices.Count;
            if (channels > int.MaxValue / 2)
            {
                throw new ConfigException(Scenario.SourcePath, 0, "fleet.devices",
                    $"{channels} channels share the {interval.TotalSeconds}s interval; at most {int.MaxValue / 2} per interval per process (use --shard to split the fleet)");
            }
            long ticks = End is { } end ? (long)Math.Ceiling((end - Start).Ticks / (double)interval.Ticks) : long.MaxValue;
            var kp = new KernelParams(Scenario.Seed, g, interval, Scenario.Anomalies);
            var state = new SensorState((int)channels);
            InitState(state, indices, interval, kp);
            groups[g] = new IntervalGroup(g, interval, [.. indices], devices, ticks, state, kp);
            g++;
        }
        return groups;
    }

    private void InitState(SensorState s, List<int> indices, TimeSpan interval, KernelParams kp)
    {
        int perDevice = indices.Count;
        bool anomaliesOn = Scenario.Anomalies.Enabled && kp.TotalWeight > 0;
        int c = 0;
        for (int d = FirstDevice; d < EndDevice; d++)
        {
            double factor = anomaliesOn ? AnomalyFactor(d) * Scenario.Anomalies.ProbabilityScale : 0;
            for (int k = 0; k < perDevice; k++, c++)
            {
                int sensor = indices[k];
                SensorDefinition def = Sensors[sensor];
                long globalChannel = (long)d * Sensors.Count + sensor;
                uint key = Hash32.ChannelKey(Scenario.Seed, globalChannel);
                double range = def.Max - def.Min;
                s.Key[c] = key;
                s.Nominal[c] = (float)def.Nominal;
                s.Sigma[c] = (float)def.NoiseStd;
                s.DriftRate[c] = (float)def.DriftRate;
                s.DriftLimit[c] = (float)(0.05 * range);
                double q = Math.Pow(10, def.Precision);
                // Bounds on the precision grid keep clamp-then-round inside [min, max].
                double gridMin = Math.Ceiling(def.Min * q - 1e-9) / q;
                double gridMax = Math.Floor(def.Max * q + 1e-9) / q;
                bool aligned = gridMin <= gridMax;
                s.Min[c] = (float)(aligned ? gridMin : def.Min);
                s.Max[c] = (float)(aligned ? gridMax : def.Max);
                s.Quantum[c] = (float)q;
                s.AnomProb[c] = (float)Math.Min(1.0, def.AnomalyProbability * factor);
                s.AnomScale[c] = (float)(def.AnomalyMagnitude * Math.Max(3 * def.NoiseStd, 0.05 * range));
                bool cyclic = def.Cyclic && def.CycleAmplitude > 0;
                s.Amplitude[c] = cyclic ? (float)def.CycleAmplitude : 0f;
                // Non-cyclic sensors still get a 60-tick rhythm so a pattern anomaly has something to change.
                double turnsPerTick = cyclic ? interval.TotalSeconds / def.CyclePeriodSeconds : 1.0 / 60;
                s.CycleStep[c] = (uint)(ulong)Math.Round((turnsPerTick - Math.Floor(turnsPerTick)) * 4294967296.0);
                s.Phase[c] = Hash32.Mix(key ^ 0x2545F491u);
            }
        }
    }
}
