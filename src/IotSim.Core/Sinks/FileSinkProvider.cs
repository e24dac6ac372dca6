using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>The <c>file</c> sink: CSV or JSON Lines files, rotated and compressed.</summary>
internal sealed class FileSinkProvider : ISinkProvider
{
    public string Type => "file";

    public string Description => "CSV or JSON Lines files in a folder; rotation by data time or size, gzip or lz4; a file appears under its final name only when complete (.partial while written).";

    public IReadOnlyList<OptionSpec> Options { get; } =
        [OptionSpecs.FileFormat, OptionSpecs.SinkPath, OptionSpecs.Rotation, OptionSpecs.MaxBytes, OptionSpecs.Compression];

    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, OptionSpecs.FileFormat.Choices);

    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        string? compression = SinkSettings.Choice(options, context, OptionSpecs.Compression);
        var typed = new FileSinkOptions
        {
            Name = options.Name,
            Path = options.Setting("path") is { } path ? path : new FileSinkOptions().Path,
            Format = SinkSettings.Choice(options, context, OptionSpecs.FileFormat) ?? OptionSpecs.FileFormat.Choices[0],
            RotateEvery = SinkSettings.Duration(options, context, OptionSpecs.Rotation),
            RotateBytes = SinkSettings.Size(options, context, OptionSpecs.MaxBytes),
            Compression = compression is null ? Compression.None : (Compression)OptionSpecs.Compression.IndexOf(compression),
            BatchSize = options.BatchSize,
        };
        return new FileSink(typed, context.Scenario.Shape);
    }
}
