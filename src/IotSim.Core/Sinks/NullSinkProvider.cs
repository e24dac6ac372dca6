using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>The <c>null</c> sink: counts and discards.</summary>
internal sealed class NullSinkProvider : ISinkProvider
{
    public string Type => "null";

    public string Description => "Counts and discards readings, to measure the generator alone.";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public SinkCapabilities Capabilities { get; } = new(Ordered: false, ParallelWriters: true, []);

    public IReadingSink Create(SinkOptions options, SinkContext context) => new NullSink(options.Name ?? Type);
}
