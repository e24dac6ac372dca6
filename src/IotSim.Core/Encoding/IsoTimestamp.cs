namespace IotSim.Core.Encoders;

/// <summary>ISO-8601 UTC timestamps with milliseconds, <c>2026-01-01T00:00:00.000Z</c>, as UTF-8.</summary>
internal static class IsoTimestamp
{
    /// <summary>Bytes of one timestamp.</summary>
    public const int Length = 24;

    /// <summary>Writes the timestamp of Unix milliseconds <paramref name="unixMs"/> into the first 24 bytes.</summary>
    public static void Format(long unixMs, Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("destination is too small", nameof(destination));
        }
        long days = Math.DivRem(unixMs, 86_400_000L, out long msOfDay);
        if (msOfDay < 0)
        {
            days--;
            msOfDay += 86_400_000L;
        }
        var (year, month, day) = DateTime.UnixEpoch.AddDays(days);
        int ms = (int)msOfDay;
        Digits(destination, 0, year, 4);
        destination[4] = (byte)'-';
        Digits(destination, 5, month, 2);
        destination[7] = (byte)'-';
        Digits(destination, 8, day, 2);
        destination[10] = (byte)'T';
        Digits(destination, 11, ms / 3_600_000, 2);
        destination[13] = (byte)':';
        Digits(destination, 14, ms / 60_000 % 60, 2);
        destination[16] = (byte)':';
        Digits(destination, 17, ms / 1000 % 60, 2);
        destination[19] = (byte)'.';
        Digits(destination, 20, ms % 1000, 3);
        destination[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, int at, int value, int count)
    {
        for (int i = at + count - 1; i >= at; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
