using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Kafka;

/// <summary>The <c>kafka</c> sink type: register it with <c>registry.Register(new KafkaSinkProvider())</c>.</summary>
public sealed class KafkaSinkProvider : ISinkProvider
{
    private const string Key = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec Brokers = new() { Key = Key + "brokers", Kind = OptionKind.Text, MaxLength = 4096, Description = "bootstrap.servers, e.g. 127.0.0.1:9092,127.0.0.1:9093." };
    public static readonly OptionSpec Topic = new() { Default = "iotsim", Key = Key + "topic", Kind = OptionKind.Text, MaxLength = 249, Description = "Topic; {industry} is replaced by each reading's industry (plant.{industry})." };
    public static readonly OptionSpec Format = new() { Default = "json", Noun = "message format", Key = Key + "format (kafka)", Kind = OptionKind.Choice, Choices = ["json", "csv", "device-json", "columnar"], Description = "json or csv: one reading per message, as the file sink writes them; device-json: one JSON object per device and timestamp with every sensor due (the wide shape's JSON); columnar: many readings per message in a binary frame of columns, LZ4-compressed (layout in the README)." };
    public static readonly OptionSpec MessageKey = new() { Noun = "message key", Key = Key + "key", Kind = OptionKind.Choice, Choices = ["device", "sensor", "none"], Description = "Message key: the device id (a device's readings stay in order on one partition), the sensor name, or none. Default: device; none for columnar, which allows only none." };
    public static readonly OptionSpec Headers = new() { Key = Key + "headers", Kind = OptionKind.Boolean, Description = "Give every message the headers iotsim.scenario (the scenario file's name), iotsim.seed and iotsim.shard (i/N). Default: true for device-json and columnar; false for json and csv, where librdkafka's per-message header allocations cost about half the message rate." };
    public static readonly OptionSpec FrameReadings = new() { Default = "10000", Key = Key + "frame_readings", Kind = OptionKind.Integer, Min = 1, Max = 1_000_000, Description = "columnar: readings per frame at most (19 bytes each before compression; keep frames under the brokers' message.max.bytes)." };
    public static readonly OptionSpec FrameCompression = new() { Default = "lz4", Noun = "frame compression", Key = Key + "frame_compression", Kind = OptionKind.Choice, Choices = ["lz4", "none"], Description = "columnar: compress each frame's body with LZ4 (block format) when that makes it smaller." };
    public static readonly OptionSpec Properties = new() { Key = Key + "properties", Kind = OptionKind.Text, IsMap = true, MaxLength = 65536, Description = "Further librdkafka properties: a mapping (acks: all, compression.type: lz4, linger.ms: 5, enable.idempotence: true), or name=value pairs separated by ';'; ${NAME} in a value reads an environment variable. An unknown or invalid property stops the run before anything is generated, with librdkafka's message." };
    public static readonly OptionSpec FlushTimeout = new() { Default = "60s", Key = Key + "flush_timeout", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromHours(1), Description = "How long the end of the run waits for outstanding delivery reports." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "kafka";

    /// <inheritdoc/>
    public string Description => "Kafka topics through librdkafka: JSON or CSV readings, device rows or columnar frames per message, keyed by device, sensor or none, with scenario/seed/shard headers; a full producer queue blocks, never drops; delivered = readings in messages acknowledged in delivery reports.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [Brokers, Topic, Format, MessageKey, Headers, FrameReadings, FrameCompression, Properties, FlushTimeout];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, Format.Choices);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        string brokers = options.Setting("brokers") ?? throw context.Error(options, "brokers", "a kafka sink needs brokers, e.g. brokers: 127.0.0.1:9092");
        Dictionary<string, string> properties = SinkSettings.Pairs(options, context, Properties);
        string format = SinkSettings.Choice(options, context, Format) ?? "json";
        string? key = SinkSettings.Choice(options, context, MessageKey);
        if (format == "columnar" && key is "device" or "sensor")
        {
            throw context.Error(options, "key", $"a columnar frame holds many devices and sensors, so its key can only be none (not {key})");
        }
        if (format == "device-json" && key == "sensor")
        {
            throw context.Error(options, "key", "a device-json message holds all of a device's sensors, so its key is device or none (not sensor)");
        }
        return new KafkaSink(new KafkaSinkOptions
        {
            Name = options.Name ?? Type,
            Brokers = brokers,
            Topic = options.Setting("topic") ?? "iotsim",
            Format = format,
            Key = key,
            Headers = SinkSettings.Boolean(options, context, Headers),
            FrameReadings = (int)(SinkSettings.Integer(options, context, FrameReadings) ?? 10_000),
            FrameLz4 = (SinkSettings.Choice(options, context, FrameCompression) ?? "lz4") == "lz4",
            Properties = properties,
            FlushTimeout = SinkSettings.Duration(options, context, FlushTimeout) ?? TimeSpan.FromSeconds(60),
        });
    }
}
