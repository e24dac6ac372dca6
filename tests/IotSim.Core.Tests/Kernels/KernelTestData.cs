using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Kernels;

/// <summary>Seeded kernel inputs that exercise every branch: cycles, noise, drift limits, all anomaly kinds.</summary>
internal static class KernelTestData
{
    /// <summary>Every width the kernel runs: vector widths the hardware does not accelerate run in software.</summary>
    public static readonly SimdWidth[] AllWidths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>
    /// Every vector width, accelerated or not, to compare with the scalar reference: under
    /// <c>DOTNET_EnableHWIntrinsic=0</c> or without AVX-512 the software fallbacks must match bit for bit too.
    /// </summary>
    public static TheoryData<SimdWidth> VectorWidths() => [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>2026-06-01T00:00:00Z minus 5 s: the first ticks of a test cross an anomaly slot boundary (slots of 8 minutes divide the day).</summary>
    public const long BaseMs = 1_780_271_995_000;

    /// <summary>Interval-group constants: 1 s ticks, 8-minute slots (four times the longest episode), episodes of 2 minutes (spikes 1 s).</summary>
    public static KernelParams Params(ulong seed = 1234) =>
        new(seed, 0, TimeSpan.FromSeconds(1), new AnomalyOptions
        {
            Types = AnomalyOptions.Defaults.ToDictionary(kv => kv.Key, kv => kv.Value with { Duration = TimeSpan.FromSeconds(kv.Key == AnomalyKind.Spike ? 1 : 120) }),
        });

    /// <summary>A state of <paramref name="count"/> channels with varied parameters and a high anomaly rate (about 18% of readings).</summary>
    public static SensorState State(int count, ulong seed = 1234)
    {
        var s = new SensorState(count);
        var rng = new Random((int)seed);
        for (int c = 0; c < count; c++)
        {
            float q = MathF.Pow(10, c % 5);
            float min = MathF.Round((float)(rng.NextDouble() * 100 - 50) * q) / q;
            float range = MathF.Round((float)(rng.NextDouble() * 1000 + 1));
            s.Key[c] = Hash32.ChannelKey(seed, c);
            s.Min[c] = min;
            s.Max[c] = MathF.Round((min + range) * q) / q;
            s.Nominal[c] = min + range * (float)rng.NextDouble();
            s.Sigma[c] = c % 7 == 0 ? 0 : range * 0.01f * (float)rng.NextDouble();
            s.DriftAmp[c] = range * 0.01f * (c % 3); // c % 3 == 0: no drift
            s.Amplitude[c] = c % 2 == 0 ? range * 0.2f : 0;
            // Every combination of daily, daylight and status channels, at latitudes up to the clamp.
            s.Flags[c] = (uint)(c % 32) & (SensorState.DailyFlag | SensorState.DaylightFlag | SensorState.StatusFlag | SensorState.FollowsFlag | SensorState.EquipmentStatusFlag);
            // Equipment of three channels each (a third of the channels have none).
            s.EqKey[c] = c / 3 % 3 == 0 ? 0u : Hash32.Mix((uint)(c / 3) * 0x9E3779B1u) | 1u;
            s.GateTan[c] = (s.Flags[c] & SensorState.DaylightFlag) != 0 ? (float)(rng.NextDouble() * 4.4 - 2.2) : 0f;
            s.SeasonAmp[c] = c % 5 == 0 ? range * 0.05f * (c % 10 == 0 ? 1 : -1) : 0f;
            s.CycleStep[c] = (uint)rng.Next() * 3u;
            s.Phase[c] = (uint)rng.Next() * 5u;
            s.Quantum[c] = q;
            s.SlotProb[c] = c % 11 == 0 ? 0f : 0.9f;
            s.AnomScale[c] = range * 0.2f;
        }
        return s;
    }
}
