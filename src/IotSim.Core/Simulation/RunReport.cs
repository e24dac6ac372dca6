using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Core.Simulation;

/// <summary>The outcome of a run: readings generated, time taken and what each sink did with them.</summary>
public sealed record RunReport(
    long Generated,
    long Omitted,
    long Channels,
    TimeSpan Wall,
    SimdWidth Width,
    int Threads,
    IReadOnlyList<SinkReport> Sinks)
{
    /// <summary>Time spent before generating: checking the scenario and building the fleet's state.</summary>
    public TimeSpan Setup { get; init; }

    /// <summary>Whether <see cref="Width"/> ran on vector hardware (false: an unaccelerated width emulated in software).</summary>
    public bool WidthAccelerated { get; init; } = true;

    /// <summary>Rate mode: the target profile; null in other modes.</summary>
    public RateProfile? RateTarget { get; init; }

    /// <summary>Rate mode: readings handed to the sinks in each wall-clock second of the run.</summary>
    public IReadOnlyList<long> AchievedPerSecond { get; init; } = [];

    /// <summary>Rate mode: readings the profile allowed by the end that were not generated (the sinks could not keep up).</summary>
    public long Lag { get; init; }

    /// <summary>True when the run was stopped (Ctrl-C, SIGTERM, cancellation) before the end of its time range.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Reloads applied during the run (<see cref="Simulator.TryReload"/>), in order.</summary>
    public IReadOnlyList<ReloadRecord> Reloads { get; init; } = [];

    /// <summary>Dirty delivery's counts, or null when it is off.</summary>
    public DirtyReport? Dirty { get; init; }

    /// <summary>Generated readings per wall-clock second.</summary>
    public double ReadingsPerSecond => Wall.TotalSeconds > 0 ? Generated / Wall.TotalSeconds : 0;

    /// <summary>True when no sink reported an error.</summary>
    public bool Succeeded => Sinks.All(s => s.Error is null);
}

/// <summary>A reload applied during a run.</summary>
/// <param name="RequestedAt">When the new settings were accepted.</param>
/// <param name="AppliedAt">When the generator switched to them (the next batch).</param>
/// <param name="EffectiveFrom">The first simulated timestamp generated with them.</param>
public sealed record ReloadRecord(DateTimeOffset RequestedAt, DateTimeOffset AppliedAt, DateTimeOffset EffectiveFrom);

/// <summary>What dirty delivery did; late and duplicated copies are included in <see cref="RunReport.Generated"/>.</summary>
/// <param name="Late">Readings delivered late (out of order).</param>
/// <param name="Duplicated">Readings delivered a second time.</param>
/// <param name="Nulls">Readings delivered with a null value.</param>
/// <param name="SkewedDevices">Devices whose clock is off.</param>
/// <param name="Undelivered">Readings held for late delivery when the run was stopped: never delivered, never counted as generated.</param>
public sealed record DirtyReport(long Late, long Duplicated, long Nulls, long SkewedDevices, long Undelivered);
