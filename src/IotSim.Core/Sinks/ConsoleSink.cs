using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Core.Sinks;

/// <summary>
/// Writes readings to standard output (or any stream) as human-readable lines (<c>text</c>) or JSON Lines
/// (<c>json</c>), flushed after every batch. With the wide shape, <c>text</c> writes wide CSV with a header and
/// <c>json</c> wide JSON Lines. Delivery: at most once; a batch that failed after some of its bytes were written
/// is not written again (the sink refuses further batches instead). Allocation-free per batch after warm-up.
/// </summary>
public sealed class ConsoleSink : IReadingSink
{
    private readonly bool _ownsOutput;
    private readonly EncodingFormat _format;
    private readonly OutputShape? _shape;
    private Stream? _output;
    private ChunkedStreamWriter? _chunks;
    private bool _faulted;

    /// <summary>A sink writing to standard output.</summary>
    /// <param name="format"><c>text</c> or <c>json</c>.</param>
    /// <param name="shape">Narrow (one line per reading) or wide (one row per device and timestamp); null: the scenario's shape.</param>
    /// <param name="name">Name shown in reports.</param>
    public ConsoleSink(string format = "text", OutputShape? shape = null, string name = "console")
        : this(null, format, shape, name, ownsOutput: true)
    {
    }

    /// <summary>A sink writing to <paramref name="output"/>, which it does not dispose.</summary>
    /// <param name="output">Where encoded readings go.</param>
    /// <param name="format"><c>text</c> or <c>json</c>.</param>
    /// <param name="shape">Narrow (one line per reading) or wide (one row per device and timestamp); null: the scenario's shape.</param>
    /// <param name="name">Name shown in reports.</param>
    public ConsoleSink(Stream output, string format = "text", OutputShape? shape = null, string name = "console")
        : this(output ?? throw new ArgumentNullException(nameof(output)), format, shape, name, ownsOutput: false)
    {
    }

    private ConsoleSink(Stream? output, string format, OutputShape? shape, string name, bool ownsOutput)
    {
        ArgumentNullException.ThrowIfNull(format);
        _format = format.ToLowerInvariant() switch
        {
            "text" => EncodingFormat.Text,
            "json" => EncodingFormat.JsonLines,
            "line" => EncodingFormat.Line,
            _ => throw new ConfigException(null, 0, "format", OptionSpecs.ConsoleFormat.ParseChoice(format, out _)!),
        };
        _shape = shape;
        _output = output;
        _ownsOutput = ownsOutput;
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>Formats this sink accepts.</summary>
    public static IReadOnlyList<string> Formats => OptionSpecs.ConsoleFormat.Choices;

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string? Location => _ownsOutput ? "standard output (whole batches count as delivered)" : null;

    /// <summary>Readings after which encoded bytes are written out even within a batch (null = per 4 MiB chunk).</summary>
    public int? ChunkReadings { get; init; }

    /// <inheritdoc/>
    public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        _output ??= OpenStandardOutput();
        _chunks = new ChunkedStreamWriter(ReadingEncoders.Create(fleet, _format, _shape ?? fleet.Scenario.Shape), ChunkReadings);
        _chunks.WriteHeader();
        _chunks.FlushTo(_output);
        _output.Flush();
        return ValueTask.CompletedTask;
    }

    // Console.OpenStandardOutput ignores a closed pipe (EPIPE) on Unix, so `iotsim run | head -1` would never notice;
    // a FileStream on descriptor 1 reports it, and the runner then stops this sink as failed. Only for pipes and
    // terminals: on a regular file a FileStream writes at its own offset (pwrite), so text others write to the same
    // file (the summary, a shell's echo) would overwrite rows; there the console stream, which appends, is right.
    private static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        var descriptor = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        if (!descriptor.CanSeek) return descriptor;
        descriptor.Dispose();
        return Console.OpenStandardOutput();
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_chunks is null || _output is null)
        {
            return ValueTask.FromException(new InvalidOperationException($"{Name}: WriteAsync before OpenAsync"));
        }
        if (_faulted)
        {
            return ValueTask.FromException(new SinkFaultedException($"{Name}: an earlier batch was written in part before an error; not writing more"));
        }
        long before = _chunks.BytesOut;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Blocking writes: the runner gives each sink its own task, and console streams are synchronous anyway.
            foreach (BatchSegment segment in batch.Segments)
            {
                _chunks.EncodeSegment(batch, segment, _output);
            }
            _chunks.FlushTo(_output);
            _output.Flush();
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            _chunks.Discard();
            _faulted |= _chunks.BytesOut != before;
            return ValueTask.FromException(ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _output?.Flush();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsOutput && _output is not null)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
        _output = null;
    }
}
