using System.Globalization;

namespace IotSim.Cli.Charts;

/// <summary>Tick positions and labels for an axis: "nice" values (1, 2, 5 × 10^k) and calendar-aligned UTC times.</summary>
internal static class ChartTicks
{
    private const double Second = 1000;
    private const double Minute = 60 * Second;
    private const double Hour = 60 * Minute;
    private const double Day = 24 * Hour;

    private static readonly double[] s_timeSteps =
    [
        1, 2, 5, 10, 20, 50, 100, 200, 500,
        Second, 2 * Second, 5 * Second, 10 * Second, 15 * Second, 30 * Second,
        Minute, 2 * Minute, 5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute,
        Hour, 2 * Hour, 3 * Hour, 6 * Hour, 12 * Hour,
        Day, 2 * Day, 7 * Day, 14 * Day, 28 * Day, 91 * Day, 364 * Day,
    ];

    /// <summary>The smallest nice step (1, 2, 2.5 or 5 × 10^k) that covers [<paramref name="min"/>, <paramref name="max"/>] in at most <paramref name="maxTicks"/> intervals.</summary>
    public static double NiceStep(double min, double max, int maxTicks)
    {
        double span = max - min;
        if (!(span > 0) || !double.IsFinite(span)) return 1;
        double raw = span / Math.Max(1, maxTicks);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double m in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (m * magnitude >= raw) return m * magnitude;
        }
        return 10 * magnitude;
    }

    /// <summary>Value ticks within [<paramref name="min"/>, <paramref name="max"/>], at multiples of <paramref name="step"/>.</summary>
    public static List<double> Values(double min, double max, double step)
    {
        var ticks = new List<double>();
        double first = Math.Ceiling(min / step - 1e-9);
        for (double k = first; k * step <= max + step * 1e-9 && ticks.Count < 1000; k++)
        {
            double v = k * step;
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        }
        return ticks;
    }

    /// <summary>A value tick's label: as many decimals as the step needs, invariant culture.</summary>
    public static string ValueLabel(double value, double step)
    {
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 6);
        if (step * Math.Pow(10, decimals) % 1 > 1e-6) decimals = Math.Min(6, decimals + 1);
        double abs = Math.Abs(value);
        if (abs >= 1e6 && decimals == 0)
        {
            return abs >= 1e9 ? (value / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + "G" : (value / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "M";
        }
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest calendar step (ms) that covers [<paramref name="minMs"/>, <paramref name="maxMs"/>] in at most <paramref name="maxTicks"/> intervals.</summary>
    public static double TimeStep(double minMs, double maxMs, int maxTicks)
    {
        double raw = (maxMs - minMs) / Math.Max(1, maxTicks);
        foreach (double step in s_timeSteps)
        {
            if (step >= raw) return step;
        }
        return NiceStep(minMs, maxMs, maxTicks);
    }

    /// <summary>Time ticks (Unix ms) within the range at multiples of <paramref name="stepMs"/> from midnight UTC (weeks and longer from the Unix epoch).</summary>
    public static List<double> Times(double minMs, double maxMs, double stepMs) => Values(minMs, maxMs, stepMs);

    /// <summary>A time tick's label in UTC, as precise as the step: <c>HH:mm:ss.fff</c>, <c>HH:mm:ss</c>, <c>HH:mm</c> or <c>yyyy-MM-dd</c>.</summary>
    public static string TimeLabel(double ms, double stepMs)
    {
        DateTimeOffset t = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));
        string format = stepMs < Second ? "HH:mm:ss.fff" : stepMs < Minute ? "HH:mm:ss" : stepMs < Day ? "HH:mm" : "yyyy-MM-dd";
        return t.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The caption under a time axis: the UTC date or dates the range covers.</summary>
    public static string TimeCaption(double minMs, double maxMs)
    {
        DateTimeOffset a = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(minMs));
        DateTimeOffset b = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Ceiling(maxMs) - 1);
        string first = a.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return a.Date == b.Date ? $"UTC, {first}" : $"UTC, {first} to {b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }
}
