namespace IotSim.Cli.Tests;

/// <summary>Every ready scenario in scenarios/ loads, validates and runs briefly.</summary>
public sealed class ScenarioFilesTests
{
    private static string[] Names() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "scenarios"), "*.yaml").Select(Path.GetFileName).Order()!];

    public static TheoryData<string> Scenarios() => new(Names());

    [Fact]
    public void ScenarioFolder_HasQuickStartLargeBackfillAndRealtimeDemo()
    {
        string[] names = Names();
        Assert.Contains("quickstart.yaml", names);
        Assert.Contains("large-backfill.yaml", names);
        Assert.Contains("realtime-demo.yaml", names);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_ValidatesAndRunsBriefly(string name)
    {
        string path = CliHarness.ScenarioPath(name);
        CliResult validate = await CliHarness.RunAsync("validate", path);
        Assert.True(validate.ExitCode == 0, validate.Error);

        string dir = Directory.CreateTempSubdirectory("iotsim-scn-").FullName;
        try
        {
            string[] args = ["run", path, "--duration", name.Contains("realtime", StringComparison.Ordinal) ? "2s" : "20s", "--devices", "3", "-o", dir];
            CliResult run = await CliHarness.RunAsync(args);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Matches(@"IotSim run: [1-9][\d,]* readings", run.Error);
            Assert.DoesNotMatch(@"ERROR", run.Error);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
