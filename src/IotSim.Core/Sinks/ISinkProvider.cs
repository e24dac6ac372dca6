using System.Diagnostics.CodeAnalysis;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>
/// A sink type: its name, its own options, what it supports and how to create it. The scenario loader, the command
/// line, <c>list-sinks</c> and the JSON Schema all read the registered providers (<see cref="SinkRegistry"/>), so a
/// sink in its own project plugs in with one <see cref="SinkRegistry.Register"/> call and no change to Core.
/// </summary>
[Experimental("IOTSIM001")]
public interface ISinkProvider
{
    /// <summary>The <c>type:</c> of the sink in a scenario, e.g. <c>postgres</c>.</summary>
    string Type { get; }

    /// <summary>One line for <c>list-sinks</c>: what the sink writes and its delivery guarantee.</summary>
    string Description { get; }

    /// <summary>
    /// The sink's own keys, beside the keys every sink shares (<see cref="SinkOptions"/>). Their <see cref="OptionSpec.Key"/>
    /// is <c>sinks[].&lt;key&gt;</c>; the loader checks each value against its spec, with the file, line and key in errors.
    /// </summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>What the sink supports.</summary>
    SinkCapabilities Capabilities { get; }

    /// <summary>Creates the sink; its own keys are in <see cref="SinkOptions.Settings"/>, already checked by the loader.</summary>
    /// <exception cref="ConfigException">A setting is invalid (when the options did not come through the loader).</exception>
    IReadingSink Create(SinkOptions options, SinkContext context);
}
