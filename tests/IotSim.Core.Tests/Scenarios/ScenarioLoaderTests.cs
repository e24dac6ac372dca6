using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Scenarios;

public sealed class ScenarioLoaderTests
{
    private const string FullExample =
        """
        seed: 18446744073709551615
        fleet:
          industries: [mining, utilities]
          devices: 10
          interval: 1s
          device:
            id_prefix: plant_7-
            manufacturer: SensorTech
            model: EnvMonitor-3000
            firmware: "1.4"
        custom_sensors:
          industry: smart_office
          csv: [sensors.csv]
          sensors:
            - name: room_temperature
              sensor_type: temperature
              unit: "°C"
              min_value: 15
              max_value: 35
              nominal_value: 22
              noise_std: 0.3
              drift_rate: 0.001
              anomaly_probability: 0.002
              anomaly_magnitude: 2.5
              cyclic: true
              cycle_period_seconds: 3600
              cycle_amplitude: 2
              precision: 3
              interval: 500ms
        time:
          mode: realtime
          start: 2026-01-01T00:00:00Z
          duration: 1h
        engine:
          threads: 8
          batch_size: 65536
          simd: v256
          shard: 1/4
        output:
          shape: wide
        anomalies:
          enabled: true
          probability_scale: 2.5
          types:
            spike:        { enabled: false, weight: 0.5, duration: 2s }
            trend:        { weight: 0.3, duration: 6m }
            pattern:      { weight: 0.1, duration: 10m }
            noise:        { weight: 0.2, duration: 3m }
            missing_data: { weight: 0.1, duration: 30s }
            stuck:        { weight: 0.05, duration: 2m }
            dropout:      { weight: 0.06, duration: 11s }
        sinks:
          - type: console
            name: screen
            format: json
          - type: file
            path: ./output
            format: jsonl
            rotation: 1h
            max_bytes: 100MB
            compression: lz4
            queue_capacity: 8
            batch_size: 4096
          - type: "null"
            name: discard
        """;

    private const string SensorsCsv =
        """
        name,sensor_type,unit,min_value,max_value,nominal_value
        duct_pressure,pressure,Pa,0,500,250

        """;

    private static TimeSpan Duration(string? text) => OptionSpecs.Rotation.ParseDuration(text!, out TimeSpan v) is null ? v : throw new FormatException(text);

    private static long Size(string? text) => OptionSpecs.MaxBytes.ParseSize(text!, out long v) is null ? v : throw new FormatException(text);

    private static Scenario Load(string yaml, string? baseDirectory = null) => ScenarioLoader.Load(yaml, "test.yaml", baseDirectory);

