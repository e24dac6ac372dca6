using System.Runtime.Intrinsics;
using IotSim.Core.Simulation;

namespace IotSim.Core.Diagnostics;

/// <summary>
/// Counts a batch's anomalous readings by kind for the <c>iotsim.anomalies</c> counter. Hand-written because it reads
/// every flag of every batch on the generator's thread: most readings are normal, so whole vectors without an anomaly
/// kind are skipped and only the rare vector that has one is counted byte by byte.
/// </summary>
internal static class AnomalyCounter
{
    /// <summary>Adds the anomaly kinds of <paramref name="flags"/> to <paramref name="counts"/> (readings held back for late delivery are counted when their copy comes).</summary>
    public static void Add(ReadOnlySpan<byte> flags, long[] counts)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && flags.Length >= Vector256<byte>.Count)
        {
            var kind = Vector256.Create(ReadingFlags.KindMask);
            ref byte start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(flags);
            for (; i <= flags.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if ((v & kind) == Vector256<byte>.Zero) continue;
                CountScalar(flags.Slice(i, Vector256<byte>.Count), counts);
            }
        }
        CountScalar(flags[i..], counts);
    }

    private static void CountScalar(ReadOnlySpan<byte> flags, long[] counts)
    {
        foreach (byte flag in flags)
        {
            int kind = flag & ReadingFlags.KindMask;
            if (kind != 0 && (flag & ReadingFlags.Held) == 0) Interlocked.Increment(ref counts[kind]);
        }
    }
}
