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
    public static readonly OptionSpec Format = new() { Default = "json", Noun = "message format", Key = Key + "format (kafka)", Kind = OptionKind.Choice, Choices = ["json", "csv"], Description = "One reading per message: a JSON object or a CSV row, as the file sink writes them." };
    public static readonly OptionSpec MessageKey = new() { Default = "device", Noun = "message key", Key = Key + "key", Kind = OptionKind.Choice, Choices = ["device", "none"], Description = "Message key: the device id (a device's readings stay in order on one partition) or none." };
    public static readonly OptionSpec Properties = new() { Key = Key + "properties", Kind = OptionKind.Text, MaxLength = 65536, Description = "Further librdkafka properties as name=value pairs separated by ';' (acks=all;compression.type=lz4;linger.ms=5;enable.idempotence=true); ${NAME} reads an environment variable. An unknown or invalid property stops the run before anything is generated, with librdkafka's message." };
    public static readonly OptionSpec FlushTimeout = new() { Default = "60s", Key = Key + "flush_timeout", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromHours(1), Description = "How long the end of the run waits for outstanding delivery reports." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "kafka";

    /// <inheritdoc/>
    public string Description => "Kafka topics through Confluent.Kafka (librdkafka): one JSON or CSV reading per message, keyed by device; a full producer queue blocks, never drops; delivered = messages acknowledged in delivery reports.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [Brokers, Topic, Format, MessageKey, Properties, FlushTimeout];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, Format.Choices);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        string brokers = options.Setting("brokers") ?? throw context.Error(options, "brokers", "a kafka sink needs brokers, e.g. brokers: 127.0.0.1:9092");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SinkSettings.Secret(options, context, Properties) is { } text)
        {
            foreach (string pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw context.Error(options, "properties", $"'{Core.Util.Excerpt.Of(pair.Split('=')[0])}…' is not name=value (pairs are separated by ';')");
                properties[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
        return new KafkaSink(new KafkaSinkOptions
        {
            Name = options.Name ?? Type,
            Brokers = brokers,
            Topic = options.Setting("topic") ?? "iotsim",
            Format = SinkSettings.Choice(options, context, Format) ?? "json",
            Key = SinkSettings.Choice(options, context, MessageKey) ?? "device",
            Properties = properties,
            FlushTimeout = SinkSettings.Duration(options, context, FlushTimeout) ?? TimeSpan.FromSeconds(60),
        });
    }
}
