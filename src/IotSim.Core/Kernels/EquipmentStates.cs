namespace IotSim.Core.Kernels;

/// <summary>
/// The operating state machine shared by the sensors of one piece of equipment (sensors whose names share a prefix
/// such as <c>compressor_1_</c>). Time is cut into slots of <see cref="SlotMs"/>; in each slot the equipment stops at
/// most once, with <see cref="StopProbability"/>, as idle, fault or maintenance for a seeded duration, then restarts
/// with a ramp of <see cref="RampMs"/> (state "starting"); otherwise it runs. Drawn from (seed, device, equipment,
/// slot) alone, so the state at any time is computable without history.
/// </summary>
internal static class EquipmentStates
{
    public const uint Running = 0;
    public const uint Idle = 1;
    public const uint Fault = 2;
    public const uint Maintenance = 3;

    /// <summary>Equipment slot: 4 hours.</summary>
    public const long SlotMs = 4 * 3_600_000L;

    /// <summary>Restart ramp: 2 minutes from stopped to full.</summary>
    public const uint RampMs = 120_000;

    /// <summary>Chance of a stop in a slot.</summary>
    public const float StopProbability = 0.25f;

    /// <summary>Stream salts of the stop draws.</summary>
    public const uint StopSalt = 0x2C1B3C6D;
    public const uint KindSalt = 0x297A2D39;
    public const uint LengthSalt = 0x7A4C2D19;
    public const uint StartSalt = 0x5851F42D;

    /// <summary>Names of the states, by value; <c>starting</c> is the ramp after a stop.</summary>
    public static readonly string[] Names = ["running", "idle", "fault", "maintenance"];

    /// <summary>The stop kind and its length range (ms) for a uniform draw in [0, 1): idle 60% (15–60 min), fault 15% (5–30 min), maintenance 25% (1–2 h).</summary>
    public static (uint State, uint MinMs, uint MaxMs) Kind(float u) => u switch
    {
        < 0.60f => (Idle, 15 * 60_000, 60 * 60_000),
        < 0.75f => (Fault, 5 * 60_000, 30 * 60_000),
        _ => (Maintenance, 60 * 60_000, 120 * 60_000),
    };

    /// <summary>
    /// The state code a status sensor with range [min, max] and running code <paramref name="running"/> reports:
    /// idle → min, fault → max (min when the running code is the maximum), maintenance → min + 1 when that is below the
    /// running code (else min), running and starting → the running code.
    /// </summary>
    public static float Code(uint state, float min, float max, float running) => state switch
    {
        Idle => min,
        Fault => max > running ? max : min,
        Maintenance => min + 1 < running ? min + 1 : min,
        _ => running,
    };
}
