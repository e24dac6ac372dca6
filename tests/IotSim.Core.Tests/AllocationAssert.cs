namespace IotSim.Core.Tests;

/// <summary>Guards for allocation-free hot paths, measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>.</summary>
internal static class AllocationAssert
{
    /// <summary>
    /// Calls <paramref name="call"/> <paramref name="warmUpCalls"/> times, then up to <paramref name="rounds"/> rounds
    /// of <paramref name="callsPerRound"/> calls, and fails unless some round allocated 0 bytes on this thread.
    /// </summary>
    /// <remarks>
    /// One measured window is flaky under load: the runtime can allocate a few KB on the test thread once, in the
    /// middle of a window (a method reaching tier 1 or an OSR transition of the calling loop; seen once as
    /// "Expected 0, Actual 7752"). The minimum over rounds forgives such one-off allocations without weakening the
    /// guard: an allocation the code under test makes on every call, or at least once per
    /// <paramref name="callsPerRound"/> calls, shows in every round, so the minimum stays above 0.
    /// Create <paramref name="call"/> (and its closure) before calling this; only its invocations are measured.
    /// </remarks>
    public static void SteadyStateIsAllocationFree(Action call, int callsPerRound = 1000, int rounds = 5, int warmUpCalls = 3)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(callsPerRound, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        for (int i = 0; i < warmUpCalls; i++)
        {
            call();
        }
        long[] allocated = new long[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++)
            {
                call();
            }
            allocated[r] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated[r] == 0)
            {
                return;
            }
        }
        Assert.Fail($"every round of {callsPerRound} calls allocated (bytes per round: {string.Join(", ", allocated)}), so the code under test allocates in steady state");
    }
}
