using System.Runtime.CompilerServices;

namespace IotSim.Core.Kernels;

/// <summary>
/// Counter-based randomness: every random number is a pure function of (seed, channel, tick, stream), built from
/// the MurmurHash3 32-bit finaliser, so output never depends on processing order, threads or vector width.
/// </summary>
internal static class Hash32
{
    /// <summary>Stream salt for the anomaly-start draw.</summary>
    public const uint AnomalySalt = 0x68E31DA4;
    /// <summary>Stream salt for the drift step.</summary>
    public const uint DriftSalt = 0xB5297A4D;
    /// <summary>Stream salt for the anomaly kind draw.</summary>
    public const uint KindSalt = 0x1B56C4E9;
    /// <summary>Stream salt for the anomaly sign draw.</summary>
    public const uint SignSalt = 0x7FEB352D;
    /// <summary>Stream salt for the anomaly start offset within its slot.</summary>
    public const uint StartSalt = 0x846CA68B;
    /// <summary>Stream of the per-timestamp noise key.</summary>
    public const uint NoiseStream = 0x3C6EF372;
    /// <summary>Stream of the drift knots.</summary>
    public const uint KnotStream = 0xA54FF53A;
    /// <summary>Stream of the anomaly slots.</summary>
    public const uint SlotStream = 0x510E527F;
    /// <summary>Stream of the equipment slots.</summary>
    public const uint EquipmentStream = 0x9B05688C;

    /// <summary>Stream of dirty delivery's clock skew per device.</summary>
    public const uint SkewStream = 0x3F84D5B5;
    /// <summary>Salt of a skewed device's offset draw.</summary>
    public const uint SkewSalt = 0x1F83D9AB;
    /// <summary>Stream of dirty delivery's per-message draws (late, duplicate).</summary>
    public const uint MessageStream = 0x5BE0CD19;
    /// <summary>Salt of a late message's delay draw.</summary>
    public const uint DelaySalt = 0x6A09E667;
    /// <summary>Salt of dirty delivery's per-reading null draw.</summary>
    public const uint NullSalt = 0xBB67AE85;

    /// <summary>MurmurHash3 fmix32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Per-channel key: fixed for a (seed, global channel id) pair.</summary>
    public static uint ChannelKey(ulong seed, long globalChannel)
    {
        uint lo = Mix((uint)globalChannel * 0x9E3779B1u ^ (uint)seed);
        return Mix(lo ^ (uint)(globalChannel >> 32) * 0x85EBCA77u ^ (uint)(seed >> 32) * 0x27D4EB2Fu);
    }

    /// <summary>Per-tick key: fixed for a (seed, interval group, tick) triple.</summary>
    public static uint TickKey(ulong seed, int group, long tick)
    {
        uint hi = Mix((uint)(tick >> 32) ^ (uint)(seed >> 32) ^ (uint)group * 0x165667B1u);
        return Mix((uint)tick * 0x85EBCA77u ^ hi ^ (uint)seed * 0xC2B2AE3Du);
    }

    /// <summary>
    /// Key of one counter of one stream: fixed for a (seed, stream, counter) triple, e.g. the noise key of a timestamp
    /// (counter = Unix milliseconds) or the key of a drift knot. Independent of the interval group and of the run's start.
    /// </summary>
    public static uint StreamKey(ulong seed, uint stream, long counter)
    {
        uint hi = Mix((uint)(counter >> 32) ^ (uint)(seed >> 32) ^ stream * 0x165667B1u);
        return Mix((uint)counter * 0x85EBCA77u ^ hi ^ (uint)seed * 0xC2B2AE3Du ^ stream);
    }

    /// <summary>Uniform float in [0, 1) from the top 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Unit(uint h) => (int)(h >> 8) * (1f / 16777216f);

    /// <summary>Uniform float in [−1, 1) from the top 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Signed(uint h) => ((int)h >> 8) * (1f / 8388608f);
}
