using System.Text.Json;

namespace IotSim.Cli.Tests;

/// <summary><c>generate-identity</c> and identity files from the command line and the environment.</summary>
public sealed class IdentityCommandTests
{
    [Fact]
    public async Task GenerateIdentity_WritesNestedIdentities_ThatARunAccepts_FromTheFlagOrIdentityFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "iotsim-id-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "ids.json");
            CliResult gen = await CliHarness.RunAsync("generate-identity", "-n", "3", "--seed", "5", "-o", file);
            Assert.Equal(0, gen.ExitCode);
            using (var doc = JsonDocument.Parse(File.ReadAllText(file)))
            {
                Assert.Equal(3, doc.RootElement.GetArrayLength());
                JsonElement first = doc.RootElement[0];
                Assert.Equal("dev-000000", first.GetProperty("sensor_id").GetString());
                Assert.InRange(first.GetProperty("location").GetProperty("coordinates").GetProperty("latitude").GetDouble(), -90, 90);
                Assert.StartsWith("i-", first.GetProperty("metadata").GetProperty("instance_id").GetString(), StringComparison.Ordinal);
            }
            CliResult again = await CliHarness.RunAsync("generate-identity", "-n", "3", "--seed", "5", "-o", file);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already exists", again.Error, StringComparison.Ordinal);

            CliResult viaFlag = await CliHarness.RunAsync("run", "--identity-file", file, "--industries", "environmental", "-n", "3", "-d", "2s", "-q");
            Assert.Equal(0, viaFlag.ExitCode);
            CliResult viaEnv = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["IDENTITY_FILE"] = file },
                "run", "--industries", "environmental", "-n", "3", "-d", "2s", "-q");
            Assert.Equal(0, viaEnv.ExitCode);
            Assert.Equal(viaFlag.Console, viaEnv.Console);

            CliResult wrongCount = await CliHarness.RunAsync("run", "--identity-file", file, "-n", "4", "-d", "1s", "-q");
            Assert.Equal(2, wrongCount.ExitCode);
            Assert.Contains("3 identities but the fleet has 4 devices", wrongCount.Error, StringComparison.Ordinal);
            Assert.Equal("", wrongCount.Console);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task IdentityFile_WithAPlaceholderLocation_ExitsTwo_NamingFileAndField()
    {
        string file = Path.Combine(Path.GetTempPath(), "iotsim-id-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, """{"sensor_id":"CHI_123456","location":{"city":"REPLACE_WITH_LOCATION"}}""");
        try
        {
            CliResult r = await CliHarness.RunAsync("run", "--identity-file", file, "-d", "1s", "-q");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(file, r.Error, StringComparison.Ordinal);
            Assert.Contains("location.city", r.Error, StringComparison.Ordinal);
            Assert.Contains("placeholder", r.Error, StringComparison.Ordinal);
            Assert.Equal("", r.Console);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The reference's SENSOR_LOCATION and SENSOR_ID variables.</summary>
public sealed class SensorVariableTests
{
    [Fact]
    public async Task SensorLocation_PlacesEveryDevice_AndSensorIdNamesTheOnlyOne()
    {
        var env = new Dictionary<string, string> { ["SENSOR_LOCATION"] = "Denver", ["SENSOR_ID"] = "DEN_000001" };
        CliResult r = await CliHarness.RunWithEnvironmentAsync(env, "run", "-i", "environmental", "-n", "1", "-d", "2s", "--device-fields", "location,timezone", "-s", "console", "--format", "json", "-q");
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"device_id\":\"DEN_000001\",\"location\":\"Denver\",\"timezone\":\"America/Denver\"", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SENSOR_LOCATION", "UNKNOWN", "placeholder")]
    [InlineData("SENSOR_ID", "DEN_000001", "names one device")]
    public async Task BadSensorVariables_ExitTwo_NamingTheVariable(string variable, string value, string fragment)
    {
        var env = new Dictionary<string, string> { [variable] = value };
        CliResult r = await CliHarness.RunWithEnvironmentAsync(env, "run", "-n", "3", "-d", "1s", "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(variable, r.Error, StringComparison.Ordinal);
        Assert.Contains(fragment, r.Error, StringComparison.Ordinal);
        Assert.Equal("", r.Console);
    }
}
