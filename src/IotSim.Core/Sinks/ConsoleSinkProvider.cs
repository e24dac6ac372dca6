using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>The <c>console</c> sink: text or JSON Lines on standard output.</summary>
internal sealed class ConsoleSinkProvider : ISinkProvider
{
    public string Type => "console";

    public string Description => "Standard output: aligned text lines or JSON Lines (wide shape: CSV rows or wide JSON), flushed every batch; whole batches count as delivered.";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpecs.ConsoleFormat];

    public SinkCapabilities Capabilities { get; } = new(Ordered: true, ParallelWriters: false, OptionSpecs.ConsoleFormat.Choices);

    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        string format = SinkSettings.Choice(options, context, OptionSpecs.ConsoleFormat) ?? OptionSpecs.ConsoleFormat.Choices[0];
        string name = options.Name ?? Type;
        Scenario scenario = context.Scenario;
        return context.Console is null
            ? new ConsoleSink(format, scenario.Shape, name) { ChunkReadings = options.BatchSize }
            : new ConsoleSink(context.Console, format, scenario.Shape, name) { ChunkReadings = options.BatchSize };
    }
}
