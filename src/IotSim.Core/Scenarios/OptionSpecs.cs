using IotSim.Core.Catalog;

namespace IotSim.Core.Scenarios;

/// <summary>
/// Every scenario option with its type, limits, form, command-line flag and CSV column: the one source of truth for the
/// YAML loader, the sensor CSV reader, the command line and (checked by a test) the JSON Schema.
/// </summary>
public static class OptionSpecs
{
    /// <summary>
    /// Largest |value| × 10^precision of a sensor: float32 keeps 24 bits of mantissa, so beyond 2^24 the last reported
    /// decimal would no longer be exact.
    /// </summary>
    public const double MaxScaledMagnitude = 16_777_216;

    /// <summary>Largest sensor bound, noise, drift or amplitude (2^24, the float32 integer limit).</summary>
    public const double MaxSensorMagnitude = MaxScaledMagnitude;

    private const string Sensor = "custom_sensors.sensors[].";
    private const string Sink = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec Seed = new() { Key = "seed", Flag = "--seed", Kind = OptionKind.Integer, Min = 0, Max = ulong.MaxValue, Description = "Seed of every random number; same seed and scenario, same output." };
    // Lazy: the catalog's industry names come from its CSV, whose reader uses the specs below.
    private static readonly Lazy<OptionSpec> s_industries = new(() => new() { Noun = "industry", Key = "fleet.industries", Flag = "--industries", Kind = OptionKind.Choice, Choices = IndustryChoices(), Description = "Built-in industries, 'all', or 'environmental' (the environmental device profile)." });

