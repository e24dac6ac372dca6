using System.Globalization;
using System.Text.RegularExpressions;

namespace IotSim.Cli.Tests;

/// <summary>One row of the summary's sink table.</summary>
internal sealed partial record SinkRow(string Name, long Generated, long Delivered, long Dropped, long Failed)
{
    /// <summary>The row of <paramref name="sink"/> in the summary printed on <paramref name="stderr"/>; fails the test when absent.</summary>
    public static SinkRow Parse(string stderr, string sink)
    {
        Assert.Matches(@"sink\s+generated\s+delivered\s+dropped\s+failed", stderr);
        foreach (Match m in Row().Matches(stderr))
        {
            if (m.Groups["name"].Value == sink)
            {
                return new SinkRow(sink, Number(m, "generated"), Number(m, "delivered"), Number(m, "dropped"), Number(m, "failed"));
            }
        }
        Assert.Fail($"no row for sink '{sink}' in the summary:\n{stderr}");
        return null!;
    }

    private static long Number(Match m, string group) =>
        long.Parse(m.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>\S+)\s+(?<generated>[\d,]+)\s+(?<delivered>[\d,]+)\s+(?<dropped>[\d,]+)\s+(?<failed>[\d,]+)", RegexOptions.Multiline)]
    private static partial Regex Row();
}
