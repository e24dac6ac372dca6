using System.Text.Json;
using System.Text.RegularExpressions;
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
    private static string[] Enum(JsonElement e)
    {
        e = Resolve(e);
        // A choice that also takes a mapping of shares (fleet.device.manufacturer) lists its names in the first branch.
        if (e.TryGetProperty("oneOf", out JsonElement branches)) e = branches[0];
        return [.. e.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? "<null>" : v.GetString()!)];
    }

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
        foreach (Core.Sinks.ISinkProvider provider in Core.Sinks.SinkRegistry.Default.Providers)
        {
            Assert.Equal(Sorted(Core.Sinks.SinkRegistry.KeysOf(provider)), Keys(Sink(provider.Type)));
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

    /// <summary>The schema node that describes <paramref name="spec"/>'s key.</summary>
    private static JsonElement NodeOf(OptionSpec spec)
    {
        string key = spec.Key;
        if (key.StartsWith("custom_sensors.sensors[].", StringComparison.Ordinal))
        {
            return Def("sensor").GetProperty("properties").GetProperty(key["custom_sensors.sensors[].".Length..]);
        }
        if (key.StartsWith("anomalies.types.{kind}.", StringComparison.Ordinal))
        {
            return Def("anomalyType").GetProperty("properties").GetProperty(key["anomalies.types.{kind}.".Length..]);
        }
        if (spec == OptionSpecs.DeviceShare)
        {
            return Def("deviceShare");
        }
        if (key.StartsWith("sinks[].", StringComparison.Ordinal))
        {
            string name = key["sinks[].".Length..];
            // Parallel writers are allowed only where a sink type supports them (the null sink does).
            string type = name.EndsWith("(console)", StringComparison.Ordinal) ? "console" : name == "parallelism" ? "null" : "file";
            return Sink(type).GetProperty("properties").GetProperty(name.Split(' ')[0]);
        }
        return At(key.Split('.'));
    }

    public static TheoryData<string> SpecKeys()
    {
        var data = new TheoryData<string>();
        foreach (OptionSpec spec in OptionSpecs.All) data.Add(spec.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecKeys))]
    public void EveryOption_SchemaStatesTheSameLimits(string key)
    {
        OptionSpec spec = OptionSpecs.All.Single(s => s.Key == key);
        JsonElement node = NodeOf(spec);
        Assert.True(node.TryGetProperty("description", out _), $"{key}: no description in the schema");
        switch (spec.Kind)
        {
            case OptionKind.Choice:
                JsonElement choices = spec == OptionSpecs.Industries ? Def("industry") : spec == OptionSpecs.DeviceFieldsSpec ? Def("deviceField") : node;
                if (spec == OptionSpecs.SinkType)
                {
                    Assert.Equal(spec.Choices, SinkOptions.Types);
                    foreach (string type in spec.Choices)
                    {
                        JsonElement typeNode = Sink(type).GetProperty("properties").GetProperty("type");
                        string? named = typeNode.TryGetProperty("const", out JsonElement c) ? c.GetString() : typeNode.GetProperty("enum")[0].GetString();
                        Assert.Equal(type, named);
                    }
                }
                else
                {
                    Assert.Equal(spec.Choices, Enum(choices));
                }
                break;
            case OptionKind.Integer or OptionKind.Number:
                if (spec.Min != double.MinValue)
                {
                    string bound = spec.MinExclusive ? "exclusiveMinimum" : "minimum";
                    Assert.True(node.TryGetProperty(bound, out JsonElement min), $"{key}: the schema has no {bound}");
                    Assert.Equal(spec.Min, min.GetDouble());
                }
                if (spec.Max != double.MaxValue)
                {
                    Assert.True(node.TryGetProperty("maximum", out JsonElement max), $"{key}: the schema has no maximum");
                    Assert.Equal(spec.Max, max.GetDouble());
                }
                JsonElement jsonType = node.GetProperty("type");
                string expected = spec.Kind == OptionKind.Integer ? "integer" : "number";
                Assert.True(jsonType.ValueKind == JsonValueKind.Array ? jsonType.EnumerateArray().Any(t => t.GetString() == expected) : jsonType.GetString() == expected, $"{key}: type");
                break;
            case OptionKind.Size:
                Assert.Equal(spec.Min, Def("size").GetProperty("oneOf")[0].GetProperty("minimum").GetDouble());
                break;
            case OptionKind.Name:
                Assert.Equal($"^[A-Za-z0-9_-]{{1,{OptionSpec.MaxNameLength}}}$", node.GetProperty("pattern").GetString());
                break;
        }
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
