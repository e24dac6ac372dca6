namespace IotSim.Cli.Tests;

/// <summary>Dirty delivery from the command line: the data file, the labels file and the summary agree.</summary>
public sealed class DirtyCommandTests
{
    [Fact]
    public async Task Run_WithDirtyDelivery_WritesLabelsThatMatchTheFile_AndSummarises()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-dirty-").FullName;
        try
        {
            string scenario = Path.Combine(dir, "s.yaml");
            File.WriteAllText(scenario, """
                seed: 5
                fleet: { industries: [environmental], devices: 20, interval: 1s }
                time: { start: 2026-06-01T00:00:00Z, duration: 2m }
                dirty: { late: 0.02, max_delay: 10s, duplicates: 0.02, nulls: 0.01, clock_skew: 0.2, labels: labels.csv }
                sinks: [ { type: file, path: out, format: csv } ]
                """);
            CliResult r = await CliHarness.RunAsync("run", scenario);
            Assert.Equal(0, r.ExitCode);
            Assert.Matches(@"dirty delivery: [\d,]+ readings late, [\d,]+ duplicated, [\d,]+ null, \d+ devices with a skewed clock", r.Error);
            string[] data = File.ReadAllLines(Directory.GetFiles(Path.Combine(dir, "out")).Single())[1..];
            string[] labels = File.ReadAllLines(Path.Combine(dir, "labels.csv"))[1..];
            int duplicates = labels.Count(l => l.StartsWith("duplicate,", StringComparison.Ordinal));
            Assert.True(duplicates > 0);
            // 20 devices × 5 sensors × 120 s, plus each duplicated reading once more.
            Assert.Equal(20 * 5 * 120 + duplicates, data.Length);
            // Null values are empty cells, one per null label (a null reading that was duplicated appears twice in both).
            int nullCells = data.Count(l => l.Split(',')[4].Length == 0);
            Assert.Equal(labels.Count(l => l.StartsWith("null,", StringComparison.Ordinal)), nullCells);
            Assert.True(nullCells > 0);
            // Every labelled reading is in the data under the timestamp the labels give (skew included).
            var keys = data.Select(l => l.Split(',')).Select(f => $"{f[0]},{f[1]},{f[3]}").ToHashSet();
            Assert.All(labels.Where(l => !l.StartsWith("clock_skew,", StringComparison.Ordinal)), l =>
            {
                string[] f = l.Split(',');
                Assert.Contains($"{f[1]},{f[2]},{f[3]}", keys);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
