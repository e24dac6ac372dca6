namespace IotSim.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_NullSink_PrintsSummaryWithMatchingCounts()
    {
        CliResult r = await CliHarness.RunAsync("run", "--industries", "mining,space", "--devices", "4", "--duration", "2m", "--sink", "null");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"IotSim run: [\d,]+ readings", r.Error);
        Assert.Matches(@"null\s+([\d,]+)\s+\1\s+0\s+0", r.Error);
    }

    [Fact]
    public async Task Run_ConsoleText_PrintsOneLinePerReading()
    {
        CliResult r = await CliHarness.RunAsync("run", "--industries", "environmental", "--devices", "2", "--duration", "3s", "--seed", "5", "-q");
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 25, 30);
        Assert.Contains(lines, l => l.Contains("dev-000001", StringComparison.Ordinal) && l.Contains("environmental/voltage", StringComparison.Ordinal));
        Assert.Empty(r.Error);
    }

    [Fact]
    public async Task Run_SameSeed_SameConsoleOutput_AcrossThreadsBatchAndSimd()
    {
        string[] common = ["run", "--industries", "mining", "--devices", "5", "--duration", "1m", "--format", "json", "-q"];
        CliResult a = await CliHarness.RunAsync([.. common, "--threads", "1", "--batch-size", "7", "--simd", "scalar"]);
        CliResult b = await CliHarness.RunAsync([.. common, "--threads", "2", "--batch-size", "100000"]);
        Assert.Equal(0, a.ExitCode);
        Assert.NotEmpty(a.Console);
        Assert.Equal(a.Console, b.Console);
    }

    [Fact]
    public async Task Run_FileSink_WritesCsvIntoOutputDirectory()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-run-").FullName;
        try
        {
            CliResult r = await CliHarness.RunAsync("run", "--industries", "mining", "--devices", "3", "--duration", "1m", "--sink", "file", "-o", dir, "--output-format", "csv", "-q");
            Assert.Equal(0, r.ExitCode);
            string file = Assert.Single(Directory.GetFiles(dir));
            Assert.EndsWith(".csv", file, StringComparison.Ordinal);
            string[] lines = await File.ReadAllLinesAsync(file);
            Assert.StartsWith("timestamp,device_id", lines[0], StringComparison.Ordinal);
            Assert.True(lines.Length > 100);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("--industries", "minning", "did you mean 'mining'")]
    [InlineData("--shard", "3/3", "expected i/N")]
    [InlineData("--duration", "soon", "expected a duration")]
    [InlineData("--simd", "avx9", "allowed: auto, scalar, v128, v256, v512")]
    [InlineData("--sink", "kafak", "allowed: console, file, null")]
    [InlineData("--devices", "0", "allowed: 1 to 100000000")]
    [InlineData("--mode", "fast", "allowed: backfill, realtime")]
    public async Task Run_BadOption_Exit2_NamesOptionAndAllowedValues_WritesNothing(string option, string value, string expected)
    {
        string dir = Path.Combine(Path.GetTempPath(), "iotsim-never-" + Guid.NewGuid().ToString("N"));
        CliResult r = await CliHarness.RunAsync("run", "--sink", "file", "-o", dir, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Error);
        Assert.Contains(expected, r.Error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Run_MissingScenarioFile_Exit2()
    {
        CliResult r = await CliHarness.RunAsync("run", "/nonexistent/scenario.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/scenario.yaml", r.Error);
    }

    [Theory]
    [InlineData("\"acks=sometimes\"")]
    [InlineData("{ linger.ms: 5, acks: sometimes }")]
    public async Task Run_ASettingTheTargetRefusesAtOpen_NamesTheFileAndKey_Exit2(string properties)
    {
        // librdkafka checks the property when the kafka sink opens, after the file was read: the error still names the file.
        string yaml = Path.Combine(Path.GetTempPath(), $"iotsim-open-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(yaml, $"sinks: [ {{ type: kafka, brokers: \"127.0.0.1:1\", properties: {properties} }} ]\n");
        try
        {
            CliResult r = await CliHarness.RunAsync("run", yaml);
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith($"error: {yaml}: 'properties': ", r.Error, StringComparison.Ordinal);
            Assert.Contains("acks\"", r.Error, StringComparison.Ordinal); // librdkafka names it request.required.acks
        }
        finally
        {
            File.Delete(yaml);
        }
    }

    [Fact]
    public async Task Run_UnknownOption_Exit2()
    {
        CliResult r = await CliHarness.RunAsync("run", "--devcies", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--devcies", r.Error);
    }

    [Fact]
    public async Task Run_TwoFileSinks_WriteSeparateCompleteFiles()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-two-").FullName;
        try
        {
            CliResult r = await CliHarness.RunAsync("run", "--devices", "2", "--duration", "30s", "-s", "file", "-s", "file", "-o", dir, "-q");
            Assert.True(r.ExitCode == 0, r.Error);
            string[] files = [.. Directory.GetFiles(dir).Select(Path.GetFileName).Order()!];
            Assert.Equal(2, files.Length);
            Assert.StartsWith("file1-", files[0], StringComparison.Ordinal);
            Assert.StartsWith("file2-", files[1], StringComparison.Ordinal);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, files[0])), await File.ReadAllTextAsync(Path.Combine(dir, files[1])));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Run_OutputUnderAFile_Exit1WithMessageNotStackTrace()
    {
        string file = Path.GetTempFileName();
        try
        {
            CliResult r = await CliHarness.RunAsync("run", "--duration", "5s", "-s", "file", "-o", Path.Combine(file, "sub"), "-q");
            Assert.NotEqual(0, r.ExitCode);
            Assert.StartsWith("error: ", r.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--interval", "1.5ms", "whole number of milliseconds")]
    [InlineData("--start", "9999-12-31T23:59:59Z", "past the year 9999")]
    public async Task Run_IntervalOrTimeOutOfRange_Exit2(string option, string value, string expected)
    {
        CliResult r = await CliHarness.RunAsync("run", "--sink", "null", "--duration", "1d", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Error);
    }
}
