namespace IotSim.Core.Sinks;

/// <summary>What a sink type supports.</summary>
/// <param name="Ordered">Delivers readings in generation order (one writer).</param>
/// <param name="ParallelWriters">Can run several writers at once (e.g. one database connection each).</param>
/// <param name="Formats">Formats of its <c>format</c> key, the first being the default; empty when it has none.</param>
[System.Diagnostics.CodeAnalysis.Experimental("IOTSIM001")]
public sealed record SinkCapabilities(bool Ordered, bool ParallelWriters, IReadOnlyList<string> Formats);
