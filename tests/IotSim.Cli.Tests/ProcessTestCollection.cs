namespace IotSim.Cli.Tests;

/// <summary>Tests that run the real <c>iotsim</c> as child processes: alone, so the signals and timings they rely on are not starved by other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTestCollection
{
    public const string Name = "iotsim processes";
}
