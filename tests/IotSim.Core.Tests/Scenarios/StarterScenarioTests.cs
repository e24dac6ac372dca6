using System.Text.RegularExpressions;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Scenarios;

public sealed class StarterScenarioTests
{
    [Fact]
    public void Text_LoadsWithTheDocumentedValues()
    {
        Scenario s = ScenarioLoader.Load(StarterScenario.Text, "iotsim.yaml", null);

        Assert.Equal(42UL, s.Seed);
        Assert.Equal(["mining"], s.Industries);
        Assert.Equal(10, s.Devices);
        Assert.Empty(s.CustomSensors);
        Assert.Equal(TimeMode.Backfill, s.Mode);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), s.Start);
        Assert.Equal(TimeSpan.FromHours(1), s.Duration);
        Assert.Equal(new Scenario().BatchSize, s.BatchSize);
        Assert.Equal(Shard.All, s.Shard);
        Assert.Equal(new SinkOptions { Type = "console" }.With("format", "text"), Assert.Single(s.Sinks));
    }

    [Fact]
    public void Text_AnomalyTypes_ShowTheDefaults()
    {
        Scenario s = ScenarioLoader.Load(StarterScenario.Text, "iotsim.yaml", null);

        Assert.Equal(AnomalyOptions.Defaults.OrderBy(p => p.Key), s.Anomalies.Types.OrderBy(p => p.Key));
    }

    [Fact]
    public void Text_CommentedAlternatives_LoadWhenUncommented()
    {
        using var dir = new TempDirectory();
        dir.Write("sensors.csv", "name,sensor_type,unit,min_value,max_value,nominal_value\nduct_pressure,pressure,Pa,0,500,250\n");
        // Uncomment every commented YAML key or list item ("# key: ..." / "# - ..."), keeping its indentation.
        string yaml = Regex.Replace(StarterScenario.Text, @"^( *)# (?=( *)(- |[a-z_]+:))", "$1", RegexOptions.Multiline);

        Scenario s = ScenarioLoader.Load(yaml, "iotsim.yaml", dir.Path);

        Assert.Equal(TimeSpan.FromSeconds(1), s.Interval);
        Assert.Equal(new DeviceOptions { Manufacturer = "SensorTech", Model = "EnvMonitor-3000", Firmware = "1.4" }, s.Device);
        Assert.Equal(["duct_pressure", "room_temperature"], s.CustomSensors.Select(c => c.Name));
        Assert.Equal(["console", "file", "null"], s.Sinks.Select(k => k.Type));
        SinkOptions file = s.Sinks[1];
        Assert.Equal(Path.Combine(dir.Path, "output"), file.Setting("path"));
        Assert.Equal("gzip", file.Setting("compression"));
        Assert.Equal("1h", file.Setting("rotation"));
        Assert.Equal("100MB", file.Setting("max_bytes"));
    }

    [Fact]
    public void Text_ListsEveryBuiltInIndustryAndAllSections()
    {
        foreach (string industry in SensorCatalog.Industries)
        {
            Assert.Contains(industry, StarterScenario.Text, StringComparison.Ordinal);
        }
        foreach (string key in ScenarioLoader.RootKeys)
        {
            Assert.Matches(new Regex($"^(# )?{key}:", RegexOptions.Multiline), StarterScenario.Text);
        }
    }
}
