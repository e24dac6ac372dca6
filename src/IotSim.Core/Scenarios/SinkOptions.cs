namespace IotSim.Core.Scenarios;

/// <summary>One sink of a scenario. Which keys apply depends on <see cref="Type"/>.</summary>
public sealed record SinkOptions
{
    /// <summary>Sink types known to this build.</summary>
    public static readonly IReadOnlyList<string> Types = ["console", "file", "null"];

    /// <summary>console, file or null.</summary>
    public required string Type { get; init; }

    /// <summary>Display name in reports; defaults to the type (with an index when repeated).</summary>
    public string? Name { get; init; }

    /// <summary>console: text or json; file: csv or jsonl.</summary>
    public string? Format { get; init; }

    /// <summary>file: output directory (created when missing).</summary>
    public string Path { get; init; } = "./output";

    /// <summary>file: start a new file when the data time crosses a multiple of this span (null = never).</summary>
    public TimeSpan? RotateEvery { get; init; }

    /// <summary>file: start a new file once this many bytes were written to the current one (null = never).</summary>
    public long? RotateBytes { get; init; }

    /// <summary>file: compression.</summary>
    public Compression Compression { get; init; } = Compression.None;

    /// <summary>Readings per encoded chunk handed to the transport; null = the engine batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Batches queued for this sink before the generator blocks.</summary>
    public int QueueCapacity { get; init; } = 4;
}
