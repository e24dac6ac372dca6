using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>Typed options of a <see cref="FileSink"/> (the <c>file</c> sink's keys).</summary>
public sealed record FileSinkOptions
{
    /// <summary>Name in reports and prefix of file names; null = <c>readings</c> (reported as <c>file</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Output folder (created when missing).</summary>
    public string Path { get; init; } = "./output";

    /// <summary><c>csv</c> or <c>jsonl</c>.</summary>
    public string Format { get; init; } = "csv";

    /// <summary>Start a new file when the data time crosses a multiple of this span (null = never).</summary>
    public TimeSpan? RotateEvery { get; init; }

    /// <summary>Start a new file once this many bytes were written to the current one (null = never).</summary>
    public long? RotateBytes { get; init; }

    /// <summary>Compression of each file.</summary>
    public Compression Compression { get; init; } = Compression.None;

    /// <summary>Readings per encoded chunk handed to the file; null = the engine batch.</summary>
    public int? BatchSize { get; init; }
}
