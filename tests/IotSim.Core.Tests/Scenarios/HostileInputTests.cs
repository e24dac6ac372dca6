using System.Text;
using IotSim.Core.Catalog;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Util;

namespace IotSim.Core.Tests.Scenarios;

/// <summary>Hostile and extreme input ends in a short ConfigException naming the line, never a crash, hang or huge message.</summary>
public sealed class HostileInputTests
{
    private static ConfigException Load(string yaml) => Assert.Throws<ConfigException>(() => ScenarioLoader.Load(yaml, "h.yaml", null));

    [Theory]
    [InlineData("a: &a\n  - *a\n", 2, "recursive alias")]
    [InlineData("? &k [*k]\n: 1\n", 1, "a key must be a plain word")]
    [InlineData("base: &m {x: 1}\n? *m\n: 2\n", 2, "not an alias to a mapping")]
    [InlineData("seed: 1\nfleet:\n  devices: *nope\n", 3, "alias *nope is not defined")]
    public void Aliases_RecursiveNonScalarKeyOrUndefined_AreRejectedAtTheirLine(string yaml, int line, string fragment)
    {
        ConfigException ex = Load(yaml);
        Assert.Equal(line, ex.Line);
        Assert.Contains(fragment, ex.Problem);
    }

    [Fact]
    public void BillionLaughs_AsAKey_IsRejectedQuickly()
    {
        var sb = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++)
        {
            sb.Append($"l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }
        sb.Append("? *l8\n: 1\n");
        ConfigException ex = Load(sb.ToString());
        Assert.Contains("expands to more than", ex.Problem);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public void DeepNesting_IsRejected_WithoutRecursion(int depth)
    {
        string flow = "a: " + new string('[', depth) + new string(']', depth) + "\n";
        Assert.Contains($"deeper than {YamlGuard.MaxDepth}", Load(flow).Problem);
        var block = new StringBuilder();
        for (int i = 0; i < Math.Min(depth, 200); i++) block.Append(' ', i).Append("k:\n");
        Assert.Contains($"deeper than {YamlGuard.MaxDepth}", Load(block.ToString()).Problem);
    }

    [Fact]
    public void HugeDocument_IsRejected_AndTheMessageIsShort()
    {
        ConfigException tooBig = Load(new string('x', YamlGuard.MaxChars + 1));
        Assert.Contains("at most", tooBig.Problem);
        ConfigException junk = Load(new string('x', YamlGuard.MaxChars - 10));
        Assert.True(junk.Message.Length < 400, junk.Message);
        Assert.Contains("characters)", junk.Message);
    }

    [Fact]
    public void EndlessFile_LikeADevice_IsCutAtTheLimit_NotReadWhole()
    {
        ConfigException scenario = Assert.Throws<ConfigException>(() => ScenarioLoader.LoadFile("/dev/zero"));
        Assert.Contains("more than", scenario.Problem);
        ConfigException csv = Assert.Throws<ConfigException>(() => SensorCsvReader.ReadFile("/dev/zero", "custom"));
        Assert.Contains("more than", csv.Problem);
    }

    [Fact]
    public void LongTextRepeatedByAliases_IsRejected_AndAUnitHasALengthLimit()
    {
        string unit = new('u', 300_000);
        var yaml = new StringBuilder($"base: &u {unit}\n");
        for (int i = 0; i < 20; i++) yaml.Append($"k{i}: *u\n");
        Assert.Contains("characters of text", Load(yaml.ToString()).Problem);

        string csv = $"name,sensor_type,unit,min_value,max_value,nominal_value\ns,flow,{new string('u', 65)},0,1,0.5\n";
        ConfigException ex = Assert.Throws<ConfigException>(() => SensorCsvReader.Read(new StringReader(csv), "x.csv", "custom"));
        Assert.Equal("unit", ex.Key);
        Assert.Contains("up to 64 characters", ex.Problem);
    }

    [Fact]
    public void BinaryCsvHeader_IsQuotedAsAShortPrintableExcerpt()
    {
        byte[] junk = [.. Enumerable.Range(0, 256).SelectMany(_ => Enumerable.Range(1, 255).Select(b => (byte)b)).Where(b => b is not (10 or 13 or 44)), (byte)'\n'];
        using var reader = new StreamReader(new MemoryStream(junk), Encoding.UTF8);
        ConfigException ex = Assert.Throws<ConfigException>(() => SensorCsvReader.Read(reader, "bin.csv", "custom"));
        Assert.True(ex.Message.Length < 600, ex.Message);
        Assert.DoesNotContain('\u0001', ex.Message);
        Assert.Contains("\\u0001", ex.Message);
    }

    [Theory]
    [InlineData("interval_seconds", "1e12")]
    [InlineData("interval_seconds", "1000000000000")]
    [InlineData("min_value", "-1e300")]
    [InlineData("max_value", "1e300")]
    [InlineData("noise_std", "1e30")]
    [InlineData("precision", "2.5")]
    [InlineData("cycle_period_seconds", "0")]
    public void CsvExtremeNumbers_AreRejected_NamingTheColumn(string column, string value)
    {
        var row = new Dictionary<string, string>
        {
            ["name"] = "s",
            ["sensor_type"] = "flow",
            ["unit"] = "l",
            ["min_value"] = "0",
            ["max_value"] = "10",
            ["nominal_value"] = "5",
            ["cyclic"] = "true",
        };
        row[column] = value;
        string csv = string.Join(",", row.Keys) + "\n" + string.Join(",", row.Values) + "\n";
        ConfigException ex = Assert.Throws<ConfigException>(() => SensorCsvReader.Read(new StringReader(csv), "x.csv", "custom"));
        Assert.Equal(column, ex.Key);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Precision_BeyondFloat32Digits_IsRejected_WithTheLimit()
    {
        string csv = "name,sensor_type,unit,min_value,max_value,nominal_value,precision\ns,pressure,Pa,0,1000000,101325,2\n";
        ConfigException ex = Assert.Throws<ConfigException>(() => SensorCsvReader.Read(new StringReader(csv), "x.csv", "custom"));
        Assert.Equal("precision", ex.Key);
        Assert.Contains("167772.16", ex.Problem);
    }

    [Fact]
    public void ApiSensor_OutOfRange_IsRejectedByBuild()
    {
        var scenario = new Scenario
        {
            Industries = [],
            CustomSensors = [new SensorDefinition { Name = "x", Type = SensorType.Flow, Unit = "l", Min = -1e300, Max = 1e300, Nominal = 0 }],
        };
        ConfigException ex = Assert.Throws<ConfigException>(() => FleetPlan.Create(scenario));
        Assert.Contains("min_value", ex.Problem);
        Assert.DoesNotContain("Infinity", ex.Problem);
    }

    [Fact]
    public void ApiDevice_ManufacturerAndFirmwareOutsideTheCatalog_HaveFactorOne()
    {
        var scenario = new Scenario { Device = new DeviceOptions { Manufacturer = "Acme", Model = "X1", Firmware = "9.9" } };
        Fleet fleet = Fleet.Build(scenario);
        Assert.Equal(1.0, fleet.AnomalyFactor(0));
        Assert.Equal(("Acme", "X1", "9.9"), fleet.DeviceIdentity(0));
    }

    [Fact]
    public void ErrorFoundAfterParsing_KeepsTheLineOfTheKey()
    {
        Scenario scenario = ScenarioLoader.Load("seed: 1\ntime:\n  start: 9999-12-31T00:00:00Z\n  duration: 2d\n", "t.yaml", null);
        ConfigException ex = Assert.Throws<ConfigException>(() => FleetPlan.Create(scenario));
        Assert.Equal("t.yaml", ex.File);
        Assert.Equal(4, ex.Line);
        Assert.Equal("time.duration", ex.Key);
    }

    [Fact]
    public void ErrorAboutAFlagOverride_NamesTheFlag()
    {
        Scenario scenario = ScenarioLoader.Load("fleet:\n  devices: 5\n", "t.yaml", null)
            .SetBy("fleet.devices", "--devices") with
        { Devices = 0 };
        ConfigException ex = Assert.Throws<ConfigException>(() => FleetPlan.Create(scenario));
        Assert.Null(ex.File);
        Assert.Equal("--devices", ex.Key);
    }

    [Fact]
    public void Plan_OfAHugeFleet_AllocatesNoState_AndSaysHowMuchMemoryItNeeds()
    {
        var scenario = new Scenario { Industries = ["environmental"], Devices = 100_000_000 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        FleetPlan plan = FleetPlan.Create(scenario);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(500_000_000, plan.ChannelCount);
        Assert.True(allocated < 1 << 20, $"planning allocated {allocated} bytes");
        Assert.True(plan.RequiredBytes() > 500_000_000L * SensorState.BytesPerChannel);
        ConfigException ex = Assert.Throws<ConfigException>(() => plan.CheckMemory(24L << 30));
        Assert.Contains("44.8 GiB", ex.Problem);
        Assert.Contains("--shard", ex.Problem);
        plan.CheckMemory(64L << 30);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("short")]
    public void Excerpt_ShortPrintableText_IsUnchanged(string text) => Assert.Equal(text, Excerpt.Of(text));

    [Fact]
    public void Excerpt_LongOrControlText_IsCutAndEscaped()
    {
        string cut = Excerpt.Of(new string('y', 10_000));
        Assert.StartsWith(new string('y', Excerpt.MaxLength), cut);
        Assert.Contains("10,000 characters", cut);
        Assert.True(cut.Length < 100);
        Assert.Equal("a\\u000Ab\\u0000", Excerpt.Of("a\nb\0"));
    }
}
