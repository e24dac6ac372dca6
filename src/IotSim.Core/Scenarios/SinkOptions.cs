namespace IotSim.Core.Scenarios;

/// <summary>
/// One sink of a scenario: its type, the keys every sink shares, and the sink type's own keys as text in
/// <see cref="Settings"/> (checked against its provider's option specs by the loader, parsed by the provider).
/// </summary>
public sealed record SinkOptions
{
    /// <summary>The keys every sink accepts; a provider's own keys come on top.</summary>
    public static readonly string[] CommonKeys = ["type", "name", "queue_capacity", "batch_size"];

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
        && Settings.Count == other.Settings.Count && Settings.All(kv => other.Settings.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Name, BatchSize, QueueCapacity, Settings.Count);
}
