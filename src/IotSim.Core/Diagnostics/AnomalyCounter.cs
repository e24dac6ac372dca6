using System.Numerics;
using System.Runtime.Intrinsics;
using IotSim.Core.Simulation;

namespace IotSim.Core.Diagnostics;

/// <summary>
/// Counts a batch's anomalous readings by kind for the <c>iotsim.anomalies</c> counter. Hand-written because it reads
/// every flag of every batch on the generator's thread: a vector of flags is counted per kind by compare and popcount
/// (anomalous readings are spread thinly over many vectors, so counting byte by byte cost 8% of a null-sink run), and
/// a vector without any anomaly is skipped.
/// </summary>
internal static class AnomalyCounter
{
    /// <summary>Adds the anomaly kinds of <paramref name="flags"/> to <paramref name="counts"/> (readings held back for late delivery are counted when their copy comes).</summary>
    public static void Add(ReadOnlySpan<byte> flags, long[] counts)
    {
        // Counted locally, then added to the shared counters once per kind: readers may collect at any time.
        Span<long> local = stackalloc long[AnomalyKindCount];
        local.Clear();
        int i = 0;
        if (Vector256.IsHardwareAccelerated && flags.Length >= Vector256<byte>.Count)
        {
            // Kind and held bits only: a held reading never equals a bare kind, so it is left out by the compares.
            var mask = Vector256.Create((byte)(ReadingFlags.KindMask | ReadingFlags.Held));
            ref byte start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(flags);
            for (; i <= flags.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref start, (nuint)i) & mask;
                if (v == Vector256<byte>.Zero) continue;
                for (int k = 1; k < AnomalyKindCount; k++)
                {
                    local[k] += BitOperations.PopCount(Vector256.Equals(v, Vector256.Create((byte)k)).ExtractMostSignificantBits());
                }
            }
        }
        CountScalar(flags[i..], local);
        for (int k = 1; k < local.Length; k++)
        {
            if (local[k] != 0) Interlocked.Add(ref counts[k], local[k]);
        }
    }

    private const int AnomalyKindCount = ReadingFlags.KindMask + 1;

    private static void CountScalar(ReadOnlySpan<byte> flags, Span<long> counts)
    {
        foreach (byte flag in flags)
        {
            // Held readings (0x40) count when their copy comes; kind 0 lands in the unused entry 0.
            counts[(flag & ReadingFlags.Held) == 0 ? flag & ReadingFlags.KindMask : 0]++;
        }
    }
}
