using System.Buffers;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using IotSim.Core;
using IotSim.Core.Encoders;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Kafka;

/// <summary>Settings of a <see cref="KafkaSink"/>.</summary>
public sealed record KafkaSinkOptions
{
    /// <summary>Name in reports.</summary>
    public string Name { get; init; } = "kafka";

    /// <summary>bootstrap.servers.</summary>
    public required string Brokers { get; init; }

    /// <summary>Topic; <c>{industry}</c> is replaced by each reading's industry.</summary>
    public string Topic { get; init; } = "iotsim";

    /// <summary><c>json</c> or <c>csv</c>: one reading per message.</summary>
    public string Format { get; init; } = "json";

    /// <summary>Message key: <c>device</c> (the device id) or <c>none</c>.</summary>
    public string Key { get; init; } = "device";

    /// <summary>Further librdkafka properties (acks, compression.type, linger.ms, enable.idempotence, security...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>How long <see cref="KafkaSink.CompleteAsync"/> waits for outstanding delivery reports.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Produces one message per reading (JSON or CSV, as the file sink writes them) through Confluent.Kafka. When
/// librdkafka's queue is full the writer waits (block), never drops. Delivered counts the messages the brokers
/// acknowledged in delivery reports; failed reports are counted as failed with the first error kept.
/// </summary>
public sealed class KafkaSink : IReadingSink
{
    private static readonly Lock s_loadLock = new();
    private static bool s_loaded;

    private readonly KafkaSinkOptions _options;
    private readonly ArrayBufferWriter<byte> _lines = new(1 << 20);
    private readonly Action<DeliveryReport<byte[]?, byte[]>> _onDelivery;
    private IProducer<byte[]?, byte[]>? _producer;
    private TextLineWriter? _writer;
    private Fleet? _fleet;
    private string[]? _topicOf;
    private long _delivered;
    private long _failed;
    private string? _firstError;

    /// <summary>A sink with <paramref name="options"/>.</summary>
    public KafkaSink(KafkaSinkOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, report.Error.Reason, null);
            }
            else
            {
                Interlocked.Increment(ref _delivered);
            }
        };
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _delivered);

    /// <inheritdoc/>
    public string? Location => $"{_options.Brokers} topic {_options.Topic}: {ConfirmedReadings:N0} messages acknowledged{(Interlocked.Read(ref _failed) > 0 ? $", {_failed:N0} failed ({_firstError})" : "")}";

    /// <summary>
    /// Loads librdkafka from the librdkafka.redist package beside the program: on glibc Linux its <c>centos8</c> build,
    /// which links with the system's OpenSSL (the default build does not load on Debian 12).
    /// </summary>
    public static void LoadNativeLibrary()
    {
        lock (s_loadLock)
        {
            if (s_loaded) return;
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                string[] candidates =
                [
                    Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so"),
                    Path.Combine(AppContext.BaseDirectory, "centos8-librdkafka.so"),
                ];
                if (candidates.FirstOrDefault(File.Exists) is { } path)
                {
                    // Confluent.Kafka's loader calls dlopen through "libdl", which glibc 2.34+ (Debian 12) ships only as
                    // libdl.so.2 (merged into libc): resolve both names for its assembly.
                    NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name switch
                    {
                        "libdl" => NativeLibrary.Load("libdl.so.2"),
                        "librdkafka" => NativeLibrary.Load(path),
                        _ => 0,
                    });
                    Library.Load(path);
                }
            }
            s_loaded = true;
        }
    }

    /// <summary>Builds the producer configuration; an unknown or invalid property fails here, naming it.</summary>
    public ProducerConfig Config()
    {
        var config = new ProducerConfig { BootstrapServers = _options.Brokers, ClientId = "iotsim" };
        foreach (var (key, value) in _options.Properties) config.Set(key, value);
        return config;
    }

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        _fleet = fleet ?? throw new ArgumentNullException(nameof(fleet));
        LoadNativeLibrary();
        try
        {
            _producer = new ProducerBuilder<byte[]?, byte[]>(Config()).Build();
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            throw new ConfigException(null, 0, "properties", $"{Name}: librdkafka refuses the configuration: {e.Message}");
        }
        _writer = new TextLineWriter(fleet, _options.Format);
        _topicOf = [.. fleet.Sensors.Select(s => _options.Topic.Replace("{industry}", s.Industry, StringComparison.Ordinal))];
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IProducer<byte[]?, byte[]> producer = _producer ?? throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        _lines.ResetWrittenCount();
        _writer!.Write(batch, _lines);
        ReadOnlyMemory<byte> text = _lines.WrittenMemory;
#pragma warning disable IOTSIM001
        var walker = new SegmentWalker(batch);
#pragma warning restore IOTSIM001
        int start = 0;
        while (start < text.Length)
        {
            int end = text.Span[start..].IndexOf((byte)'\n') + start;
            walker.MoveNext();
            var message = new Message<byte[]?, byte[]> { Value = text.Span[start..end].ToArray() };
            if (_options.Key == "device") message.Key = KeyOf(walker.Device);
            string topic = _topicOf![walker.Sensor];
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, _onDelivery);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // Block, never drop: let librdkafka deliver what it holds, then try again.
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            start = end + 1;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>The device's id as a message key, encoded once per device (librdkafka copies keys, so one array serves every message).</summary>
    private byte[] KeyOf(int device)
    {
        Fleet fleet = _fleet!;
        _keys ??= new byte[fleet.EndDevice - fleet.FirstDevice][];
        return _keys[device - fleet.FirstDevice] ??= System.Text.Encoding.UTF8.GetBytes(fleet.DeviceId(device));
    }

    private byte[]?[]? _keys;

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        IProducer<byte[]?, byte[]>? producer = _producer;
        if (producer is null) return ValueTask.CompletedTask;
        int left = producer.Flush(_options.FlushTimeout);
        if (left > 0)
        {
            throw new IOException($"{Name}: {left:N0} messages still undelivered after {_options.FlushTimeout.TotalSeconds:0} s ({_firstError ?? "no delivery report yet"})");
        }
        if (Interlocked.Read(ref _failed) > 0)
        {
            throw new IOException($"{Name}: {_failed:N0} messages failed: {_firstError}");
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _producer?.Dispose();
        _producer = null;
        return ValueTask.CompletedTask;
    }
}
