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

    /// <summary>
    /// <c>json</c> or <c>csv</c> (one reading per message), <c>device-json</c> (one message per device and timestamp
    /// with all its sensors due) or <c>columnar</c> (many readings per message in a <see cref="ColumnarFrame"/>).
    /// </summary>
    public string Format { get; init; } = "json";

    /// <summary>Message key: <c>device</c> (the device id), <c>sensor</c> (the sensor name) or <c>none</c>; null picks
    /// <c>device</c>, or <c>none</c> for <c>columnar</c>.</summary>
    public string? Key { get; init; }

    /// <summary>
    /// Whether each message carries the headers <c>iotsim.scenario</c>, <c>iotsim.seed</c> and <c>iotsim.shard</c>; null
    /// picks true for <c>device-json</c> and <c>columnar</c>, false for <c>json</c> and <c>csv</c> (one reading per
    /// message), where librdkafka's per-message header allocations cost about half the message rate.
    /// </summary>
    public bool? Headers { get; init; }

    /// <summary>Readings per <c>columnar</c> frame (at most).</summary>
    public int FrameReadings { get; init; } = 10_000;

    /// <summary>Whether <c>columnar</c> frames are LZ4-compressed (when that makes them smaller).</summary>
    public bool FrameLz4 { get; init; } = true;

    /// <summary>Further librdkafka properties (acks, compression.type, linger.ms, enable.idempotence, security...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>How long <see cref="KafkaSink.CompleteAsync"/> waits for outstanding delivery reports.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Produces readings to Kafka through librdkafka: JSON or CSV lines (one reading per message, as the file sink writes
/// them), device rows (<c>device-json</c>) or columnar frames. Messages go to librdkafka in arrays
/// (<c>rd_kafka_produce_batch</c>), or one by one when they carry headers; when librdkafka's queue is full the writer
/// waits (block), never drops. Delivered counts the readings of the messages the brokers acknowledged in delivery
/// reports; failed reports are counted as failed with the first error kept. Confluent.Kafka loads the native library
/// and serves everything but the produce path (tests consume with it).
/// </summary>
public sealed class KafkaSink : IReadingSink
{
    private static readonly Lock s_loadLock = new();
    private static nint s_library;

    /// <summary>Devices encoded per call: bounds the text held at once.</summary>
    private const int DevicesPerChunk = 1024;

    /// <summary>Messages per <c>rd_kafka_produce_batch</c> call.</summary>
    private const int MessagesPerCall = 1024;

    private readonly KafkaSinkOptions _options;
    private readonly string _key;
    private readonly KeyKind _keyKind;
    private readonly bool _headers;
    private readonly ArrayBufferWriter<byte> _lines = new(1 << 20);
    private NativeProducer? _producer;
    private TextLineWriter? _writer;
    private ColumnarFrameWriter[]? _frames;
    private Fleet? _fleet;
    private int[] _topicOfSensor = [];
    private nint[] _topics = [];
    private string[] _topicNames = [];
    private Pending[] _pending = new Pending[4096];
    private RdKafka.Message[] _messages = new RdKafka.Message[MessagesPerCall];
    private byte[] _keyArena = new byte[1 << 16];
    private int _keyArenaUsed;
    private int[] _deviceKey = [];
    private int[] _sensorKey = [];
    private int[] _runEnd = new int[16];
    private long _finalDelivered = -1;
    private long _finalFailed;
    private string? _finalReason;