    [Fact]
    public void LoadFile_FullExample_EveryFieldLands()
    {
        using var dir = new TempDirectory();
        dir.Write("sensors.csv", SensorsCsv);
        string path = dir.Write("scenario.yaml", FullExample);

        Scenario s = ScenarioLoader.LoadFile(path);

        Assert.Equal(Path.GetFullPath(path), s.SourcePath);
        Assert.Equal(ulong.MaxValue, s.Seed);
        Assert.Equal(["mining", "utilities"], s.Industries);
        Assert.Equal(10, s.Devices);
        Assert.Equal(TimeSpan.FromSeconds(1), s.Interval);
        Assert.Equal(new DeviceOptions { IdPrefix = "plant_7-", Manufacturer = "SensorTech", Model = "EnvMonitor-3000", Firmware = "1.4" }, s.Device);

        Assert.Equal(2, s.CustomSensors.Count);
        SensorDefinition csv = s.CustomSensors[0];
        Assert.Equal("duct_pressure", csv.Name);
        Assert.Equal("smart_office", csv.Industry);
        Assert.Equal(SensorType.Pressure, csv.Type);
        Assert.Equal(new SensorDefinition
        {
            Name = "room_temperature",
            Industry = "smart_office",
            Type = SensorType.Temperature,
            Unit = "°C",
            Min = 15,
            Max = 35,
            Nominal = 22,
            NoiseStd = 0.3,
            DriftRate = 0.001,
            AnomalyProbability = 0.002,
            AnomalyMagnitude = 2.5,
            Cyclic = true,
            CyclePeriodSeconds = 3600,
            CycleAmplitude = 2,
            Precision = 3,
            Interval = TimeSpan.FromMilliseconds(500),
        }, s.CustomSensors[1]);

        Assert.Equal(TimeMode.Realtime, s.Mode);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), s.Start);
        Assert.Equal(TimeSpan.FromHours(1), s.Duration);
        Assert.Null(s.End);

        Assert.Equal(8, s.Threads);
        Assert.Equal(65536, s.BatchSize);
        Assert.Equal(SimdWidth.V256, s.Simd);
        Assert.Equal(new Shard(1, 4), s.Shard);
        Assert.Equal(OutputShape.Wide, s.Shape);

        Assert.True(s.Anomalies.Enabled);
        Assert.Equal(2.5, s.Anomalies.ProbabilityScale);
        Assert.Equal(new AnomalyTypeOptions { Enabled = false, Weight = 0.5, Duration = TimeSpan.FromSeconds(2) }, s.Anomalies.Types[AnomalyKind.Spike]);
        Assert.Equal(new AnomalyTypeOptions { Weight = 0.3, Duration = TimeSpan.FromMinutes(6) }, s.Anomalies.Types[AnomalyKind.Trend]);
        Assert.Equal(new AnomalyTypeOptions { Weight = 0.06, Duration = TimeSpan.FromSeconds(11) }, s.Anomalies.Types[AnomalyKind.Dropout]);
        Assert.Equal(7, s.Anomalies.Types.Count);

        Assert.Equal(3, s.Sinks.Count);
        Assert.Equal(new SinkOptions { Type = "console", Name = "screen" }.With("format", "json"), s.Sinks[0]);
        SinkOptions file = s.Sinks[1];
        Assert.Equal(new SinkOptions { Type = "file", QueueCapacity = 8, BatchSize = 4096 }, file with { Settings = new Dictionary<string, string>() });
        Assert.Equal("jsonl", file.Setting("format"));
        Assert.Equal(Path.Combine(dir.Path, "output"), file.Setting("path"));
        Assert.Equal(TimeSpan.FromHours(1), Duration(file.Setting("rotation")));
        Assert.Equal(100L << 20, Size(file.Setting("max_bytes")));
        Assert.Equal("lz4", file.Setting("compression"));
        Assert.Equal(new SinkOptions { Type = "null", Name = "discard" }, s.Sinks[2]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("fleet:\ntime:\nengine:\noutput:\nanomalies:\n")]
    public void Load_EmptyScenario_HasModelDefaults(string yaml)
    {
        Scenario s = Load(yaml);

        var defaults = new Scenario();
        Assert.Equal("test.yaml", s.SourcePath);
        Assert.Equal(defaults.Seed, s.Seed);
        Assert.Equal(defaults.Industries, s.Industries);
        Assert.Equal(defaults.Devices, s.Devices);
        Assert.Equal(defaults.Device, s.Device);
        Assert.Empty(s.CustomSensors);
        Assert.Null(s.Interval);
        Assert.Equal(TimeMode.Backfill, s.Mode);
        Assert.Null(s.Start);
        Assert.Null(s.Duration);
        Assert.Null(s.End);
        Assert.Equal(defaults.Threads, s.Threads);
        Assert.Equal(defaults.BatchSize, s.BatchSize);
        Assert.Equal(SimdWidth.Auto, s.Simd);
        Assert.Equal(Shard.All, s.Shard);
        Assert.Equal(OutputShape.Narrow, s.Shape);
        Assert.Equal(defaults.Anomalies.Enabled, s.Anomalies.Enabled);
        Assert.Equal(AnomalyOptions.Defaults, s.Anomalies.Types);
        Assert.Equal(new SinkOptions { Type = "console" }, Assert.Single(s.Sinks));
    }

    [Fact]
    public void Load_IndustriesAll_ExpandsToEveryBuiltInIndustry()
    {
        Scenario s = Load("fleet:\n  industries: all\n");

        Assert.Equal(SensorCatalog.Industries, s.Industries);
        Assert.Equal(16, s.Industries.Count);
    }

    [Fact]
    public void Load_IndustriesSingleStringAndDuplicates_GiveDistinctList()
    {
        Assert.Equal(["environmental"], Load("fleet:\n  industries: environmental\n").Industries);
        Assert.Equal(["space", "mining"], Load("fleet:\n  industries: [space, mining, space]\n").Industries);
    }

    [Fact]
    public void Load_EmptyIndustriesWithCustomSensors_HasOnlyCustomSensors()
    {
        Scenario s = Load(
            """
            fleet:
              industries: []
            custom_sensors:
              sensors:
                - { name: a, sensor_type: status, unit: "", min_value: 0, max_value: 3, nominal_value: 1 }
            """);

        Assert.Empty(s.Industries);
        SensorDefinition a = Assert.Single(s.CustomSensors);
        Assert.Equal("custom", a.Industry);
    }

    [Fact]
    public void Load_SensorWithRequiredKeysOnly_HasSameDefaultsAsCsvReader()
    {
        const string Columns = "name,sensor_type,unit,min_value,max_value,nominal_value";
        foreach (string row in new[] { "flow_a,flow,m3/h,10,210,110", "state,status,,0,4,2" })
        {
            string[] f = row.Split(',');
            Scenario s = Load(
                $"""
                custom_sensors:
                  sensors:
                    - name: {f[0]}
                      sensor_type: {f[1]}
                      unit: "{f[2]}"
                      min_value: {f[3]}
                      max_value: {f[4]}
                      nominal_value: {f[5]}
                """);
            SensorDefinition fromCsv = Assert.Single(SensorCsvReader.Read(new StringReader(Columns + "\n" + row + "\n"), "t.csv", "custom"));

            Assert.Equal(fromCsv, Assert.Single(s.CustomSensors));
        }
    }

    [Fact]
    public void Load_PartialAnomalyTypes_MergeOverDefaults()
    {
        Scenario s = Load("anomalies:\n  types:\n    stuck: { weight: 0.5 }\n    noise:\n");

        foreach ((AnomalyKind kind, AnomalyTypeOptions def) in AnomalyOptions.Defaults)
        {
            AnomalyTypeOptions expected = kind == AnomalyKind.Stuck ? def with { Weight = 0.5 } : def;
            Assert.Equal(expected, s.Anomalies.Types[kind]);
        }
        Assert.Equal(0.05, AnomalyOptions.Defaults[AnomalyKind.Stuck].Weight);
    }

    [Fact]
    public void Load_AnomaliesDisabledWithZeroWeights_IsAccepted()
    {
        const string Zero = "{ weight: 0 }";
        Scenario s = Load(
            $"anomalies:\n  enabled: false\n  types: {{ spike: {Zero}, trend: {Zero}, pattern: {Zero}, noise: {Zero}, missing_data: {Zero}, stuck: {Zero}, dropout: {Zero} }}\n");

        Assert.False(s.Anomalies.Enabled);
        Assert.All(s.Anomalies.Types.Values, t => Assert.Equal(0, t.Weight));
    }

    [Fact]
    public void Load_TimeEndWithOffset_IsParsed()
    {
        Scenario s = Load("time:\n  start: 2026-01-01T01:00:00+01:00\n  end: 2026-01-01T00:30:00.5Z\n");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), s.Start);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 30, 0, 500, TimeSpan.Zero), s.End);
        Assert.Null(s.Duration);
    }

    [Fact]
    public void Load_SinkDefaults_ComeFromTheProviders()
    {
        Scenario s = Load("sinks:\n  - type: console\n  - type: file\n  - { type: \"null\" }\n");

        Assert.All(s.Sinks, o => Assert.Empty(o.Settings));
        var file = Assert.IsType<FileSink>(SinkRegistry.Default.Create(s.Sinks[1], new SinkContext(s)));
        Assert.Equal(Path.GetFullPath("./output"), file.Directory);
        Assert.IsType<NullSink>(SinkRegistry.Default.Create(s.Sinks[2], new SinkContext(s)));
    }

    [Fact]
    public void Load_SinkPaths_ResolveAgainstBaseDirectoryOnlyWhenRelative()
    {
        string baseDir = Path.Combine(Path.GetTempPath(), "scenarios");
        string absolute = Path.Combine(Path.GetTempPath(), "elsewhere");
        const string Yaml = "sinks:\n  - { type: file, path: out/a }\n  - { type: file, path: ABS }\n";
        string yaml = Yaml.Replace("ABS", absolute, StringComparison.Ordinal);

        Scenario withBase = Load(yaml, baseDir);
        Scenario withoutBase = Load(yaml);

        Assert.Equal(Path.Combine(baseDir, "out", "a"), withBase.Sinks[0].Setting("path"));
        Assert.Equal(absolute, withBase.Sinks[1].Setting("path"));
        Assert.Equal("out/a", withoutBase.Sinks[0].Setting("path"));
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("64KB", 65536L)]
    [InlineData("\"1.5 GB\"", 1610612736L)]
    public void Load_MaxBytes_AcceptsBytesAndUnits(string value, long expected)
    {
        Scenario s = Load($"sinks:\n  - type: file\n    max_bytes: {value}\n");

        Assert.Equal(expected, Size(s.Sinks[0].Setting("max_bytes")));
    }

    [Fact]
    public void Load_CsvWithIndustryColumn_KeepsRowLabels()
    {
        using var dir = new TempDirectory();
        dir.Write("a.csv", "industry,name,sensor_type,unit,min_value,max_value,nominal_value\nlab,ph_1,ph,pH,0,14,7\n,t_1,temperature,C,0,10,5\n");

        Scenario s = Load("custom_sensors:\n  csv: a.csv\n", dir.Path);

        Assert.Equal(["lab", "custom"], s.CustomSensors.Select(d => d.Industry));
    }

    [Fact]
    public void Load_NumbersInOtherPlainForms_AreAccepted()
    {
        Scenario s = Load("engine:\n  batch_size: 1e6\n  threads: 4.0\nanomalies:\n  probability_scale: .5\n");

        Assert.Equal(1_000_000, s.BatchSize);
        Assert.Equal(4, s.Threads);
        Assert.Equal(0.5, s.Anomalies.ProbabilityScale);
    }
}
