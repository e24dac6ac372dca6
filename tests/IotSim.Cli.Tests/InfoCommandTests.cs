using System.Text.Json;

namespace IotSim.Cli.Tests;

public sealed class InfoCommandTests
{
    [Fact]
    public async Task ListIndustries_Prints16IndustriesAndTotal379()
    {
        CliResult r = await CliHarness.RunAsync("list-industries");
        Assert.Equal(0, r.ExitCode);
        foreach (string i in new[] { "mining", "utilities", "manufacturing", "oil_gas", "aerospace", "space", "water_wastewater", "electric_power", "automotive", "chemical", "food_beverage", "pharmaceutical", "data_center", "smart_building", "agriculture", "renewable_energy" })
        {
            Assert.Contains(i, r.Output);
        }
        Assert.Matches(@"TOTAL\s+379", r.Output);
    }

    [Fact]
    public async Task ListSensors_Mining_PrintsCrusherWithRange()
    {
        CliResult r = await CliHarness.RunAsync("list-sensors", "mining");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(17 sensors)", r.Output);
        Assert.Matches(@"crusher_1_motor_power\s+power\s+kW\s+200\s+800\s+450", r.Output);
    }

    [Fact]
    public async Task ListSensors_UnknownIndustry_Exit2WithSuggestion()
    {
        CliResult r = await CliHarness.RunAsync("list-sensors", "minig");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("did you mean 'mining'", r.Error);
    }

    [Fact]
    public async Task ListSinks_NamesConsoleFileNull()
    {
        CliResult r = await CliHarness.RunAsync("list-sinks");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("console", r.Output);
        Assert.Contains("file", r.Output);
        Assert.Contains("null", r.Output);
    }

    [Fact]
    public async Task InitConfig_WritesAScenarioThatValidates_AndRefusesToOverwrite()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-init-").FullName;
        try
        {
            string path = Path.Combine(dir, "my.yaml");
            Assert.Equal(0, (await CliHarness.RunAsync("init-config", "-o", path)).ExitCode);
            CliResult validate = await CliHarness.RunAsync("validate", path);
            Assert.Equal(0, validate.ExitCode);
            Assert.Contains("valid", validate.Output);
            CliResult again = await CliHarness.RunAsync("init-config", "-o", path);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already exists", again.Error);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Schema_IsJsonSchemaWithTopLevelSections()
    {
        CliResult r = await CliHarness.RunAsync("schema");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        JsonElement props = doc.RootElement.GetProperty("properties");
        foreach (string key in new[] { "seed", "fleet", "time", "engine", "output", "anomalies", "sinks", "custom_sensors" })
        {
            Assert.True(props.TryGetProperty(key, out _), key);
        }
    }

    [Fact]
    public async Task Validate_UnknownKey_Exit2WithFileLineAndSuggestion()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-bad-").FullName;
        try
        {
            string path = Path.Combine(dir, "bad.yaml");
            await File.WriteAllTextAsync(path, "seed: 1\nfleet:\n  devcies: 3\n");
            CliResult r = await CliHarness.RunAsync("validate", path);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"{path}:3", r.Error);
            Assert.Contains("did you mean 'devices'", r.Error);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Validate_UnwritableOutputFolder_Exit2_NamesTheSinkAndKey()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-target-").FullName;
        try
        {
            string blocker = Path.Combine(dir, "blocker");
            await File.WriteAllTextAsync(blocker, "a file where a folder should be");
            string path = Path.Combine(dir, "s.yaml");
            await File.WriteAllTextAsync(path, $"sinks:\n  - type: file\n    name: archive\n    path: {blocker}/out\n");
            CliResult r = await CliHarness.RunAsync("validate", path);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("'sinks[0].path'", r.Error);
            Assert.Contains("sink 'archive'", r.Error);
            Assert.Contains("is a file", r.Error);
            Assert.DoesNotContain("valid", r.Output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Validate_HugeFleet_ReportsWithoutBuildingIt_OrRefusesWithTheMemoryNeeded()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-huge-").FullName;
        try
        {
            string ok = Path.Combine(dir, "ok.yaml");
            await File.WriteAllTextAsync(ok, "fleet:\n  industries: environmental\n  devices: 10000000\nsinks:\n  - type: null\n");
            CliResult r = await CliHarness.RunAsync("validate", ok);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("channels: 50,000,000", r.Output);
            Assert.Contains("memory needed: about", r.Output);
            Assert.Contains("readings planned: 3,000,000,000", r.Output);

            string huge = Path.Combine(dir, "huge.yaml");
            await File.WriteAllTextAsync(huge, "fleet:\n  industries: all\n  devices: 100000000\nsinks:\n  - type: null\n");
            CliResult refused = await CliHarness.RunAsync("validate", huge);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains($"{huge}:3", refused.Error);
            Assert.Contains("--shard", refused.Error);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