    /// <summary>A sink with <paramref name="options"/>.</summary>
    public KafkaSink(KafkaSinkOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _key = options.Key ?? (options.Format == "columnar" ? "none" : "device");
        _headers = options.Headers ?? options.Format is "device-json" or "columnar";
        if (options.Format is not ("json" or "csv" or "device-json" or "columnar"))
        {
            throw new ArgumentException($"format '{options.Format}' is not json, csv, device-json or columnar", nameof(options));
        }
        _keyKind = _key switch
        {
            "device" => KeyKind.Device,
            "sensor" => KeyKind.Sensor,
            "none" => KeyKind.None,
            _ => throw new ArgumentException($"key '{_key}' is not device, sensor or none", nameof(options)),
        };
        if (options.Format == "columnar" && _key != "none")
        {
            throw new ArgumentException("a columnar frame holds many devices and sensors: its key can only be none", nameof(options));
        }
        if (options.Format == "device-json" && _key == "sensor")
        {
            throw new ArgumentException("a device-json message holds all of a device's sensors: its key is device or none", nameof(options));
        }
        if (options.FrameReadings is < 1 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(options), "frame readings: 1 to 1,000,000");
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <inheritdoc/>
    public long? ConfirmedReadings => _finalDelivered >= 0 ? _finalDelivered : _producer?.DeliveredReadings ?? 0;

    /// <inheritdoc/>
    public string? Location
    {
        get
        {
            long failed = _producer?.FailedReadings ?? _finalFailed;
            string? reason = _producer?.FailureReason ?? _finalReason;
            return $"{_options.Brokers} topic {_options.Topic}: {ConfirmedReadings:N0} readings acknowledged{(failed > 0 ? $", {failed:N0} failed ({reason})" : "")}";
        }
    }

    /// <summary>The loaded librdkafka (after <see cref="LoadNativeLibrary"/>).</summary>
    internal static nint NativeLibraryHandle => s_library;

    /// <summary>
    /// Loads librdkafka from the librdkafka.redist package beside the program: on glibc Linux its <c>centos8</c> build,
    /// which links with the system's OpenSSL (the default build does not load on Debian 12). Both Confluent.Kafka and
    /// the sink's produce path use this one library.
    /// </summary>
    public static void LoadNativeLibrary()
    {
        lock (s_loadLock)
        {
            if (s_library != 0) return;
            string? path = null;
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                string[] candidates =
                [
                    Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so"),
                    Path.Combine(AppContext.BaseDirectory, "centos8-librdkafka.so"),
                ];
                path = candidates.FirstOrDefault(File.Exists);
            }
            if (path is not null)
            {
                // Confluent.Kafka's loader calls dlopen through "libdl", which glibc 2.34+ (Debian 12) ships only as
                // libdl.so.2 (merged into libc): resolve both names for its assembly.
                string found = path;
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name switch
                {
                    "libdl" => NativeLibrary.Load("libdl.so.2"),
                    "librdkafka" => NativeLibrary.Load(found),
                    _ => 0,
                });
                Library.Load(path);
                s_library = NativeLibrary.Load(path);
            }
            else
            {
                Library.Load();
                s_library = NativeLibrary.Load("librdkafka", typeof(Library).Assembly, null);
            }
            RdKafka.Bind(s_library);
        }
    }

    /// <summary>The producer's librdkafka properties: bootstrap.servers, client.id, then <see cref="KafkaSinkOptions.Properties"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Config()
    {
        yield return new("bootstrap.servers", _options.Brokers);
        yield return new("client.id", "iotsim");
        foreach (var pair in _options.Properties) yield return pair;
    }

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        _fleet = fleet ?? throw new ArgumentNullException(nameof(fleet));
        LoadNativeLibrary();
        string[] topicOf = [.. fleet.Sensors.Select(s => _options.Topic.Replace("{industry}", s.Industry, StringComparison.Ordinal))];
        _topicNames = [.. topicOf.Distinct(StringComparer.Ordinal)];
        if (_options.Format == "device-json" && _topicNames.Length > 1)
        {
            throw new ConfigException(null, 0, "topic", $"{Name}: a device-json message holds all of a device's sensors, which here belong to {_topicNames.Length} industries; " +
                "{industry} in the topic needs one reading per message (json, csv) or columnar frames; use a fixed topic");
        }
        _topicOfSensor = [.. topicOf.Select(t => Array.IndexOf(_topicNames, t))];
        List<KeyValuePair<string, string>> headers = _headers
            ?
            [
                new("iotsim.scenario", fleet.Scenario.SourcePath is { } source ? Path.GetFileNameWithoutExtension(source) : "scenario"),
                new("iotsim.seed", fleet.Scenario.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("iotsim.shard", fleet.Scenario.Shard.ToString()),
            ]
            : [];
        try
        {
            _producer = NativeProducer.Create(Config(), headers);
            _topics = [.. _topicNames.Select(_producer.Topic)];
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(null, 0, "properties", $"{Name}: librdkafka refuses the configuration: {e.Message}");
        }
        _deviceKey = new int[fleet.EndDevice - fleet.FirstDevice];
        _sensorKey = new int[fleet.Sensors.Count];
        Array.Fill(_deviceKey, -1);
        Array.Fill(_sensorKey, -1);
        if (_options.Format == "columnar")
        {
            _frames = [.. _topicNames.Select(_ => new ColumnarFrameWriter(fleet, _options.FrameReadings, _options.FrameLz4))];
        }
        else
        {
#pragma warning disable IOTSIM001
            _writer = new TextLineWriter(fleet, _options.Format);
#pragma warning restore IOTSIM001
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_producer is null) throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        switch (_options.Format)
        {
            case "columnar":
                WriteFrames(batch, cancellationToken);
                break;
            case "device-json":
                WriteDeviceRows(batch, cancellationToken);
                break;
            default:
                WriteReadings(batch, cancellationToken);
                break;
        }
        _producer.Poll();
        return ValueTask.CompletedTask;
    }

    /// <summary>One message per reading: encode devices a chunk at a time, pair each line with its reading, hand over.</summary>
    private void WriteReadings(ReadingBatch batch, CancellationToken cancellationToken)
    {
#pragma warning disable IOTSIM001
        var walker = new SegmentWalker(batch);
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        for (int s = 0; s < segments.Length; s++)
        {
            int devices = segments[s].ChannelCount / _fleet!.Groups[segments[s].Group].SensorsPerDevice;
            for (int from = 0; from < devices; from += DevicesPerChunk)
            {
                _lines.ResetWrittenCount();
                _writer!.WriteDevices(batch, s, from, Math.Min(DevicesPerChunk, devices - from), _lines);
                ReadOnlySpan<byte> text = _lines.WrittenSpan;
                int count = 0, start = 0;
                while (start < text.Length)
                {
                    int end = LineEnd(text, start);
                    if (!walker.MoveNext()) throw new InvalidOperationException($"{Name}: more lines than readings in a batch");
                    int key = _keyKind switch
                    {
                        KeyKind.Device => DeviceKey(walker.Device),
                        KeyKind.Sensor => SensorKey(walker.Sensor),
                        _ => -1,
                    };
                    Stage(ref count, new Pending(start, end - start, key, 1, _topicOfSensor[walker.Sensor]));
                    start = end + 1;
                }
                Send(count, cancellationToken);
            }
        }
#pragma warning restore IOTSIM001
    }

    /// <summary>
    /// The end of the line starting at <paramref name="start"/>: the next newline outside CSV quotes (a quoted cell,
    /// e.g. an identity file's text, may hold a newline; JSON escapes them).
    /// </summary>
    private static int LineEnd(ReadOnlySpan<byte> text, int start)
    {
        int end = text[start..].IndexOf((byte)'\n') + start;
        if (text[start..end].IndexOf((byte)'"') < 0) return end;
        bool quoted = false;
        for (int i = start; i < text.Length; i++)
        {
            byte b = text[i];
            if (b == (byte)'"') quoted = !quoted;
            else if (b == (byte)'\n' && !quoted) return i;
        }
        return text.Length - 1;
    }

    /// <summary>
    /// One message per device row: the wide encoder writes a row for each device of a run whose message is not held
    /// back (dirty delivery), so rows pair with those devices in order; a row's reading count is its present readings
    /// across the run's segments.
    /// </summary>
    private void WriteDeviceRows(ReadingBatch batch, CancellationToken cancellationToken)
    {
        Fleet fleet = _fleet!;
        ReadOnlySpan<BatchSegment> segments = batch.Segments;
        if (_runEnd.Length < segments.Length) _runEnd = new int[Math.Max(segments.Length, _runEnd.Length * 2)];
#pragma warning disable IOTSIM001
        WideRuns.Find(fleet, segments, _runEnd);
#pragma warning restore IOTSIM001
        byte[] flags = batch.Flags;
        for (int s = 0; s < segments.Length; s++)
        {
            int runEnd = _runEnd[s];
            if (runEnd < 0) continue; // written with its run's first segment
            BatchSegment lead = segments[s];
            int per = fleet.Groups[lead.Group].SensorsPerDevice;
            int devices = lead.ChannelCount / per;
            int firstDevice = fleet.FirstDevice + lead.ChannelStart / per;
            for (int from = 0; from < devices; from += DevicesPerChunk)
            {
                int chunk = Math.Min(DevicesPerChunk, devices - from);
                _lines.ResetWrittenCount();
                _writer!.WriteDevices(batch, s, from, chunk, _lines);
                ReadOnlySpan<byte> text = _lines.WrittenSpan;
                int count = 0, start = 0;
                for (int d = from; d < from + chunk && start < text.Length; d++)
                {
                    if ((flags[lead.Offset + d * per] & ReadingFlags.Held) != 0) continue; // delivered later, as a copy
                    int readings = 0;
                    for (int j = s; j < runEnd; j++)
                    {
                        BatchSegment seg = segments[j];
                        int sp = fleet.Groups[seg.Group].SensorsPerDevice;
                        foreach (byte f in flags.AsSpan(seg.Offset + d * sp, sp))
                        {
                            readings += ReadingFlags.IsPresent(f) ? 1 : 0;
                        }
                    }
                    int end = text[start..].IndexOf((byte)'\n') + start;
                    int key = _keyKind == KeyKind.Device ? DeviceKey(firstDevice + d) : -1;
                    Stage(ref count, new Pending(start, end - start, key, readings, 0));
                    start = end + 1;
                }
                Send(count, cancellationToken);
            }
        }
    }

    /// <summary>Columnar frames: fill each topic's frame from the batch, hand over each full frame, then the rest.</summary>
    private void WriteFrames(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ColumnarFrameWriter[] frames = _frames!;
#pragma warning disable IOTSIM001
        var walker = new SegmentWalker(batch);
        if (frames.Length == 1)
        {
            ColumnarFrameWriter frame = frames[0];
            while (frame.Fill(ref walker) > 0)
            {
                if (frame.Count == frame.Capacity) SendFrame(0, cancellationToken);
            }
        }
        else
        {
            while (walker.MoveNext())
            {
                int topic = _topicOfSensor[walker.Sensor];
                ColumnarFrameWriter frame = frames[topic];
                frame.Add(walker.TimestampMs, walker.Device, walker.Sensor, walker.Value, walker.Anomaly);
                if (frame.Count == frame.Capacity) SendFrame(topic, cancellationToken);
            }
        }
#pragma warning restore IOTSIM001
        // A batch's readings leave with it: frames are not held across batches (paced runs stay live).
        for (int t = 0; t < frames.Length; t++)
        {
            if (frames[t].Count > 0) SendFrame(t, cancellationToken);
        }
    }

    private void SendFrame(int topic, CancellationToken cancellationToken)
    {
        int readings = _frames![topic].Count;
        ReadOnlySpan<byte> frame = _frames[topic].Seal();
        _producer!.Produce(_topics[topic], frame, default, readings, cancellationToken);
    }

    private void Stage(ref int count, in Pending pending)
    {
        if (count == _pending.Length) Array.Resize(ref _pending, count * 2);
        _pending[count++] = pending;
    }

    /// <summary>Hands the staged messages (slices of <see cref="_lines"/>) to librdkafka, topic by topic in order.</summary>
    private unsafe void Send(int count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        NativeProducer producer = _producer!;
        fixed (byte* text = _lines.WrittenSpan)
        fixed (byte* keys = _keyArena)
        {
            for (int topic = 0; topic < _topics.Length; topic++)
            {
                nint rkt = _topics[topic];
                int n = 0;
                for (int i = 0; i < count; i++)
                {
                    ref readonly Pending p = ref _pending[i];
                    if (p.Topic != topic) continue;
                    byte* key = p.Key < 0 ? null : keys + p.Key + 1;
                    int keyLength = p.Key < 0 ? 0 : keys[p.Key];
                    if (_headers)
                    {
                        producer.Produce(rkt, new ReadOnlySpan<byte>(text + p.Offset, p.Length), new ReadOnlySpan<byte>(key, keyLength), p.Readings, cancellationToken);
                        continue;
                    }
                    _messages[n++] = new RdKafka.Message { Payload = text + p.Offset, Len = (nuint)p.Length, Key = key, KeyLen = (nuint)keyLength, Private = p.Readings };
                    if (n == _messages.Length)
                    {
                        producer.ProduceBatch(rkt, _messages, cancellationToken);
                        n = 0;
                    }
                }
                if (n > 0) producer.ProduceBatch(rkt, _messages.AsSpan(0, n), cancellationToken);
            }
        }
        producer.Poll(); // serve delivery reports as they come, so they never fill the queue
    }

    /// <summary>The device id as a message key: encoded once per device into the key arena (a length byte, then the id).</summary>
    private int DeviceKey(int device)
    {
        ref int at = ref _deviceKey[device - _fleet!.FirstDevice];
        if (at < 0)
        {
            Span<byte> id = stackalloc byte[_fleet.MaxDeviceIdBytes];
            at = AddKey(id[.._fleet.FormatDeviceId(device, id)]);
        }
        return at;
    }

    private int SensorKey(int sensor)
    {
        ref int at = ref _sensorKey[sensor];
        if (at < 0) at = AddKey(System.Text.Encoding.UTF8.GetBytes(_fleet!.Sensors[sensor].Name));
        return at;
    }

    private int AddKey(ReadOnlySpan<byte> key)
    {
        if (key.Length > 255) key = key[..255];
        if (_keyArenaUsed + key.Length + 1 > _keyArena.Length) Array.Resize(ref _keyArena, Math.Max(_keyArena.Length * 2, _keyArenaUsed + key.Length + 1));
        int at = _keyArenaUsed;
        _keyArena[at] = (byte)key.Length;
        key.CopyTo(_keyArena.AsSpan(at + 1));
        _keyArenaUsed += key.Length + 1;
        return at;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        NativeProducer? producer = _producer;
        if (producer is null) return ValueTask.CompletedTask;
        int left = producer.Flush(_options.FlushTimeout);
        if (left > 0)
        {
            throw new IOException($"{Name}: {left:N0} messages still undelivered after {_options.FlushTimeout.TotalSeconds:0} s ({producer.FailureReason ?? "no delivery report yet"})");
        }
        if (producer.FailedReadings > 0)
        {
            throw new IOException($"{Name}: {producer.FailedReadings:N0} readings failed: {producer.FailureReason}");
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_producer is { } producer)
        {
            // Messages still queued are purged (and counted by nobody): keep the counts as they stand.
            _finalDelivered = producer.DeliveredReadings;
            _finalFailed = producer.FailedReadings;
            _finalReason = producer.FailureReason;
            _producer = null;
            producer.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private enum KeyKind
    {
        Device,
        Sensor,
        None,
    }

    /// <summary>A message staged for <see cref="Send"/>: a slice of the encoded text, its key in the arena (or −1), reading count and topic.</summary>
    private readonly record struct Pending(int Offset, int Length, int Key, int Readings, int Topic);
}
