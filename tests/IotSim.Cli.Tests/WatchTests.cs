namespace IotSim.Cli.Tests;

/// <summary><c>run --watch</c>: edits of the scenario file apply while running; invalid edits are reported and ignored.</summary>
public sealed class WatchTests
{
    private static string Yaml(int nominal, int devices) => $"""
        fleet: {"{"}industries: [], devices: {devices}{"}"}
        custom_sensors:
          sensors:
            - {"{"}name: mode, sensor_type: status, unit: state, min_value: 0, max_value: 5, nominal_value: {nominal}, noise_std: 0, drift_rate: 0, precision: 0, interval: 1s{"}"}
        anomalies: {"{"}enabled: false{"}"}
        time: {"{"}mode: realtime, speed: 10, duration: 40s{"}"}
        sinks: [{"{"}type: console, format: json{"}"}]
        """;

    [Fact]
    public async Task Watch_AppliesAValidEdit_AndRejectsAStructuralOne()
    {
        string path = Path.Combine(Path.GetTempPath(), "iotsim-watch-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, Yaml(1, 1));
        try
        {
            Task<CliResult> run = CliHarness.RunAsync("run", path, "--watch");
            await Task.Delay(800);
            File.WriteAllText(path, Yaml(1, 2));
            await Task.Delay(800);
            File.WriteAllText(path, Yaml(3, 1));
            CliResult r = await run;
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("reload rejected: fleet.devices cannot change while running", r.Error, StringComparison.Ordinal);
            Assert.Contains($"reload: {path} accepted", r.Error, StringComparison.Ordinal);
            Assert.Contains("readings from ", r.Error, StringComparison.Ordinal);
            string[] values = [.. r.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf("\"value\":", StringComparison.Ordinal) + 8)..].Split(',')[0])];
            Assert.Equal(40, values.Length);
            // Every reading before the switch reports state 1, every one after it state 3.
            int switchAt = Array.IndexOf(values, "3");
            Assert.InRange(switchAt, 1, 39);
            Assert.All(values[..switchAt], v => Assert.Equal("1", v));
            Assert.All(values[switchAt..], v => Assert.Equal("3", v));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Watch_WithoutAScenarioFile_ExitsTwo()
    {
        CliResult r = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string>(), "run", "--watch", "-d", "1s");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--watch", r.Error, StringComparison.Ordinal);
    }
}
