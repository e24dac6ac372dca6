using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>What a provider gets besides the sink's options: the scenario (shape, shard, key locations) and where the console is.</summary>
/// <param name="Scenario">The scenario being run.</param>
/// <param name="Console">Where a console sink writes; null means standard output.</param>
[System.Diagnostics.CodeAnalysis.Experimental("IOTSIM001")]
public sealed record SinkContext(Scenario Scenario, Stream? Console = null)
{
    /// <summary>Reads environment variables for <c>${NAME}</c> in secrets (<see cref="SinkSettings.Secret"/>); the process environment by default.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// An error about the sink's <paramref name="key"/>, located where it was set (file and line, or the flag) when the
    /// options came from a scenario file, and named <c>sinks[i].key</c>.
    /// </summary>
    public ConfigException Error(SinkOptions options, string key, string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        int index = -1;
        for (int i = 0; i < Scenario.Sinks.Count; i++)
        {
            if (ReferenceEquals(Scenario.Sinks[i], options)) index = i;
        }
        return index < 0 ? new ConfigException(Scenario.SourcePath, 0, key, problem) : Scenario.Error($"sinks[{index}].{key}", problem);
    }
}
