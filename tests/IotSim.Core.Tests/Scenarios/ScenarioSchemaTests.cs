using System.Text.Json;
using System.Text.RegularExpressions;
using IotSim.Core.Catalog;
using IotSim.Core.Scenarios;

namespace IotSim.Core.Tests.Scenarios;

public sealed class ScenarioSchemaTests
{
    private static readonly JsonElement s_root = JsonDocument.Parse(ScenarioSchema.Text).RootElement;

    /// <summary>The element a local <c>$ref</c> points to, or the element itself.</summary>
    private static JsonElement Resolve(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("$ref", out JsonElement r))
        {
            string name = r.GetString()!["#/$defs/".Length..];
            return s_root.GetProperty("$defs").GetProperty(name);
        }
        return e;
    }

    /// <summary>Follows a path of property names from the root, resolving references.</summary>
    private static JsonElement At(params string[] path)
    {
        JsonElement e = s_root;
        foreach (string name in path)
        {
            e = Resolve(e.GetProperty("properties").GetProperty(name));
        }
        return e;
    }

    private static JsonElement Def(string name) => s_root.GetProperty("$defs").GetProperty(name);

    private static string[] Keys(JsonElement obj) => [.. obj.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];

    /// <summary>The values of an enum; a JSON null reads as "&lt;null&gt;".</summary>
    private static string[] Enum(JsonElement e) =>
        [.. Resolve(e).GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? "<null>" : v.GetString()!)];

    private static JsonElement Sink(string type) => Def(type + "Sink");

    [Fact]
    public void Text_IsDraft202012Json()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", s_root.GetProperty("$schema").GetString());
        Assert.Equal(JsonValueKind.Object, s_root.GetProperty("properties").ValueKind);
    }

    [Fact]
    public void PropertyNames_EqualLoaderKeysAtEveryLevel()
    {
        Assert.Equal(Sorted(ScenarioLoader.RootKeys), Keys(s_root));
        Assert.Equal(Sorted(ScenarioLoader.FleetKeys), Keys(At("fleet")));
        Assert.Equal(Sorted(ScenarioLoader.DeviceKeys), Keys(At("fleet", "device")));
        Assert.Equal(Sorted(ScenarioLoader.CustomSensorsKeys), Keys(At("custom_sensors")));
        Assert.Equal(Sorted(ScenarioLoader.SensorKeys), Keys(Resolve(At("custom_sensors", "sensors").GetProperty("items"))));
        Assert.Equal(Sorted(ScenarioLoader.TimeKeys), Keys(At("time")));
        Assert.Equal(Sorted(ScenarioLoader.EngineKeys), Keys(At("engine")));
        Assert.Equal(Sorted(ScenarioLoader.OutputKeys), Keys(At("output")));
        Assert.Equal(Sorted(ScenarioLoader.AnomaliesKeys), Keys(At("anomalies")));
        Assert.Equal(Sorted(AnomalyKinds.Names), Keys(At("anomalies", "types")));
        foreach (string kind in AnomalyKinds.Names)
        {
            Assert.Equal(Sorted(ScenarioLoader.AnomalyTypeKeys), Keys(At("anomalies", "types", kind)));
        }
        foreach (string type in SinkOptions.Types)
        {
            Assert.Equal(Sorted(ScenarioLoader.SinkKeysFor(type)), Keys(Sink(type)));
        }
    }

    [Fact]
    public void Sinks_OneOfCoversEveryTypeByDiscriminator()
    {
        string[] refs = [.. At("sinks").GetProperty("items").GetProperty("oneOf").EnumerateArray().Select(r => r.GetProperty("$ref").GetString()!)];
        Assert.Equal(SinkOptions.Types.Select(t => $"#/$defs/{t}Sink"), refs);
        Assert.Equal("console", Sink("console").GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        Assert.Equal("file", Sink("file").GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        Assert.Equal(["null", "<null>"], Enum(Sink("null").GetProperty("properties").GetProperty("type")));
        foreach (string type in SinkOptions.Types)
        {
            Assert.Equal(["type"], Sink(type).GetProperty("required").EnumerateArray().Select(v => v.GetString()));
        }
    }

    [Fact]
    public void Sensor_RequiresTheLoadersRequiredKeys()
    {
        Assert.Equal(ScenarioLoader.RequiredSensorKeys, Def("sensor").GetProperty("required").EnumerateArray().Select(v => v.GetString()!));
    }

    [Fact]
    public void EveryObject_IsClosedAndEveryPropertyDescribed()
    {
        int objects = 0;
        Walk(s_root, "#");
        Assert.True(objects >= 14, $"only {objects} objects with properties found");

        void Walk(JsonElement e, string where)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement item in e.EnumerateArray()) Walk(item, $"{where}[{i++}]");
                return;
            }
            if (e.ValueKind != JsonValueKind.Object) return;
            if (e.TryGetProperty("properties", out JsonElement props))
            {
                objects++;
                Assert.True(e.TryGetProperty("additionalProperties", out JsonElement ap) && ap.ValueKind == JsonValueKind.False, $"{where} is not closed");
                foreach (JsonProperty p in props.EnumerateObject())
                {
                    Assert.True(p.Value.TryGetProperty("description", out JsonElement d) && d.GetString()!.Length > 0, $"{where}.{p.Name} has no description");
                }
            }
            foreach (JsonProperty p in e.EnumerateObject()) Walk(p.Value, $"{where}/{p.Name}");
        }
    }

    [Fact]
    public void Enums_EqualLoaderChoices()
    {
        Assert.Equal(ScenarioLoader.IndustryChoices, Enum(Def("industry")));
        Assert.Equal(DeviceModels.ManufacturerNames, Enum(At("fleet", "device", "manufacturer")));
        Assert.Equal(DeviceModels.ManufacturerNames.SelectMany(m => DeviceModels.Models[m]), Enum(At("fleet", "device", "model")));
        Assert.Equal(DeviceModels.FirmwareVersions, Enum(At("fleet", "device", "firmware")));
        Assert.Equal(SensorTypes.Names, Enum(Def("sensor").GetProperty("properties").GetProperty("sensor_type")));
        Assert.Equal(ScenarioLoader.TimeModes, Enum(At("time", "mode")));
        Assert.Equal(ScenarioLoader.SimdWidths, Enum(At("engine", "simd")));
        Assert.Equal(ScenarioLoader.Shapes, Enum(At("output", "shape")));
        Assert.Equal(ScenarioLoader.ConsoleFormats, Enum(Sink("console").GetProperty("properties").GetProperty("format")));
        Assert.Equal(ScenarioLoader.FileFormats, Enum(Sink("file").GetProperty("properties").GetProperty("format")));
        Assert.Equal(ScenarioLoader.Compressions, Enum(Sink("file").GetProperty("properties").GetProperty("compression")));
    }

    [Fact]
    public void Ranges_EqualLoaderLimits()
    {
        static (double Min, double Max) Range(JsonElement e) => (e.GetProperty("minimum").GetDouble(), e.GetProperty("maximum").GetDouble());

        Assert.Equal((1, ScenarioLoader.MaxDevices), Range(At("fleet", "devices")));
        Assert.Equal((0, ScenarioLoader.MaxThreads), Range(At("engine", "threads")));
        Assert.Equal((1, ScenarioLoader.MaxBatchSize), Range(At("engine", "batch_size")));
        Assert.Equal((0, ScenarioLoader.MaxProbabilityScale), Range(At("anomalies", "probability_scale")));
        Assert.Equal((0, ScenarioLoader.MaxAnomalyWeight), Range(Def("anomalyType").GetProperty("properties").GetProperty("weight")));
        Assert.Equal((0, 6), Range(Def("sensor").GetProperty("properties").GetProperty("precision")));
        foreach (string type in SinkOptions.Types)
        {
            JsonElement props = Sink(type).GetProperty("properties");
            Assert.Equal((1, ScenarioLoader.MaxQueueCapacity), Range(props.GetProperty("queue_capacity")));
            Assert.Equal((1, ScenarioLoader.MaxBatchSize), Range(props.GetProperty("batch_size")));
        }
        JsonElement size = Def("size").GetProperty("oneOf")[0];
        Assert.Equal(ScenarioLoader.MinRotateBytes, size.GetProperty("minimum").GetInt64());
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("30s")]
    [InlineData("5m")]
    [InlineData("1h30m")]
    [InlineData("1d 2h")]
    [InlineData("1.5h")]
    [InlineData("90")]
    [InlineData("0.25")]
    [InlineData("01:30:00")]
    [InlineData("100:00:00.5")]
    [InlineData("abc")]
    [InlineData("1h30")]
    [InlineData("1 h")]
    [InlineData("1:2:3")]
    [InlineData("-5s")]
    [InlineData("5x")]
    [InlineData("")]
    public void DurationPattern_AgreesWithParserOnForm(string text)
    {
        string pattern = Def("duration").GetProperty("oneOf")[1].GetProperty("pattern").GetString()!;

        Assert.Equal(DurationParser.TryParse(text, out _), Regex.IsMatch(text, pattern));
    }

    [Theory]
    [InlineData("4096")]
    [InlineData("100MB")]
    [InlineData("1.5 gb")]
    [InlineData("64KB")]
    [InlineData("10 TB")]
    [InlineData("lots")]
    [InlineData("1.5")]
    public void SizePattern_AgreesWithParserOnForm(string text)
    {
        string pattern = Def("size").GetProperty("oneOf")[1].GetProperty("pattern").GetString()!;

        Assert.Equal(DurationParser.TryParseSize(text, out _), Regex.IsMatch(text, pattern));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", true)]
    [InlineData("2026-01-01T00:00:00.123+02:00", true)]
    [InlineData("2026-01-01 00:00:00Z", true)]
    [InlineData("2026-01-01T00:00:00", false)]
    [InlineData("2026-01-01", false)]
    public void TimestampPattern_AgreesWithLoader(string text, bool valid)
    {
        string pattern = Def("timestamp").GetProperty("pattern").GetString()!;
        bool loads = true;
        try
        {
            ScenarioLoader.Load($"time:\n  start: {text}\n", "t.yaml", null);
        }
        catch (ConfigException)
        {
            loads = false;
        }

        Assert.Equal(valid, Regex.IsMatch(text, pattern));
        Assert.Equal(valid, loads);
    }
}
