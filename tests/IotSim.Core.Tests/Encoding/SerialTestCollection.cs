namespace IotSim.Core.Tests.Encoders;

/// <summary>
/// The encoder and sink tests run whole simulations and hold their output in memory; they run in this collection,
/// apart from the parallel ones, so they cannot disturb tests that measure the heap (e.g. the fleet size test).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTestCollection
{
    public const string Name = "Encoders and sinks (not parallel)";
}