    public static OptionSpec Industries => s_industries.Value;
    public static readonly OptionSpec Devices = new() { Key = "fleet.devices", Flag = "--devices", Kind = OptionKind.Integer, Min = 1, Max = 100_000_000, Description = "Devices; each carries every selected sensor." };
    public static readonly OptionSpec Interval = new() { Key = "fleet.interval", Flag = "--interval", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(1), WholeMilliseconds = true, Description = "Overrides every sensor's reporting interval." };
    public static readonly OptionSpec IdPrefix = new() { Key = "fleet.device.id_prefix", Kind = OptionKind.Name, Description = "Device ids are {id_prefix}-{index:D6}." };
    public static readonly OptionSpec Manufacturer = new() { Noun = "manufacturer", Key = "fleet.device.manufacturer", Kind = OptionKind.Choice, Choices = DeviceModels.ManufacturerNames, Description = "A fixed manufacturer for every device." };
    public static readonly OptionSpec Model = new() { Noun = "model", Key = "fleet.device.model", Kind = OptionKind.Choice, Choices = [.. DeviceModels.ManufacturerNames.SelectMany(m => DeviceModels.Models[m])], Description = "A fixed model for every device." };
    public static readonly OptionSpec DeviceFieldsSpec = new() { Noun = "device field", Key = "output.device_fields", Flag = "--device-fields", Kind = OptionKind.Choice, Choices = ["all", .. Scenarios.DeviceFields.Names], Description = "Identity fields each row carries after the device id (a list; 'all' for every one)." };
    public static readonly OptionSpec IdStyle = new() { Noun = "id style", Key = "fleet.device.id_style", Kind = OptionKind.Choice, Choices = ["sequence", "city"], Default = "sequence", Description = "sequence: {id_prefix}-{index:D6}; city: the first three letters of the device's city and its index, [A-Z]{3}_[0-9]{6} (e.g. CHI_000042)." };
    public static readonly OptionSpec NumberOfCities = new() { Key = "fleet.device.number_of_cities", Kind = OptionKind.Integer, Min = 1, Max = 1000, Description = "Place devices in only the largest N built-in cities (default: all of them)." };
    public static readonly OptionSpec IdentityFile = new() { Key = "fleet.device.identity_file", Flag = "--identity-file", Kind = OptionKind.Text, IsPath = true, MaxLength = 4096, Description = "Identity JSON (flat or nested format; one object for every device, or an array with one per device)." };
    public static readonly OptionSpec DeviceShare = new() { Key = "fleet.device.{manufacturer|model|firmware}.{name}", Kind = OptionKind.Number, Min = 0, Max = 1000, Description = "Relative share of a manufacturer, model or firmware version across the fleet (a mapping of name to share instead of one fixed name)." };
    public static readonly OptionSpec Firmware = new() { Noun = "firmware version", Key = "fleet.device.firmware", Kind = OptionKind.Choice, Choices = DeviceModels.FirmwareVersions, Description = "A fixed firmware version for every device." };
    public static readonly OptionSpec Mode = new() { Noun = "time mode", Key = "time.mode", Flag = "--mode", Kind = OptionKind.Choice, Choices = ["backfill", "realtime", "rate"], Description = "backfill (as fast as possible), realtime (paced to the wall clock) or rate (paced to a target readings/s)." };
    public static readonly OptionSpec Rate = new() { Key = "time.rate", Flag = "--rate", Kind = OptionKind.Number, Min = 0, MinExclusive = true, Max = 1e10, Description = "Rate mode: target readings per second (a number, or a mapping with a profile: constant, ramp, steps, burst)." };
    public static readonly OptionSpec RateProfileKind = new() { Key = "time.rate.profile", Kind = OptionKind.Choice, Noun = "rate profile", Choices = ["constant", "ramp", "steps", "burst"], Description = "Shape of the target rate over time." };
    public static readonly OptionSpec RateValue = new() { Key = "time.rate.{value}", Kind = OptionKind.Number, Min = 0, Max = 1e10, Description = "A rate in readings per second." };
    public static readonly OptionSpec RateSpan = new() { Key = "time.rate.{span}", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(366), Description = "A span of time in a rate profile." };
    public static readonly OptionSpec Speed = new() { Key = "time.speed", Flag = "--speed", Kind = OptionKind.Number, Min = 0, MinExclusive = true, Max = 1e6, Description = "Realtime mode: simulated time runs this many times faster than the wall clock." };
    public static readonly OptionSpec Start = new() { Key = "time.start", Flag = "--start", Kind = OptionKind.Timestamp, Description = "First timestamp." };
    public static readonly OptionSpec Duration = new() { Key = "time.duration", Flag = "--duration", Kind = OptionKind.Duration, Description = "Simulated duration." };
    public static readonly OptionSpec End = new() { Key = "time.end", Flag = "--end", Kind = OptionKind.Timestamp, Description = "Exclusive end timestamp (instead of the duration)." };
    public static readonly OptionSpec Threads = new() { Key = "engine.threads", Flag = "--threads", Kind = OptionKind.Integer, Min = 0, Max = 1024, Description = "Generator threads (0 = one per core)." };
    public static readonly OptionSpec BatchSize = new() { Key = "engine.batch_size", Flag = "--batch-size", Kind = OptionKind.Integer, Min = 1, Max = 64 << 20, Description = "Readings per engine batch." };
    public static readonly OptionSpec Simd = new() { Noun = "SIMD width", Key = "engine.simd", Flag = "--simd", Kind = OptionKind.Choice, Choices = ["auto", "scalar", "v128", "v256", "v512"], Description = "Kernel vector width." };
    public static readonly OptionSpec Shards = new() { Key = "shards", Flag = "--shards", Kind = OptionKind.Integer, Min = 1, Max = 100_000_000, Description = "N: the shard count when a scheduler hands out the index (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job, AWS_BATCH_JOB_ARRAY_INDEX, NOMAD_ALLOC_INDEX; a Slurm array gives both): this process generates slice index/N. Also IOTSIM_SHARDS." };
    public static readonly OptionSpec Shard = new() { Key = "engine.shard", Flag = "--shard", Kind = OptionKind.Shard, Max = 100_000_000, Description = "i/N: generate slice i of N of the devices." };
    public static readonly OptionSpec Shape = new() { Noun = "output shape", Key = "output.shape", Flag = "--shape", Kind = OptionKind.Choice, Choices = ["narrow", "wide"], Description = "narrow (one row per reading) or wide (one row per device per timestamp)." };
    public static readonly OptionSpec AnomaliesEnabled = new() { Key = "anomalies.enabled", Kind = OptionKind.Boolean, Description = "Inject anomalies." };
    public static readonly OptionSpec ProbabilityScale = new() { Key = "anomalies.probability_scale", Kind = OptionKind.Number, Min = 0, Max = 1000, Description = "Multiplies every anomaly start probability." };
    public static readonly OptionSpec AnomalyEnabled = new() { Key = "anomalies.types.{kind}.enabled", Kind = OptionKind.Boolean, Description = "Inject this kind." };
    public static readonly OptionSpec AnomalyWeight = new() { Key = "anomalies.types.{kind}.weight", Kind = OptionKind.Number, Min = 0, Max = 1000, Description = "Relative frequency among enabled kinds." };
    public static readonly OptionSpec AnomalyDuration = new() { Key = "anomalies.types.{kind}.duration", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(5), WholeMilliseconds = true, Description = "How long an episode of this kind lasts (in time, whatever the interval)." };
    public static readonly OptionSpec DirtyLate = new() { Key = "dirty.late", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Share of device messages (a device's readings at one timestamp) delivered late, out of order." };
    public static readonly OptionSpec DirtyMaxDelay = new() { Default = "30s", Key = "dirty.max_delay", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(1), WholeMilliseconds = true, Description = "Longest delay of a late message (drawn uniformly from 1 ms up to it)." };
    public static readonly OptionSpec DirtyDuplicates = new() { Key = "dirty.duplicates", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Share of device messages delivered twice." };
    public static readonly OptionSpec DirtyNulls = new() { Key = "dirty.nulls", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Share of readings delivered with a null value." };
    public static readonly OptionSpec DirtyClockSkew = new() { Key = "dirty.clock_skew", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Share of devices whose clock is off by a fixed offset." };
    public static readonly OptionSpec DirtyMaxSkew = new() { Default = "2s", Key = "dirty.max_skew", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(1), WholeMilliseconds = true, Description = "Largest clock offset of a skewed device (drawn uniformly from plus or minus it)." };
    public static readonly OptionSpec DirtyLabels = new() { Key = "dirty.labels", Kind = OptionKind.Text, IsPath = true, MaxLength = 4096, Description = "CSV side channel listing every dirty reading: kind,timestamp,device_id,sensor,detail." };
    public static readonly OptionSpec CustomIndustry = new() { Key = "custom_sensors.industry", Column = "industry", Kind = OptionKind.Name, Description = "Industry label of custom sensors." };

    public static readonly OptionSpec SensorName = new() { Key = Sensor + "name", Column = "name", Kind = OptionKind.Name, Description = "Sensor name." };
    public static readonly OptionSpec SensorType = new() { Noun = "sensor type", Key = Sensor + "sensor_type", Column = "sensor_type", Kind = OptionKind.Choice, Choices = SensorTypes.Names, Description = "What the sensor measures." };
    public static readonly OptionSpec Unit = new() { Key = Sensor + "unit", Column = "unit", Kind = OptionKind.Text, MaxLength = 64, Description = "Engineering unit." };
    public static readonly OptionSpec MinValue = new() { Key = Sensor + "min_value", Column = "min_value", Kind = OptionKind.Number, Min = -MaxSensorMagnitude, Max = MaxSensorMagnitude, Description = "Physical minimum." };
    public static readonly OptionSpec MaxValue = new() { Key = Sensor + "max_value", Column = "max_value", Kind = OptionKind.Number, Min = -MaxSensorMagnitude, Max = MaxSensorMagnitude, Description = "Physical maximum." };
    public static readonly OptionSpec NominalValue = new() { Key = Sensor + "nominal_value", Column = "nominal_value", Kind = OptionKind.Number, Min = -MaxSensorMagnitude, Max = MaxSensorMagnitude, Description = "Steady-state value." };
    public static readonly OptionSpec NoiseStd = new() { Key = Sensor + "noise_std", Column = "noise_std", Kind = OptionKind.Number, Min = 0, Max = MaxSensorMagnitude, Description = "Absolute noise standard deviation." };
    public static readonly OptionSpec DriftRate = new() { Key = Sensor + "drift_rate", Column = "drift_rate", Kind = OptionKind.Number, Min = 0, Max = MaxSensorMagnitude, Description = "Drift speed in the unit per hour: drift is a smooth bounded curve through random levels 6 hours apart, within ±min(9 × drift_rate, 5% of the range)." };
    public static readonly OptionSpec AnomalyProbability = new() { Key = Sensor + "anomaly_probability", Column = "anomaly_probability", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Chance that an anomaly starts in any given minute of the sensor's time (before device factors); independent of the interval." };
    public static readonly OptionSpec AnomalyMagnitude = new() { Key = Sensor + "anomaly_magnitude", Column = "anomaly_magnitude", Kind = OptionKind.Number, Min = 0, Max = 1000, Description = "Anomaly size multiplier." };
    public static readonly OptionSpec Cyclic = new() { Key = Sensor + "cyclic", Column = "cyclic", Kind = OptionKind.Boolean, Description = "Add a sinusoidal cycle." };
    public static readonly OptionSpec CyclePeriod = new() { Key = Sensor + "cycle_period_seconds", Column = "cycle_period_seconds", Kind = OptionKind.Number, Min = 0, MinExclusive = true, Max = 1e9, Description = "Cycle period in seconds." };
    public static readonly OptionSpec CycleAmplitude = new() { Key = Sensor + "cycle_amplitude", Column = "cycle_amplitude", Kind = OptionKind.Number, Min = 0, Max = MaxSensorMagnitude, Description = "Absolute cycle amplitude." };
    public static readonly OptionSpec Precision = new() { Key = Sensor + "precision", Column = "precision", Kind = OptionKind.Integer, Min = 0, Max = 6, Description = "Decimal digits reported." };
    public static readonly OptionSpec SensorInterval = new() { Key = Sensor + "interval", Column = "interval_seconds", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(1), WholeMilliseconds = true, Description = "Reporting interval (CSV: seconds)." };

    public static readonly OptionSpec SinkType = new() { Noun = "sink type", Key = Sink + "type", Flag = "--sink", Kind = OptionKind.Choice, Choices = SinkOptions.Types, Description = "Sink type." };
    public static readonly OptionSpec SinkName = new() { Default = "the type (file1, file2, ... when repeated)", Key = Sink + "name", Kind = OptionKind.Name, Description = "Sink name in reports and file names." };
    public static readonly OptionSpec ConsoleFormat = new() { Default = "text", Noun = "console format", Key = Sink + "format (console)", Flag = "--format", Kind = OptionKind.Choice, Choices = ["text", "json", "line"], Description = "Console format (line: InfluxDB line protocol)." };
    public static readonly OptionSpec FileFormat = new() { Default = "csv", Noun = "file format", Key = Sink + "format (file)", Flag = "--output-format", Kind = OptionKind.Choice, Choices = ["csv", "jsonl", "line"], Description = "File format (line: InfluxDB line protocol, .lp files)." };
    public static readonly OptionSpec SinkPath = new() { Default = "./output", Key = Sink + "path", Flag = "--output", Kind = OptionKind.Text, IsPath = true, MaxLength = 4096, Description = "Output folder of a file sink." };
    public static readonly OptionSpec Rotation = new() { Key = Sink + "rotation", Flag = "--rotation", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromDays(366), Description = "Start a new file every span of data time." };
    public static readonly OptionSpec MaxBytes = new() { Key = Sink + "max_bytes", Kind = OptionKind.Size, Min = 4096, Description = "Start a new file after this many bytes." };
    public static readonly OptionSpec Compression = new() { Default = "none", Noun = "compression", Key = Sink + "compression", Flag = "--compression", Kind = OptionKind.Choice, Choices = ["none", "gzip", "lz4"], Description = "File compression." };
    public static readonly OptionSpec QueueCapacity = new() { Default = "4", Key = Sink + "queue_capacity", Kind = OptionKind.Integer, Min = 1, Max = 1024, Description = "Engine batches queued for the sink before the backpressure policy applies." };
    public static readonly OptionSpec MaxBuffer = new() { Key = Sink + "max_buffer", Kind = OptionKind.Integer, Min = 1, Max = 1L << 40, Description = "Readings held for the sink before the backpressure policy applies (instead of queue_capacity; whole engine batches, at most 1024)." };
    public static readonly OptionSpec FlushInterval = new() { Key = Sink + "flush_interval", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromHours(1), Description = "Once no batch has arrived for this long, the sink hands over what it buffers (IReadingSink.FlushAsync)." };
    public static readonly OptionSpec Backpressure = new() { Default = "block", Key = Sink + "backpressure", Kind = OptionKind.Choice, Noun = "backpressure policy", Choices = ["block", "drop_oldest", "drop_newest"], Description = "When the sink's queue is full: block the generator, or drop the oldest or the newest queued batch (every dropped reading is counted)." };
    public static readonly OptionSpec Retries = new() { Default = "3", Key = Sink + "retries", Kind = OptionKind.Integer, Min = 0, Max = 100, Description = "Attempts after a failed write before the sink is marked failed (errors that cannot heal are never retried)." };
    public static readonly OptionSpec RetryDelay = new() { Default = "100ms", Key = Sink + "retry_delay", Kind = OptionKind.Duration, MinDuration = TimeSpan.Zero, MaxDuration = TimeSpan.FromMinutes(10), Description = "Delay before the first retry; it doubles for each further one." };
    public static readonly OptionSpec RetryMaxDelay = new() { Default = "10s", Key = Sink + "retry_max_delay", Kind = OptionKind.Duration, MinDuration = TimeSpan.Zero, MaxDuration = TimeSpan.FromHours(1), Description = "Longest delay between retries." };
    public static readonly OptionSpec RetryJitter = new() { Default = "0.2", Key = Sink + "retry_jitter", Kind = OptionKind.Number, Min = 0, Max = 1, Description = "Random share of each delay taken off, so many sinks do not retry in step." };
    public static readonly OptionSpec Parallelism = new() { Default = "1", Key = Sink + "parallelism", Kind = OptionKind.Integer, Min = 1, Max = 64, Description = "Concurrent writers, for sink types that support them (ordered sinks take 1)." };
    public static readonly OptionSpec SinkBatchSize = new() { Default = "the engine batch", Key = Sink + "batch_size", Kind = OptionKind.Integer, Min = 1, Max = 64 << 20, Description = "Readings per write call handed to the sink's target (an encoded chunk, a COPY, a message batch); distinct from the engine's batch (engine.batch_size)." };
    public static readonly OptionSpec MonitorListen = new() { Key = "monitoring.listen", Flag = "--monitor", Kind = OptionKind.Text, MaxLength = 300, Description = "Serve the monitoring API and dashboard on HOST:PORT (127.0.0.1:8080; 0.0.0.0:8080 for every interface; port 0 picks a free port, printed at start)." };
    public static readonly OptionSpec MonitorToken = new() { Key = "monitoring.token", Kind = OptionKind.Text, MaxLength = 4096, Description = "Bearer token every monitoring request must carry (Authorization: Bearer TOKEN); ${NAME} reads an environment variable. Never printed." };
    public static readonly OptionSpec MonitorLagThreshold = new() { Default = "30s", Key = "monitoring.lag_threshold", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(1), MaxDuration = TimeSpan.FromDays(1), Description = "/healthz answers 503 while generation lags its schedule by more than this." };
    public static readonly OptionSpec MonitorSamples = new() { Default = "100", Key = "monitoring.samples", Kind = OptionKind.Integer, Min = 1, Max = 10_000, Description = "Latest readings kept for /samplez." };
#pragma warning restore CS1591

    /// <summary>The keys every sink takes, in the order of <see cref="SinkOptions.CommonKeys"/>.</summary>
    public static IReadOnlyList<OptionSpec> SinkCommon =>
    [
        SinkType, SinkName, QueueCapacity, MaxBuffer, FlushInterval, SinkBatchSize, Backpressure, Retries, RetryDelay, RetryMaxDelay,
        RetryJitter, Parallelism,
    ];

    /// <summary>Every option, for documentation and the consistency tests.</summary>
    public static IReadOnlyList<OptionSpec> All =>
    [
        Seed, Industries, Devices, Interval, IdPrefix, Manufacturer, Model, Firmware, IdStyle, NumberOfCities, IdentityFile, DeviceShare, DeviceFieldsSpec, Mode, Rate, Speed, Start, Duration, End, Threads,
        BatchSize, Simd, Shard, Shape, AnomaliesEnabled, ProbabilityScale, AnomalyEnabled, AnomalyWeight, AnomalyDuration,
        DirtyLate, DirtyMaxDelay, DirtyDuplicates, DirtyNulls, DirtyClockSkew, DirtyMaxSkew, DirtyLabels,
        CustomIndustry, SensorName, SensorType, Unit, MinValue, MaxValue, NominalValue, NoiseStd, DriftRate,
        AnomalyProbability, AnomalyMagnitude, Cyclic, CyclePeriod, CycleAmplitude, Precision, SensorInterval, SinkType,
        SinkName, ConsoleFormat, FileFormat, SinkPath, Rotation, MaxBytes, Compression, QueueCapacity, SinkBatchSize,
        MaxBuffer, FlushInterval, Backpressure, Retries, RetryDelay, RetryMaxDelay, RetryJitter, Parallelism,
        MonitorListen, MonitorToken, MonitorLagThreshold, MonitorSamples,
    ];

    private static string[] IndustryChoices() => ["all", SensorCatalog.EnvironmentalProfile, .. SensorCatalog.Industries];
}
