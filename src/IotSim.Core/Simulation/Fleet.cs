using System.Text;
using IotSim.Core.Catalog;
using IotSim.Core.Encoders;
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
    public Scenario Scenario { get; private set; }

    /// <summary>The sensor profile every device carries, in output order.</summary>
    public IReadOnlyList<SensorDefinition> Sensors { get; private set; }

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

    private (int Group, int Index)[]? _slots;

    /// <summary>Where a sensor's readings sit in a batch: its interval group and its position among the group's sensors of a device.</summary>
    public (int Group, int Index) SlotOf(int sensor)
    {
        if (_slots is null)
        {
            var slots = new (int, int)[Sensors.Count];
            for (int g = 0; g < Groups.Count; g++)
            {
                IReadOnlyList<int> indices = Groups[g].SensorIndices;
                for (int k = 0; k < indices.Count; k++) slots[indices[k]] = (g, k);
            }
            _slots = slots;
        }
        return _slots[sensor];
    }

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

    /// <summary>The checked plan the fleet was built from.</summary>
    public FleetPlan Plan { get; private init; } = null!;

    /// <summary>Reading slots per engine batch.</summary>
    public int BatchCapacity => Plan.BatchCapacity;

    /// <summary>Decimal digits of each sensor.</summary>
    public IReadOnlyList<int> Precision { get; }

    /// <summary>UTF-8 of "{prefix}-".</summary>
    internal byte[] DeviceIdPrefixUtf8 { get; }

    internal ReadOnlySpan<byte> SensorNameUtf8(int sensor) => _sensorNameUtf8[sensor];

    internal ReadOnlySpan<byte> IndustryUtf8(int sensor) => _industryUtf8[sensor];

    internal ReadOnlySpan<byte> UnitUtf8(int sensor) => _unitUtf8[sensor];

    /// <summary>Device id text, e.g. <c>dev-000042</c>.</summary>
    public string DeviceId(int device) =>
        EntryOf(device)?.Id ?? (Scenario.Device.CityIds ? CityId(device) : $"{Scenario.Device.IdPrefix}-{device:D6}");

    /// <summary><c>[A-Z]{3}_[0-9]{6}</c>: the first three ASCII letters of the device's city (accents dropped, X when short) and its index.</summary>
    private string CityId(int device)
    {
        string name = DeviceLocation(device).City.Name.Normalize(NormalizationForm.FormD);
        var code = new StringBuilder(3);
        foreach (char ch in name)
        {
            if (char.IsAsciiLetter(ch) && code.Length < 3) code.Append(char.ToUpperInvariant(ch));
        }
        return code.ToString().PadRight(3, 'X') + "_" + device.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Longest device id in UTF-8 bytes that <see cref="FormatDeviceId"/> may write for this fleet.</summary>
    public int MaxDeviceIdBytes => HasCustomIds ? 256 * 4 : DeviceIdPrefixUtf8.Length + 10;

    /// <summary>
    /// Writes <paramref name="device"/>'s id (<see cref="DeviceId"/>) as UTF-8 into <paramref name="destination"/>
    /// without allocating (ids from an identity file or city ids are cached per device); returns the bytes written.
    /// </summary>
    public int FormatDeviceId(int device, Span<byte> destination)
    {
        if (HasCustomIds)
        {
            byte[] id = CustomIdUtf8(device);
            id.CopyTo(destination);
            return id.Length;
        }
        DeviceIdPrefixUtf8.CopyTo(destination);
        return DeviceIdPrefixUtf8.Length + ByteWriter.FormatPadded((uint)device, 6, destination[DeviceIdPrefixUtf8.Length..]);
    }

    /// <summary>
    /// Dirty delivery's clock skew: the fixed offset (ms, never 0 for a skewed device) added to every timestamp
    /// <paramref name="device"/> reports, or 0 for a device with a true clock. A pure function of (seed, device).
    /// </summary>
    public long ClockSkewMs(int device)
    {
        DirtyOptions dirty = Scenario.Dirty;
        if (dirty.ClockSkew <= 0) return 0;
        uint h = Hash32.StreamKey(Scenario.Seed, Hash32.SkewStream, device);
        if (Hash32.Unit(h) >= dirty.ClockSkew) return 0;
        uint size = Hash32.Mix(h ^ Hash32.SkewSalt);
        long max = (long)dirty.MaxSkew.TotalMilliseconds;
        long offset = 1 + (long)(Hash32.Unit(size) * max);
        return (size & 1) == 0 ? offset : -offset;
    }

    /// <summary>Whether some devices' clocks are skewed (<see cref="ClockSkewMs"/>).</summary>
    internal bool HasClockSkew => Scenario.Dirty.ClockSkew > 0;

    /// <summary>Whether devices have ids other than prefix and number (identity file ids, or city ids); encoders then write <see cref="CustomIdUtf8"/>.</summary>
    internal bool HasCustomIds => _hasCustomIds ??= Scenario.Device.CityIds || Scenario.Device.Identities?.Any(e => e.Id is not null) == true;

    // Device options cannot change on a reload, so this holds for the fleet's life.
    private bool? _hasCustomIds;

    private byte[]?[]? _customIds;

    /// <summary>UTF-8 of a device's custom id (ids are names: nothing to escape), cached per device of the shard.</summary>
    internal byte[] CustomIdUtf8(int device)
    {
        _customIds ??= new byte[EndDevice - FirstDevice][];
        ref byte[]? id = ref _customIds[device - FirstDevice];
        return id ??= Encoding.UTF8.GetBytes(DeviceId(device));
    }

    /// <summary>Manufacturer, model and firmware of a device (fixed by the scenario or mixed by device index).</summary>
    public (string Manufacturer, string Model, string Firmware) DeviceIdentity(int device)
    {
        DeviceOptions o = Scenario.Device;
        IdentityFile.Entry? entry = EntryOf(device);
        uint h = Hash32.Mix((uint)device * 0x9E3779B1u ^ (uint)Scenario.Seed ^ 0x5BD1E995u);
        string? fixedModel = entry?.Model ?? o.Model;
        if (fixedModel is null && entry?.Manufacturer is null && o.Manufacturer is null && o.ModelShares is { } modelShares)
        {
            fixedModel = Pick(ref _modelShares, modelShares, Hash32.Mix(h ^ 0x61C88647u));
        }
        string manufacturer = entry?.Manufacturer ?? o.Manufacturer ?? (fixedModel is not null ? ManufacturerOf(fixedModel)
            : o.ManufacturerShares is { } makers ? Pick(ref _manufacturerShares, makers, Hash32.Mix(h ^ 0x2545F491u))
            : DeviceModels.ManufacturerNames[h % 4]);
        string model = fixedModel ?? DeviceModels.Models[manufacturer][(h >> 8) % 4];
        string firmware = entry?.Firmware ?? o.Firmware ?? (o.FirmwareShares is { } versions
            ? Pick(ref _firmwareShares, versions, Hash32.Mix(h ^ 0x9E3779B9u))
            : DeviceModels.FirmwareVersions[(h >> 16) % (uint)DeviceModels.FirmwareVersions.Length]);
        return (manufacturer, model, firmware);
    }

    private ShareTable? _manufacturerShares, _modelShares, _firmwareShares;

    private sealed record ShareTable(string[] Names, double[] Cumulative);

    /// <summary>The name whose share covers the uniform draw <paramref name="h"/> (names in ordinal order; the table is built once).</summary>
    private static string Pick(ref ShareTable? table, IReadOnlyDictionary<string, double> shares, uint h)
    {
        if (table is null)
        {
            string[] names = [.. shares.Keys.Order(StringComparer.Ordinal)];
            double[] cumulative = new double[names.Length];
            double sum = 0;
            for (int i = 0; i < names.Length; i++) cumulative[i] = sum += shares[names[i]];
            table = new ShareTable(names, cumulative);
        }
        var (n, c) = table;
        double u = Hash32.Unit(h) * c[^1];
        for (int i = 0; i < n.Length - 1; i++)
        {
            if (u < c[i]) return n[i];
        }
        return n[^1];
    }

    /// <summary>The identity file's entry for a device: its own entry of an array, or the one object shared by all; null without a file.</summary>
    private IdentityFile.Entry? EntryOf(int device)
    {
        IReadOnlyList<IdentityFile.Entry>? entries = Scenario.Device.Identities;
        return entries is null ? null : entries.Count == 1 ? entries[0] : entries[device];
    }

    /// <summary>
    /// The full identity of a device: the identity file's fields where it gives them, the rest drawn from the seed
    /// (serial number, dates, deployment, height, orientation, instance id) and the device's location.
    /// </summary>
    public Catalog.DeviceIdentity Identity(int device)
    {
        IdentityParts p = Parts(device);
        return new Catalog.DeviceIdentity
        {
            Id = p.Entry?.Id ?? DeviceId(device),
            Manufacturer = p.Manufacturer,
            Model = p.Model,
            Firmware = p.Firmware,
            SerialNumber = p.Entry?.SerialNumber ?? $"{p.Manufacturer}-{p.SerialNumber}",
            ManufactureDate = p.ManufactureDate,
            Location = p.Place.Name,
            Region = p.Place.Region,
            Country = p.Place.Country,
            Latitude = p.Latitude,
            Longitude = p.Longitude,
            TimeZone = p.Place.TimeZone,
            DeploymentType = p.DeploymentType,
            InstallationDate = p.InstallationDate,
            HeightMeters = p.HeightMeters,
            OrientationDegrees = p.OrientationDegrees,
            InstanceId = p.Entry?.InstanceId ?? $"i-{p.InstanceA:x7}{p.InstanceB:x8}{p.InstanceC:x2}",
            SensorType = p.SensorType,
        };
    }

    /// <summary>
    /// The parts of a device's identity without allocating: strings come from the catalog, the city list or the
    /// identity file; the serial number and instance id are numbers the caller formats (or the entry's own texts).
    /// </summary>
    internal IdentityParts Parts(int device)
    {
        var (manufacturer, model, firmware) = DeviceIdentity(device);
        var (city, latitude, longitude) = DeviceLocation(device);
        IdentityFile.Entry? e = EntryOf(device);
        uint h = Hash32.Mix((uint)device * 0x85EBCA77u ^ (uint)Scenario.Seed ^ 0x27D4EB2Fu);
        uint h2 = Hash32.Mix(h ^ 0x165667B1u);
        uint h3 = Hash32.Mix(h2 ^ 0xC2B2AE3Du);
        DateOnly manufactured = e?.ManufactureDate ?? new DateOnly(2023, 1, 1).AddDays((int)(h % 900));
        return new IdentityParts
        {
            Entry = e,
            Manufacturer = manufacturer,
            Model = model,
            Firmware = firmware,
            SerialNumber = 100_000 + h2 % 900_000,
            ManufactureDate = manufactured,
            Place = city,
            Latitude = latitude,
            Longitude = longitude,
            DeploymentType = e?.DeploymentType ?? Catalog.DeviceIdentity.DeploymentTypes[(h >> 12) % (uint)Catalog.DeviceIdentity.DeploymentTypes.Length],
            InstallationDate = e?.InstallationDate ?? manufactured.AddDays(30 + (int)((h >> 16) % 170)),
            HeightMeters = e?.HeightMeters ?? Math.Round(0.5 + h3 % 296 / 10.0, 1),
            OrientationDegrees = e?.OrientationDegrees ?? (h3 >> 16) % 360,
            InstanceA = h2 & 0xFFFFFFFu,
            InstanceB = h3,
            InstanceC = h >> 24 & 0xFF,
            SensorType = e?.SensorType ?? (Scenario.Industries.Contains(SensorCatalog.EnvironmentalProfile) ? "environmental_monitoring" : "industrial_monitoring"),
        };
    }

    /// <summary>The parts of a device identity (<see cref="Parts"/>).</summary>
    internal readonly struct IdentityParts
    {
        public IdentityFile.Entry? Entry { get; init; }
        public string Manufacturer { get; init; }
        public string Model { get; init; }
        public string Firmware { get; init; }
        public uint SerialNumber { get; init; }
        public DateOnly ManufactureDate { get; init; }
        public City Place { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public string DeploymentType { get; init; }
        public DateOnly InstallationDate { get; init; }
        public double HeightMeters { get; init; }
        public double OrientationDegrees { get; init; }
        public uint InstanceA { get; init; }
        public uint InstanceB { get; init; }
        public uint InstanceC { get; init; }
        public string SensorType { get; init; }
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
        // Manufacturers and firmware named through the C# API but not in the catalog have no known effect: factor 1.
        return DeviceModels.Manufacturers.GetValueOrDefault(manufacturer, 1.0) * DeviceModels.Firmware.GetValueOrDefault(firmware, 1.0);
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
                throw scenario.Interval is null ? scenario.Error("custom_sensors", $"sensor '{def.Name}': {problem}") : scenario.Error(OptionSpecs.Interval.Key, problem);
            }
        }
        var seen = new Dictionary<string, SensorDefinition>(StringComparer.Ordinal);
        foreach (SensorDefinition def in sensors)
        {
            if (seen.TryGetValue(def.Name, out SensorDefinition? first))
            {
                throw scenario.Error("custom_sensors",
                    $"sensor name '{Util.Excerpt.Of(def.Name)}' is used twice ({first.Industry} and {def.Industry}); every sensor of a fleet needs its own name, so rows and columns stay unambiguous");
            }
            seen.Add(def.Name, def);
            if (scenario.Shape == OutputShape.Wide && Array.IndexOf(Encoders.WideEncoder.FixedColumns, def.Name) >= 0)
            {
                throw scenario.Error("custom_sensors",
                    $"sensor name '{def.Name}' is a fixed column of the wide shape; reserved: {string.Join(", ", Encoders.WideEncoder.FixedColumns)}");
            }
        }
        if (sensors.Count == 0)
        {
            throw scenario.Error(OptionSpecs.Industries.Key, "the fleet has no sensors: name at least one industry or custom sensor");
        }
        return sensors;
    }

    /// <summary>
    /// Builds the fleet and initialises every channel's state. <paramref name="now"/> is the realtime start when the
    /// scenario has none. Refuses (with the memory it would need) a fleet that does not fit in this process's memory.
    /// </summary>
    public static Fleet Build(Scenario scenario, DateTimeOffset? now = null) => Build(FleetPlan.Create(scenario, now));

    /// <summary>Allocates and initialises the state of a checked plan.</summary>
    public static Fleet Build(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.CheckMemory(FleetPlan.AvailableBytes);
        var fleet = new Fleet(plan.Scenario, [.. plan.Sensors], plan.Start, plan.End) { Plan = plan };
        var groups = new IntervalGroup[plan.Groups.Count];
        int devices = fleet.EndDevice - fleet.FirstDevice;
        for (int g = 0; g < groups.Length; g++)
        {
            FleetPlan.PlannedGroup planned = plan.Groups[g];
            var kp = new KernelParams(plan.Scenario.Seed, g, planned.Interval, plan.Scenario.Anomalies);
            var state = new SensorState((int)planned.Channels);
            fleet.InitState(state, planned.SensorIndices, planned.Interval, kp);
            groups[g] = new IntervalGroup(g, planned.Interval, planned.SensorIndices, devices, planned.Ticks, state, kp);
        }
        fleet.Groups = groups;
        return fleet;
    }

    /// <summary>
    /// Where a device stands: a built-in city drawn by population (seeded), and coordinates within about 5 km of its
    /// centre (seeded jitter, metre resolution).
    /// </summary>
    public (City City, double Latitude, double Longitude) DeviceLocation(int device)
    {
        IReadOnlyList<City> cities = Cities.All;
        long[] cumulative = CityWeights();
        uint h = Hash32.Mix((uint)device * 0x27D4EB2Fu ^ (uint)Scenario.Seed ^ 0x165667B1u ^ (uint)(Scenario.Seed >> 32));
        double jitterLat = Hash32.Signed(Hash32.Mix(h ^ 0x68E31DA4u)) * 0.045;
        double jitterLon = Hash32.Signed(Hash32.Mix(h ^ 0xB5297A4Du)) * 0.045;
        if (EntryOf(device) is { Location: not null } e)
        {
            // A place of the identity file: its coordinates, else the centre of the built-in city of that name.
            City at = PlaceOf(e);
            return (at, e.Latitude ?? at.Latitude, e.Longitude ?? at.Longitude);
        }
        long pick = (long)((ulong)h * (ulong)cumulative[^1] >> 32);
        int index = Array.BinarySearch(cumulative, pick + 1);
        City city = cities[index < 0 ? ~index : index];
        return (city, Math.Round(city.Latitude + jitterLat, 5), Math.Round(city.Longitude + jitterLon, 5));
    }

    private long[]? _cityWeights;
    private Dictionary<IdentityFile.Entry, City>? _places;

    /// <summary>The place an identity entry names (cached, so encoders do not allocate): the built-in city with the file's overrides, or the file's own place.</summary>
    private City PlaceOf(IdentityFile.Entry e)
    {
        lock (this)
        {
            _places ??= new Dictionary<IdentityFile.Entry, City>(ReferenceEqualityComparer.Instance);
            if (_places.TryGetValue(e, out City? place)) return place;
            string name = e.Location!.Trim();
            City? known = Cities.Find(name);
            place = known is null
                ? new City(name, e.Country ?? "", e.Region ?? "", e.Latitude ?? 0, e.Longitude ?? 0, e.TimeZone ?? "UTC", 1)
                : known with { Country = e.Country ?? known.Country, Region = e.Region ?? known.Region, TimeZone = e.TimeZone ?? known.TimeZone };
            _places.Add(e, place);
            return place;
        }
    }

    private long[] CityWeights()
    {
        if (_cityWeights is { } w) return w;
        IReadOnlyList<City> cities = Cities.All;
        var cumulative = new long[Math.Min(cities.Count, Scenario.Device.NumberOfCities ?? int.MaxValue)];
        long total = 0;
        for (int i = 0; i < cumulative.Length; i++)
        {
            total += cities[i].Population;
            cumulative[i] = total;
        }
        return _cityWeights = cumulative;
    }

    /// <summary>Local solar hour at which a daily cycle peaks: noon for daylight sensors, mid-afternoon for temperatures, dawn for humidity.</summary>
    internal static double PeakHour(SensorDefinition def, bool daylight) => daylight ? 12 : def.Type switch
    {
        SensorType.Temperature => 15,
        SensorType.Humidity => 5,
        _ => 12,
    };

    /// <summary>Whether a sensor's daily cycle is solar output, zero between sunset and sunrise.</summary>
    internal static bool IsDaylight(SensorDefinition def) =>
        IsDaily(def) && def.Name.Contains("solar", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The equipment a sensor belongs to: its name up to the first <c>_&lt;number&gt;</c> part (<c>compressor_1_motor_power</c>
    /// → <c>compressor_1</c>), or null. Sensors of one industry sharing it share an operating state machine.
    /// </summary>
    public static string? EquipmentOf(SensorDefinition sensor)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        string name = sensor.Name;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] != '_' || i + 1 >= name.Length || !char.IsAsciiDigit(name[i + 1])) continue;
            int j = i + 1;
            while (j < name.Length && char.IsAsciiDigit(name[j])) j++;
            if (j < name.Length && name[j] == '_') return name[..j];
        }
        return null;
    }

    /// <summary>Sensor types whose value follows the equipment's state: at their minimum when it is stopped, ramping on restart.</summary>
    internal static bool FollowsEquipment(SensorType type) =>
        type is SensorType.Speed or SensorType.Power or SensorType.Current or SensorType.Flow or SensorType.Vibration;

    /// <summary>Equipment id per sensor (index into the fleet's equipment list), −1 when the sensor has none or is alone on it.</summary>
    private int[] EquipmentIds()
    {
        var ids = new int[Sensors.Count];
        var byName = new Dictionary<(string, string), List<int>>();
        for (int i = 0; i < Sensors.Count; i++)
        {
            ids[i] = -1;
            if (EquipmentOf(Sensors[i]) is { } equipment)
            {
                var key = (Sensors[i].Industry, equipment);
                if (!byName.TryGetValue(key, out var list)) byName[key] = list = [];
                list.Add(i);
            }
        }
        int next = 0;
        foreach (List<int> members in byName.Values)
        {
            if (members.Count < 2) continue;
            foreach (int i in members) ids[i] = next;
            next++;
        }
        return ids;
    }

    /// <summary>Whether a sensor has a daily cycle, which then follows the local solar clock.</summary>
    internal static bool IsDaily(SensorDefinition def) => def.Cyclic && def.CycleAmplitude > 0 && def.CyclePeriodSeconds == 86_400;

    /// <summary>
    /// What a reload may not change: everything that decides which readings exist and where they go (devices, shard,
    /// sensors and their names, types, units, precision and intervals, time range and mode, seed, shape, identities,
    /// sinks). Returns null when <paramref name="updated"/> differs from the running scenario only in what a reload
    /// applies (anomaly settings, sensors' normal parameters, the rate profile and speed), else the first difference.
    /// </summary>
    public string? ReloadBlocker(Scenario updated, IReadOnlyList<SensorDefinition> updatedSensors)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(updatedSensors);
        Scenario s = Scenario;
        if (updated.Seed != s.Seed) return "seed";
        if (updated.Devices != s.Devices) return "fleet.devices";
        if (!updated.Industries.SequenceEqual(s.Industries)) return "fleet.industries";
        if (updated.Interval != s.Interval) return "fleet.interval";
        DeviceOptions a0 = updated.Device, b0 = s.Device;
        if (a0 with { Identities = null, ManufacturerShares = null, ModelShares = null, FirmwareShares = null }
                != b0 with { Identities = null, ManufacturerShares = null, ModelShares = null, FirmwareShares = null }
            || !(a0.Identities ?? []).SequenceEqual(b0.Identities ?? []) || !a0.SameShares(b0))
        {
            return "fleet.device";
        }
        if (updated.Mode != s.Mode) return "time.mode";
        if (updated.Start != s.Start && updated.Start is not null) return "time.start";
        if (updated.Duration != s.Duration || updated.End != s.End) return "time.duration / time.end";
        if (updated.Shard != s.Shard) return "engine.shard";
        if (updated.Shape != s.Shape || !(updated.DeviceFields ?? []).SequenceEqual(s.DeviceFields ?? [])) return "output";
        if (!updated.Sinks.SequenceEqual(s.Sinks)) return "sinks";
        if (updated.Dirty != s.Dirty) return "dirty";
        if (updatedSensors.Count != Sensors.Count) return "custom_sensors (the number of sensors)";
        for (int i = 0; i < Sensors.Count; i++)
        {
            SensorDefinition a = Sensors[i], b = updatedSensors[i];
            if (a.Name != b.Name || a.Industry != b.Industry || a.Type != b.Type || a.Unit != b.Unit || a.Precision != b.Precision || a.Interval != b.Interval)
            {
                return $"sensor '{a.Name}' (its name, industry, type, unit, precision and interval are fixed while running)";
            }
        }
        return null;
    }

    /// <summary>
    /// Applies a reload checked by <see cref="ReloadBlocker"/>: new anomaly settings and sensor parameters, from the
    /// next batch on. Episode and equipment caches are dropped, so the new settings take effect at once.
    /// </summary>
    internal void Reload(Scenario updated, IReadOnlyList<SensorDefinition> updatedSensors)
    {
        Scenario = updated;
        Sensors = [.. updatedSensors];
        foreach (IntervalGroup group in Groups)
        {
            var kp = new KernelParams(updated.Seed, group.Index, group.Interval, updated.Anomalies);
            InitState(group.State, [.. group.SensorIndices], group.Interval, kp);
            group.State.Invalidate();
            group.Params = kp;
        }
    }

    private void InitState(SensorState s, int[] indices, TimeSpan interval, KernelParams kp)
    {
        int perDevice = indices.Length;
        bool anomaliesOn = Scenario.Anomalies.Enabled && kp.TotalWeight > 0;
        int[] equipment = EquipmentIds();
        int c = 0;
        for (int d = FirstDevice; d < EndDevice; d++)
        {
            double factor = anomaliesOn ? AnomalyFactor(d) * Scenario.Anomalies.ProbabilityScale : 0;
            var (manufacturer, _, _) = DeviceIdentity(d);
            var (noiseScale, offsetSpread, gainSpread) = DeviceModels.Accuracy.GetValueOrDefault(manufacturer, (1.0, 0.0, 0.0));
            var (_, latitude, longitude) = DeviceLocation(d);
            uint latTurns = TickContext.Turns(latitude / 360);
            float tanLat = DetMath.SinTurns(latTurns) / DetMath.SinTurns(latTurns + DetMath.QuarterTurn);
            tanLat = Math.Clamp(tanLat, -2.2f, 2.2f);
            for (int k = 0; k < perDevice; k++, c++)
            {
                int sensor = indices[k];
                SensorDefinition def = Sensors[sensor];
                long globalChannel = (long)d * Sensors.Count + sensor;
                uint key = Hash32.ChannelKey(Scenario.Seed, globalChannel);
                double range = def.Max - def.Min;
                bool status = def.Type == SensorType.Status;
                uint calibration = Hash32.Mix(key ^ 0x27D4EB2Fu);
                double gain = status ? 1 : 1 + gainSpread * Hash32.Signed(calibration);
                double offset = status ? 0 : offsetSpread * range * Hash32.Signed(Hash32.Mix(calibration));
                s.Key[c] = key;
                s.Nominal[c] = (float)(def.Nominal * gain + offset);
                s.Sigma[c] = (float)(def.NoiseStd * (status ? 1 : noiseScale) * gain);
                s.DriftAmp[c] = (float)(Math.Min(9 * def.DriftRate, 0.05 * range) * gain);
                double q = Math.Pow(10, def.Precision);
                // Bounds on the precision grid keep clamp-then-round inside [min, max].
                double gridMin = Math.Ceiling(def.Min * q - 1e-9) / q;
                double gridMax = Math.Floor(def.Max * q + 1e-9) / q;
                bool aligned = gridMin <= gridMax;
                s.Min[c] = (float)(aligned ? gridMin : def.Min);
                s.Max[c] = (float)(aligned ? gridMax : def.Max);
                s.Quantum[c] = (float)q;
                s.SlotProb[c] = (float)Math.Min(1.0, def.AnomalyProbability * factor * kp.SlotMinutes);
                double scale = def.AnomalyMagnitude * Math.Max(3 * def.NoiseStd, 0.05 * range);
                s.AnomScale[c] = (float)(status ? Math.Max(scale, 3 / q) : scale);
                bool cyclic = def.Cyclic && def.CycleAmplitude > 0;
                bool daily = IsDaily(def);
                bool daylight = IsDaylight(def);
                s.Amplitude[c] = cyclic ? (float)(def.CycleAmplitude * gain) : 0f;
                int eq = equipment[sensor];
                s.EqKey[c] = eq < 0 ? 0u : Hash32.Mix(Hash32.ChannelKey(Scenario.Seed ^ 0xE9u, (long)d * Sensors.Count + eq) ^ 0x68E31DA4u) | 1u;
                s.Flags[c] = (daily ? SensorState.DailyFlag : 0) | (daylight ? SensorState.DaylightFlag : 0) | (status ? SensorState.StatusFlag : 0)
                    | (eq >= 0 && FollowsEquipment(def.Type) ? SensorState.FollowsFlag : 0) | (eq >= 0 && status ? SensorState.EquipmentStatusFlag : 0);
                s.GateTan[c] = daylight ? -tanLat : 0f;
                // Ambient temperatures swing with the season, more at high latitudes, opposite in the south.
                s.SeasonAmp[c] = daily && !daylight && def.Type == SensorType.Temperature
                    ? (float)(2 * def.CycleAmplitude * gain * Math.Min(Math.Abs(latitude) / 45, 1.5) * Math.Sign(latitude))
                    : 0f;
                if (daily)
                {
                    // sin peaks at a quarter turn: at local solar time = peak hour, UTC day angle + longitude + phase = 0.25.
                    s.CycleStep[c] = 0;
                    s.Phase[c] = TickContext.Turns(longitude / 360 + 0.25 - PeakHour(def, daylight) / 24);
                }
                else
                {
                    // Non-cyclic sensors still get a 60-tick rhythm so a pattern anomaly has something to change.
                    double turnsPerTick = cyclic ? interval.TotalSeconds / def.CyclePeriodSeconds : 1.0 / 60;
                    s.CycleStep[c] = (uint)(ulong)Math.Round((turnsPerTick - Math.Floor(turnsPerTick)) * 4294967296.0);
                    s.Phase[c] = Hash32.Mix(key ^ 0x2545F491u);
                }
            }
        }
    }
}
