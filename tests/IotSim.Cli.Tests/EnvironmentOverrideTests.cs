namespace IotSim.Cli.Tests;

/// <summary>Precedence: command line, then environment (IOTSIM_*), then the scenario file.</summary>
public sealed class EnvironmentOverrideTests
{
    private static string Scenario(string yaml)
    {
        string path = Path.Combine(Path.GetTempPath(), "iotsim-env-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static int Lines(CliResult r) => r.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public async Task Environment_OverridesTheFile_AndTheCommandLineOverridesBoth()
    {
        string path = Scenario("seed: 1\nfleet: {industries: [environmental], devices: 2}\ntime: {duration: 10s, start: 2026-01-01T00:00:00Z}\n");
        try
        {
            CliResult file = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string>(), "run", path, "-q");
            Assert.Equal(0, file.ExitCode);
            Assert.Equal(2 * 5 * 10, Lines(file));

            var env = new Dictionary<string, string> { ["IOTSIM_DEVICES"] = "3", ["IOTSIM_SEED"] = "9" };
            CliResult fromEnv = await CliHarness.RunWithEnvironmentAsync(env, "run", path, "-q");
            Assert.Equal(0, fromEnv.ExitCode);
            Assert.Equal(3 * 5 * 10, Lines(fromEnv));
            CliResult sameSeedFlag = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string>(), "run", path, "-q", "--devices", "3", "--seed", "9");
            Assert.Equal(sameSeedFlag.Console, fromEnv.Console);

            CliResult flagWins = await CliHarness.RunWithEnvironmentAsync(env, "run", path, "-q", "--devices", "1");
            Assert.Equal(1 * 5 * 10, Lines(flagWins));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("IOTSIM_CONFIG")]
    [InlineData("CONFIG_FILE")]
    public async Task ConfigVariable_NamesTheScenarioFile_WhenNoArgumentDoes(string variable)
    {
        string path = Scenario("fleet: {industries: [environmental], devices: 4}\ntime: {duration: 3s}\n");
        try
        {
            CliResult r = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { [variable] = path }, "run", "-q");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(4 * 5 * 3, Lines(r));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task BadEnvironmentValue_NamesTheVariable_ExitsTwo()
    {
        CliResult r = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IOTSIM_DEVICES"] = "many" }, "run", "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("IOTSIM_DEVICES", r.Error, StringComparison.Ordinal);
        Assert.Equal("", r.Console);
    }

    [Fact]
    public async Task LogLevel_FromFlagOrEnvironment_ChoosesWhatGoesToStandardError()
    {
        string[] run = ["run", "--devices", "2", "-d", "5s", "-s", "null"];
        var none = new Dictionary<string, string>();
        CliResult info = await CliHarness.RunWithEnvironmentAsync(none, run);
        Assert.Contains("IotSim run:", info.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("plan:", info.Error, StringComparison.Ordinal);

        CliResult debug = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IOTSIM_LOG_LEVEL"] = "debug" }, run);
        Assert.Contains("plan: devices 0..1 of 2 (shard 0/1), 34 channels", debug.Error, StringComparison.Ordinal);
        Assert.Contains("IotSim run:", debug.Error, StringComparison.Ordinal);

        CliResult error = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IOTSIM_LOG_LEVEL"] = "error" }, run);
        Assert.Equal(0, error.ExitCode);
        Assert.Equal("", error.Error);

        // The flag wins over the environment.
        CliResult flag = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IOTSIM_LOG_LEVEL"] = "error" }, [.. run, "--log-level", "info"]);
        Assert.Contains("IotSim run:", flag.Error, StringComparison.Ordinal);

        CliResult bad = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IOTSIM_LOG_LEVEL"] = "verbose" }, run);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("IOTSIM_LOG_LEVEL", bad.Error, StringComparison.Ordinal);
        Assert.Contains("allowed: error, warning, info, debug", bad.Error, StringComparison.Ordinal);
    }
}
