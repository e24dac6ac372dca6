namespace IotSim.Core.Scenarios;

/// <summary>
/// One sink of a scenario: its type, the keys every sink shares, and the sink type's own keys as text in
/// <see cref="Settings"/> (checked against its provider's option specs by the loader, parsed by the provider).
/// </summary>
public sealed record SinkOptions
{
    /// <summary>The keys every sink accepts; a provider's own keys come on top.</summary>
    public static readonly string[] CommonKeys =
        ["type", "name", "queue_capacity", "max_buffer", "flush_interval", "batch_size", "backpressure", "retries", "retry_delay", "retry_max_delay", "retry_jitter", "parallelism"];

    /// <summary>The built-in sink types (a program may register more: see <c>SinkRegistry</c>).</summary>
    public static readonly IReadOnlyList<string> Types = ["console", "file", "null"];

    /// <summary>The sink type, e.g. <c>file</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Display name in reports; defaults to the type (with an index when repeated).</summary>
    public string? Name { get; init; }

    /// <summary>Readings per encoded chunk handed to the transport; null = the engine batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Batches queued for this sink before the generator blocks.</summary>
    public int QueueCapacity { get; init; } = 4;

    /// <summary>Readings held for the sink before the backpressure policy applies; overrides <see cref="QueueCapacity"/> (rounded up to whole engine batches).</summary>
    public long? MaxBuffer { get; init; }

    /// <summary>When set, the sink's <c>FlushAsync</c> is called once no batch has arrived for this long and data was written since the last flush.</summary>
    public TimeSpan? FlushInterval { get; init; }

    /// <summary>Engine batches queued for the sink: from <see cref="MaxBuffer"/> when set, else <see cref="QueueCapacity"/>.</summary>
    public int QueueBatches(int batchCapacity) =>
        MaxBuffer is { } readings ? (int)Math.Clamp((readings + Math.Max(1, batchCapacity) - 1) / Math.Max(1, batchCapacity), 1, 1024) : Math.Max(1, QueueCapacity);

    /// <summary>What happens when the queue is full.</summary>
    public Backpressure Backpressure { get; init; } = Backpressure.Block;

    /// <summary>Attempts after a failed write before the sink is marked failed.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Delay before the first retry (doubling for each further one).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Random share (0 to 1) of each retry delay taken off.</summary>
    public double RetryJitter { get; init; } = 0.2;

    /// <summary>Concurrent writers (sink types that support them).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The sink type's own keys and their values as written (e.g. <c>path</c> → <c>./out</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The value of a sink-specific key, or null when unset.</summary>
    public string? Setting(string key) => Settings.TryGetValue(key, out string? value) ? value : null;

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public SinkOptions With(string key, string value) =>
        this with { Settings = new Dictionary<string, string>(Settings, StringComparer.Ordinal) { [key] = value } };

    /// <inheritdoc/>
    public bool Equals(SinkOptions? other) =>
        other is not null && Type == other.Type && Name == other.Name && BatchSize == other.BatchSize && QueueCapacity == other.QueueCapacity
        && Backpressure == other.Backpressure && Retries == other.Retries && RetryDelay == other.RetryDelay && RetryMaxDelay == other.RetryMaxDelay
        && RetryJitter.Equals(other.RetryJitter) && Parallelism == other.Parallelism && MaxBuffer == other.MaxBuffer && FlushInterval == other.FlushInterval
        && Settings.Count == other.Settings.Count && Settings.All(kv => other.Settings.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Name, BatchSize, QueueCapacity, Settings.Count);
}
