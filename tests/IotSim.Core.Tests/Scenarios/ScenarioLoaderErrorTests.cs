using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Scenarios;

public sealed class ScenarioLoaderErrorTests
{
    /// <summary>Loads <paramref name="yaml"/>, expecting an error at <paramref name="line"/> about <paramref name="key"/> whose message contains every fragment.</summary>
    private static ConfigException AssertError(string yaml, int line, string? key, params string[] fragments)
    {
        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(yaml, "bad.yaml", null));
        Assert.Equal("bad.yaml", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Equal(key, ex.Key);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }
        Assert.StartsWith($"bad.yaml:{line}: ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void LoadFile_MissingFile_NamesTheFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "nope.yaml");

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal(path, ex.File);
        Assert.Equal(0, ex.Line);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_ErrorInFile_ReportsThePathAsGiven()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("s.yaml", "seed: 1\nfleet:\n  devices: lots\n");

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal(path, ex.File);
        Assert.Equal(3, ex.Line);
        Assert.Equal("fleet.devices", ex.Key);
    }

    [Theory]
    [InlineData("seed: 1\nfleet:\n  devices: 10\n   bad: 2\n", 4)]
    [InlineData("seed: 1\nsinks: [ { type: console }\n", 3)]
    [InlineData("fleet:\n  industries: [mining\n  devices: 2\n", 3)]
    public void Load_YamlSyntaxError_ReportsLine(string yaml, int line)
    {
        var ex = AssertError(yaml, line, null, "invalid YAML");
        Assert.DoesNotContain("Idx:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateKey_IsAnError()
    {
        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("seed: 1\nfleet:\n  devices: 2\n  devices: 3\n", "bad.yaml", null));

        Assert.Equal(4, ex.Line);
    }

    [Fact]
    public void Load_TwoDocuments_IsAnError() =>
        AssertError("seed: 1\n---\nseed: 2\n", 3, null, "one YAML document");

    [Fact]
    public void Load_RootIsAList_IsAnError() =>
        AssertError("- seed: 1\n", 1, null, "expected a mapping", "seed, fleet");

    [Theory]
    [InlineData("sede: 1\n", 1, "sede", "did you mean 'seed'", "allowed: seed, fleet, custom_sensors, time, engine, output, anomalies, dirty, sinks")]
    [InlineData("fleet:\n  devcies: 10\n", 2, "fleet.devcies", "did you mean 'devices'", "allowed: industries, devices, interval, device")]
    [InlineData("fleet:\n  device:\n    firmwre: \"1.4\"\n", 3, "fleet.device.firmwre", "did you mean 'firmware'")]
    [InlineData("time:\n  mode: backfill\n  duraton: 1h\n", 3, "time.duraton", "did you mean 'duration'")]
    [InlineData("engine:\n  thread: 2\n", 2, "engine.thread", "did you mean 'threads'")]
    [InlineData("output:\n  shap: wide\n", 2, "output.shap", "did you mean 'shape'", "allowed: shape")]
    [InlineData("anomalies:\n  probability: 2\n", 2, "anomalies.probability", "allowed: enabled, probability_scale, types")]
    [InlineData("anomalies:\n  types:\n    spike: { wieght: 1 }\n", 3, "anomalies.types.spike.wieght", "did you mean 'weight'")]
    [InlineData("custom_sensors:\n  sensor: []\n", 2, "custom_sensors.sensor", "did you mean 'sensors'")]
    [InlineData("sinks:\n  - type: file\n    formt: csv\n", 3, "sinks[0].formt", "did you mean 'format'", "path")]
    public void Load_UnknownKey_SuggestsAndListsAllowed(string yaml, int line, string key, params string[] fragments)
    {
        var ex = AssertError(yaml, line, key, fragments);
        Assert.Contains("unknown key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownSensorKey_ReportsDeepPath() =>
        AssertError(
            """
            custom_sensors:
              sensors:
                - name: a
                  sensor_type: flow
                  unit: l
                  min_value: 0
                  max_valeu: 10
                  nominal_value: 5
            """, 7, "custom_sensors.sensors[0].max_valeu", "did you mean 'max_value'", "cycle_period_seconds");

    [Theory]
    [InlineData("fleet:\n  devices: abc\n", 2, "fleet.devices", "expected a number, found 'abc'")]
    [InlineData("fleet:\n  devices: 2.5\n", 2, "fleet.devices", "expected a whole number, found '2.5'")]
    [InlineData("fleet:\n  devices: \"10\"\n", 2, "fleet.devices", "quoted", "without quotes")]
    [InlineData("fleet:\n  devices:\n", 2, "fleet.devices", "expected a number, found nothing")]
    [InlineData("seed: -1\n", 1, "seed", "18446744073709551615", "'-1'")]
    [InlineData("seed: {a: 1}\n", 1, "seed", "found a mapping")]
    [InlineData("anomalies:\n  enabled: maybe\n", 2, "anomalies.enabled", "expected true or false, found 'maybe'")]
    [InlineData("anomalies:\n  probability_scale: high\n", 2, "anomalies.probability_scale", "expected a number, found 'high'")]
    [InlineData("fleet: [mining]\n", 1, "fleet", "expected a mapping", "found a list")]
    [InlineData("fleet:\n  industries: {a: 1}\n", 2, "fleet.industries", "found a mapping")]
    [InlineData("time:\n  duration: forever\n", 2, "time.duration", "expected a duration, found 'forever'", "1h30m")]
    [InlineData("time:\n  start: 2026-01-01T00:00:00\n", 2, "time.start", "with Z or an offset")]
    [InlineData("time:\n  start: yesterday\n", 2, "time.start", "ISO 8601")]
    [InlineData("sinks:\n  type: console\n", 2, "sinks", "expected a list of sinks", "found a mapping")]
    [InlineData("sinks:\n  - console\n", 2, "sinks[0]", "expected a sink")]
    [InlineData("sinks:\n  - type: file\n    max_bytes: huge\n", 3, "sinks[0].max_bytes", "expected a size, found 'huge'", "KB, MB or GB")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: low, max_value: 1, nominal_value: 0 }\n", 3, "custom_sensors.sensors[0].min_value", "expected a number, found 'low'")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0, cyclic: 2 }\n", 3, "custom_sensors.sensors[0].cyclic", "expected true or false")]
    [InlineData("custom_sensors:\n  sensors:\n    -\n", 3, "custom_sensors.sensors[0]", "expected a sensor definition")]
    public void Load_WrongType_SaysWhatWasExpected(string yaml, int line, string key, params string[] fragments) =>
        AssertError(yaml, line, key, fragments);

    [Theory]
    [InlineData("fleet:\n  devices: 0\n", 2, "fleet.devices", "allowed: 1 to 100000000")]
    [InlineData("fleet:\n  devices: 100000001\n", 2, "fleet.devices", "allowed: 1 to 100000000")]
    [InlineData("fleet:\n  interval: 0s\n", 2, "fleet.interval", "allowed: 1ms to 1d")]
    [InlineData("fleet:\n  interval: 2d\n", 2, "fleet.interval", "allowed: 1ms to 1d")]
    [InlineData("fleet:\n  interval: 1.5ms\n", 2, "fleet.interval", "whole number of milliseconds")]
    [InlineData("engine:\n  threads: 1025\n", 2, "engine.threads", "allowed: 0 to 1024")]
    [InlineData("engine:\n  batch_size: 0\n", 2, "engine.batch_size", "allowed: 1 to 67108864")]
    [InlineData("time:\n  duration: 0\n", 2, "time.duration", "allowed: more than 0s")]
    [InlineData("anomalies:\n  probability_scale: 1001\n", 2, "anomalies.probability_scale", "allowed: 0 to 1000")]
    [InlineData("anomalies:\n  types:\n    trend: { weight: -1 }\n", 3, "anomalies.types.trend.weight", "allowed: 0 to 1000")]
    [InlineData("anomalies:\n  types:\n    trend: { duration: 6d }\n", 3, "anomalies.types.trend.duration", "1ms to 5d")]
    [InlineData("anomalies:\n  types:\n    trend: { duration: 0s }\n", 3, "anomalies.types.trend.duration", "1ms to 5d")]
    [InlineData("sinks:\n  - type: file\n    max_bytes: 4095\n", 3, "sinks[0].max_bytes", "4096")]
    [InlineData("sinks:\n  - type: file\n    rotation: 100ms\n", 3, "sinks[0].rotation", "allowed: 1s to 366d")]
    [InlineData("sinks:\n  - type: console\n    queue_capacity: 0\n", 3, "sinks[0].queue_capacity", "allowed: 1 to 1024")]
    [InlineData("sinks:\n  - type: console\n    batch_size: 67108865\n", 3, "sinks[0].batch_size", "allowed: 1 to 67108864")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0, precision: 7 }\n", 3, "custom_sensors.sensors[0].precision", "allowed: 0 to 6")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0, anomaly_probability: 1.5 }\n", 3, "custom_sensors.sensors[0].anomaly_probability", "allowed: 0 to 1")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0, noise_std: -0.1 }\n", 3, "custom_sensors.sensors[0].noise_std", "allowed: 0 to 16777216")]
    public void Load_OutOfRange_NamesAllowedRange(string yaml, int line, string key, params string[] fragments)
    {
        var ex = AssertError(yaml, line, key, fragments);
        Assert.Contains("allowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fleet:\n  industries: [mining, minning]\n", 2, "fleet.industries[1]", "unknown industry 'minning'", "did you mean 'mining'", "all, environmental, mining", "renewable_energy")]
    [InlineData("fleet:\n  industries: enviromental\n", 2, "fleet.industries", "did you mean 'environmental'")]
    [InlineData("fleet:\n  industries:\n    - mining\n    - retail\n", 4, "fleet.industries[1]", "unknown industry 'retail'", "smart_building")]
    [InlineData("custom_sensors:\n  sensors:\n    - { name: a, sensor_type: temprature, unit: C, min_value: 0, max_value: 1, nominal_value: 0 }\n", 3, "custom_sensors.sensors[0].sensor_type", "unknown sensor type 'temprature'", "did you mean 'temperature'", "conductivity, position, status")]
    [InlineData("anomalies:\n  types:\n    spkie: { weight: 1 }\n", 3, "anomalies.types.spkie", "unknown anomaly kind 'spkie'", "did you mean 'spike'", "spike, trend, pattern, noise, missing_data, stuck, dropout")]
    [InlineData("sinks:\n  - type: kafka\n", 2, "sinks[0].type", "unknown sink type 'kafka'", "allowed: console, file, null")]
    [InlineData("sinks:\n  - type: file\n    format: xml\n", 3, "sinks[0].format", "unknown file format 'xml'", "allowed: csv, jsonl")]
    [InlineData("sinks:\n  - type: console\n    format: csv\n", 3, "sinks[0].format", "unknown console format 'csv'", "allowed: text, json")]
    [InlineData("sinks:\n  - type: file\n  - type: file\n    compression: zip\n", 4, "sinks[1].compression", "unknown compression 'zip'", "allowed: none, gzip, lz4")]
    [InlineData("time:\n  mode: live\n", 2, "time.mode", "unknown time mode 'live'", "allowed: backfill, realtime")]
    [InlineData("output:\n  shape: tall\n", 2, "output.shape", "unknown output shape 'tall'", "allowed: narrow, wide")]
    [InlineData("engine:\n  simd: avx2\n", 2, "engine.simd", "unknown SIMD width 'avx2'", "allowed: auto, scalar, v128, v256, v512")]
    [InlineData("fleet:\n  device:\n    manufacturer: sensortek\n", 3, "fleet.device.manufacturer", "did you mean 'SensorTech'", "DataLogger, DataSense, MonitorPro")]
    [InlineData("fleet:\n  device:\n    firmware: \"9.9\"\n", 3, "fleet.device.firmware", "unknown firmware version '9.9'", "3.2-rc1")]
    [InlineData("fleet:\n  device:\n    model: EnvMonitor-9000\n", 3, "fleet.device.model", "unknown model 'EnvMonitor-9000'", "did you mean 'EnvMonitor-3000'", "ProEnviron-800")]
    [InlineData("fleet:\n  device:\n    model: ProTemp-500\n    manufacturer: SensorTech\n", 3, "fleet.device.model", "model 'ProTemp-500' is not made by SensorTech", "allowed: TempSensor Pro, HumidCheck 2000, PressureGuard, EnvMonitor-3000")]
    [InlineData("fleet:\n  device:\n    id_prefix: \"dev 1\"\n", 3, "fleet.device.id_prefix", "letters, digits, '_' and '-'")]
    public void Load_UnknownValue_ListsAllowedValues(string yaml, int line, string key, params string[] fragments) =>
        AssertError(yaml, line, key, fragments);

    [Theory]
    [InlineData("2/2")]
    [InlineData("abc")]
    [InlineData("-1/2")]
    [InlineData("1/0")]
    [InlineData("1")]
    public void Load_BadShard_ExplainsForm(string shard) =>
        AssertError($"engine:\n  threads: 1\n  shard: \"{shard}\"\n", 3, "engine.shard", "expected i/N with 0 <= i < N", $"'{shard}'");

    [Fact]
    public void Load_DurationAndEnd_IsAnError() =>
        AssertError("time:\n  start: 2026-01-01T00:00:00Z\n  duration: 1h\n  end: 2026-01-01T01:00:00Z\n", 4, "time.end", "not both", "line 3");

    [Fact]
    public void Load_EndAndDurationInOtherOrder_StillReportsEnd() =>
        AssertError("time:\n  end: 2026-01-01T01:00:00Z\n  duration: 1h\n", 2, "time.end", "not both");

    [Theory]
    [InlineData("2026-01-01T00:00:00Z")]
    [InlineData("2025-12-31T23:00:00Z")]
    [InlineData("2026-01-01T01:00:00+01:00")]
    public void Load_EndNotAfterStart_IsAnError(string end) =>
        AssertError($"time:\n  start: 2026-01-01T00:00:00Z\n  end: {end}\n", 3, "time.end", "must be after start");

    [Fact]
    public void Load_SensorNominalOutsideRange_PointsAtNominal() =>
        AssertError(
            """
            custom_sensors:
              sensors:
                - name: a
                  sensor_type: flow
                  unit: l
                  min_value: 0
                  max_value: 10
                  nominal_value: 11
            """, 8, "custom_sensors.sensors[0].nominal_value", "nominal_value (11) must lie within [0, 10]");

    [Fact]
    public void Load_SensorMinAboveMax_PointsAtMin() =>
        AssertError(
            """
            custom_sensors:
              sensors:
                - name: a
                  sensor_type: flow
                  unit: l
                  min_value: 20
                  max_value: 10
                  nominal_value: 15
            """, 6, "custom_sensors.sensors[0].min_value", "must not exceed max_value");

    [Fact]
    public void Load_CyclicSensorWithZeroPeriod_PointsAtPeriod() =>
        AssertError(
            "custom_sensors:\n  sensors:\n    - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0, cyclic: true,\n        cycle_period_seconds: 0 }\n",
            4, "custom_sensors.sensors[0].cycle_period_seconds", "allowed: more than 0");

    [Fact]
    public void Load_SensorMissingRequiredKey_ListsRequired() =>
        AssertError(
            "custom_sensors:\n  sensors:\n    - name: a\n      sensor_type: flow\n      min_value: 0\n      max_value: 1\n      nominal_value: 0\n",
            3, "custom_sensors.sensors[0].unit", "required key is missing", "name, sensor_type, unit, min_value, max_value, nominal_value");

    [Fact]
    public void Load_DuplicateCustomSensorName_PointsAtSecond() =>
        AssertError(
            """
            custom_sensors:
              sensors:
                - { name: a, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0 }
                - { name: b, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0 }
                - { name: a, sensor_type: level, unit: m, min_value: 0, max_value: 1, nominal_value: 0 }
            """, 5, "custom_sensors.sensors[2].name", "custom sensor 'a' is defined twice", "custom_sensors.sensors[0] (line 3)");

    [Fact]
    public void Load_CustomSensorClashingWithCsvSensor_IsAnError()
    {
        using var dir = new TempDirectory();
        dir.Write("s.csv", "name,sensor_type,unit,min_value,max_value,nominal_value\nflow_1,flow,l,0,10,5\n");
        const string Yaml = "custom_sensors:\n  csv: s.csv\n  sensors:\n    - { name: flow_1, sensor_type: flow, unit: l, min_value: 0, max_value: 1, nominal_value: 0 }\n";

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Yaml, "bad.yaml", dir.Path));

        Assert.Equal(4, ex.Line);
        Assert.Equal("custom_sensors.sensors[0].name", ex.Key);
        Assert.Contains("'flow_1' is defined twice: in s.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingCsvFile_ResolvesAgainstScenarioFolder()
    {
        using var dir = new TempDirectory();
        dir.Write("present.csv", "name,sensor_type,unit,min_value,max_value,nominal_value\nx,flow,l,0,10,5\n");
        string path = dir.Write("s.yaml", "custom_sensors:\n  csv:\n    - present.csv\n    - absent.csv\n");

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal(4, ex.Line);
        Assert.Equal("custom_sensors.csv[1]", ex.Key);
        Assert.Contains(Path.Combine(dir.Path, "absent.csv"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadCsvContent_ReportsCsvFileAndLine()
    {
        using var dir = new TempDirectory();
        string csv = dir.Write("s.csv", "name,sensor_type,unit,min_value,max_value,nominal_value\nok,flow,l,0,10,5\nbad,flow,l,0,10,50\n");

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("custom_sensors:\n  csv: s.csv\n", "bad.yaml", dir.Path));

        Assert.Equal(csv, ex.File);
        Assert.Equal(3, ex.Line);
    }

    [Theory]
    [InlineData("mining")]
    [InlineData("environmental")]
    [InlineData("all")]
    public void Load_CustomIndustryNamedLikeBuiltIn_IsAnError(string label) =>
        AssertError($"custom_sensors:\n  industry: {label}\n", 2, "custom_sensors.industry", $"'{label}' is a built-in name");

    [Fact]
    public void Load_CsvRowLabelledWithBuiltInIndustry_IsAnError()
    {
        using var dir = new TempDirectory();
        dir.Write("s.csv", "industry,name,sensor_type,unit,min_value,max_value,nominal_value\nmining,x,flow,l,0,10,5\n");

        var ex = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("custom_sensors:\n  csv: [s.csv]\n", "bad.yaml", dir.Path));

        Assert.Equal(2, ex.Line);
        Assert.Equal("custom_sensors.csv[0]", ex.Key);
        Assert.Contains("'mining' is a built-in name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyIndustriesWithoutCustomSensors_IsAnError() =>
        AssertError("fleet:\n  devices: 2\n  industries: []\n", 3, "fleet.industries", "at least one industry", "mining");

    [Fact]
    public void Load_SinkKeyOfAnotherType_NamesTypeAndItsKeys() =>
        AssertError("sinks:\n  - type: console\n    rotation: 1h\n", 3, "sinks[0].rotation",
            "'rotation' does not apply to a console sink", "keys for console: type, name, queue_capacity, max_buffer, flush_interval, batch_size, backpressure, retries, retry_delay, retry_max_delay, retry_jitter, parallelism, format");

    [Fact]
    public void Load_FormatOnNullSink_NamesTypeAndItsKeys() =>
        AssertError("sinks:\n  - name: x\n    format: csv\n    type: null\n", 3, "sinks[0].format",
            "'format' does not apply to a null sink", "keys for null: type, name, queue_capacity, max_buffer");

    [Fact]
    public void Load_SinkWithoutType_IsAnError() =>
        AssertError("sinks:\n  - type: console\n  - format: csv\n", 3, "sinks[1].type", "required key is missing", "console, file, null");

    [Fact]
    public void Load_EmptySinkList_IsAnError() =>
        AssertError("sinks: []\n", 1, "sinks", "at least one sink");

    [Fact]
    public void Load_DuplicateSinkName_IsAnError() =>
        AssertError("sinks:\n  - { type: console, name: out }\n  - type: file\n    name: out\n", 4, "sinks[1].name", "'out' is already used by sinks[0]");

    [Fact]
    public void Load_AllAnomalyKindsDisabled_IsAnErrorWhileEnabled()
    {
        string types = string.Join(", ", AnomalyKinds.Names.Select(n => n + ": { enabled: false }"));

        AssertError($"anomalies:\n  enabled: true\n  types: {{ {types} }}\n", 3, "anomalies.types", "at least one kind", "anomalies.enabled: false");
    }
}
