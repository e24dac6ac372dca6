using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests;

/// <summary>Anomaly settings for tests that need many episodes of every kind inside a short window.</summary>
internal static class TestAnomalies
{
    /// <summary>
    /// Episodes of 5 s (spikes 1 s), so anomaly slots are one minute long; with a large <paramref name="scale"/> every
    /// channel has an episode in almost every minute.
    /// </summary>
    public static AnomalyOptions Dense(double scale = 200) => new()
    {
        ProbabilityScale = scale,
        Types = AnomalyOptions.Defaults.ToDictionary(kv => kv.Key, kv => kv.Value with { Duration = TimeSpan.FromSeconds(kv.Key == AnomalyKind.Spike ? 1 : 5) }),
    };
}
