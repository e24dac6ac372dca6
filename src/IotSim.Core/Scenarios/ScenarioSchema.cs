using System.Text.Json.Nodes;
using IotSim.Core.Sinks;

namespace IotSim.Core.Scenarios;

/// <summary>
/// The JSON Schema (draft 2020-12) of scenario files, for editors that validate and complete YAML. The fixed sections
/// come from an embedded file; the sink definitions are generated from the registered sink providers' option specs,
/// so a sink type registered by a program appears in its schema with its own keys.
/// </summary>
public static class ScenarioSchema
{
    /// <summary>Name of the embedded resource holding the fixed part of the schema.</summary>
    internal const string ResourceName = "IotSim.scenario.schema.json";

    private static readonly Lazy<string> s_default = new(() => For(SinkRegistry.Default));

    /// <summary>The schema for the built-in sinks, as JSON text.</summary>
    public static string Text => s_default.Value;

    /// <summary>The schema for the sink types <paramref name="sinks"/> registers, as JSON text.</summary>
    public static string For(SinkRegistry sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        JsonObject root = JsonNode.Parse(ReadResource())!.AsObject();
        JsonObject defs = root["$defs"]!.AsObject();
        var oneOf = new JsonArray();
        foreach (ISinkProvider provider in sinks.Providers)
        {
            string def = provider.Type + "Sink";
            defs[def] = SinkDefinition(provider);
            oneOf.Add((JsonNode)new JsonObject { ["$ref"] = $"#/$defs/{def}" });
        }
        root["properties"]!["sinks"]!["items"] = new JsonObject { ["oneOf"] = oneOf };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject SinkDefinition(ISinkProvider provider)
    {
        // A plain `type: null` is YAML's null value, which the loader takes as the null sink.
        JsonNode type = provider.Type == "null"
            ? new JsonObject { ["description"] = "Sink type (a plain YAML null is accepted too).", ["enum"] = new JsonArray("null", null) }
            : new JsonObject { ["description"] = "Sink type.", ["const"] = provider.Type };
        var properties = new JsonObject
        {
            ["type"] = type,
            ["name"] = Property(OptionSpecs.SinkName, "Display name in reports and file names; must be unique. Default: the type."),
            ["queue_capacity"] = Property(OptionSpecs.QueueCapacity, "Batches queued for this sink before the backpressure policy applies. Default 4."),
            ["batch_size"] = Property(OptionSpecs.SinkBatchSize, "Readings per encoded chunk. Default: the engine batch."),
            ["max_buffer"] = Property(OptionSpecs.MaxBuffer, OptionSpecs.MaxBuffer.Description),
            ["flush_interval"] = Property(OptionSpecs.FlushInterval, OptionSpecs.FlushInterval.Description),
            ["backpressure"] = Property(OptionSpecs.Backpressure, OptionSpecs.Backpressure.Description + " Default block."),
            ["retries"] = Property(OptionSpecs.Retries, OptionSpecs.Retries.Description + " Default 3."),
            ["retry_delay"] = Property(OptionSpecs.RetryDelay, OptionSpecs.RetryDelay.Description + " Default 100ms."),
            ["retry_max_delay"] = Property(OptionSpecs.RetryMaxDelay, OptionSpecs.RetryMaxDelay.Description + " Default 10s."),
            ["retry_jitter"] = Property(OptionSpecs.RetryJitter, OptionSpecs.RetryJitter.Description + " Default 0.2."),
            ["parallelism"] = provider.Capabilities.ParallelWriters
                ? Property(OptionSpecs.Parallelism, OptionSpecs.Parallelism.Description + " Default 1.")
                : Property(OptionSpecs.Parallelism with { Max = 1 }, "This sink writes in order with one writer."),
        };
        foreach (OptionSpec spec in provider.Options)
        {
            properties[SinkRegistry.KeyOf(spec)] = Property(spec, spec.Description);
        }
        return new JsonObject
        {
            ["description"] = provider.Description,
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("type"),
            ["properties"] = properties,
        };
    }

    /// <summary>The schema of one option, from its spec.</summary>
    internal static JsonObject Property(OptionSpec spec, string description)
    {
        var node = new JsonObject { ["description"] = $"{description} Allowed: {spec.Allowed}." };
        switch (spec.Kind)
        {
            case OptionKind.Integer or OptionKind.Number:
                node["type"] = spec.Kind == OptionKind.Integer ? "integer" : "number";
                if (spec.Min != double.MinValue) node[spec.MinExclusive ? "exclusiveMinimum" : "minimum"] = Number(spec.Min);
                if (spec.Max != double.MaxValue) node["maximum"] = Number(spec.Max);
                break;
            case OptionKind.Boolean:
                node["type"] = "boolean";
                break;
            case OptionKind.Duration:
                node["$ref"] = "#/$defs/duration";
                break;
            case OptionKind.Timestamp:
                node["$ref"] = "#/$defs/timestamp";
                break;
            case OptionKind.Size:
                node["$ref"] = "#/$defs/size";
                break;
            case OptionKind.Choice:
                node["enum"] = new JsonArray([.. spec.Choices.Select(c => (JsonNode?)JsonValue.Create(c))]);
                break;
            case OptionKind.Name:
                node["type"] = "string";
                node["pattern"] = $"^[A-Za-z0-9_-]{{1,{OptionSpec.MaxNameLength}}}$";
                break;
            case OptionKind.Shard:
                node["type"] = "string";
                node["pattern"] = "^\\s*[0-9]+\\s*/\\s*[0-9]+\\s*$";
                break;
            default:
                if (spec.IsMap)
                {
                    node["anyOf"] = new JsonArray(
                        new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                        new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") } });
                    break;
                }
                node["type"] = "string";
                node["minLength"] = 1;
                break;
        }
        return node;
    }

    // Whole numbers as integers, so the schema says 1024 rather than 1024.0.
    private static JsonValue Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 9e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private static string ReadResource()
    {
        using Stream stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
