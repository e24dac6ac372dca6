namespace IotSim.Core.Scenarios;

/// <summary>Where a scenario key was set: a 1-based line of the scenario file, or a command-line flag.</summary>
internal readonly record struct KeyOrigin(int Line, string? Flag);
