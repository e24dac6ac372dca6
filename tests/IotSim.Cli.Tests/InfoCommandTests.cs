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
}
