using YamlDotNet.RepresentationModel;

namespace IotSim.Core.Scenarios;

public static partial class ScenarioLoader
{
    private sealed partial class Parser
    {
        private List<SinkOptions> Sinks(Entry section)
        {
            if (IsNull(section.Value)) return [new SinkOptions { Type = "console" }];
            var result = new List<SinkOptions>();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((YamlNode node, string path) in Sequence(section.Value, section.Path, "a list of sinks"))
            {
                SinkOptions sink = Sink(node, path);
                if (sink.Name is { } name && !names.TryAdd(name, path))
                {
                    throw Fail(ValueOf((YamlMappingNode)node, "name") ?? node, path + ".name", $"sink name '{name}' is already used by {names[name]}");
                }
                result.Add(sink);
            }
            if (result.Count == 0)
            {
                throw Fail(section.Value, section.Path, $"at least one sink is required; sink types: {List(SinkOptions.Types)}");
            }
            return result;
        }

        private SinkOptions Sink(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(node, path, $"expected a sink (a mapping with a type: {List(SinkOptions.Types)}), found {Describe(node)}");
            }
            // The type decides which keys are allowed, so it is read before the others.
            if (ValueOf(map, "type") is not { } typeNode)
            {
                throw Fail(node, path + ".type", $"required key is missing; sink types: {List(SinkOptions.Types)}");
            }
            // A plain `type: null` is YAML's null value, but here it can only mean the null sink.
            string type = typeNode is YamlScalarNode { Value: "null" }
                ? "null"
                : Choice(typeNode, path + ".type", OptionSpecs.SinkType);
            string[] allowed = SinkKeysFor(type);
            foreach (KeyValuePair<YamlNode, YamlNode> child in map.Children)
            {
                if (child.Key is YamlScalarNode { Value: { } key } && !allowed.Contains(key) && IsSinkKey(key))
                {
                    throw Fail(child.Key, Join(path, key), $"'{key}' does not apply to a {type} sink; keys for {type}: {List(allowed)}");
                }
            }

            var sink = new SinkOptions
            {
                Type = type,
                Format = type switch
                {
                    "console" => OptionSpecs.ConsoleFormat.Choices[0],
                    "file" => OptionSpecs.FileFormat.Choices[0],
                    _ => null,
                },
            };
            foreach (Entry e in Entries(node, path, allowed))
            {
                sink = e.Key switch
                {
                    "type" => sink,
                    "name" => sink with { Name = Name(e.Value, e.Path, OptionSpecs.SinkName) },
                    "format" => sink with { Format = Choice(e.Value, e.Path, type == "console" ? OptionSpecs.ConsoleFormat : OptionSpecs.FileFormat) },
                    "path" => sink with { Path = ResolvePath(NonEmpty(e.Value, e.Path)) },
                    "rotation" => sink with { RotateEvery = Duration(e.Value, e.Path, OptionSpecs.Rotation) },
                    "max_bytes" => sink with { RotateBytes = Size(e.Value, e.Path, OptionSpecs.MaxBytes) },
                    "compression" => sink with { Compression = (Compression)IndexOf(OptionSpecs.Compression.Choices, Choice(e.Value, e.Path, OptionSpecs.Compression)) },
                    "queue_capacity" => sink with { QueueCapacity = Int32(e.Value, e.Path, OptionSpecs.QueueCapacity) },
                    "batch_size" => sink with { BatchSize = Int32(e.Value, e.Path, OptionSpecs.SinkBatchSize) },
                    _ => throw new InvalidOperationException("unhandled key " + e.Key),
                };
            }
            return sink;
        }

        private static int IndexOf(IReadOnlyList<string> list, string value)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] == value) return i;
            }
            return -1;
        }

        private static bool IsSinkKey(string key) =>
            ConsoleSinkKeys.Contains(key) || FileSinkKeys.Contains(key) || NullSinkKeys.Contains(key);
    }
}
