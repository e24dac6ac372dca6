using IotSim.Core.Sinks;
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
                throw Fail(section.Value, section.Path, $"at least one sink is required; sink types: {List(sinks.Types)}");
            }
            return result;
        }

        private SinkOptions Sink(YamlNode node, string path)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(node, path, $"expected a sink (a mapping with a type: {List(sinks.Types)}), found {Describe(node)}");
            }
            // The type decides which keys are allowed, so it is read before the others.
            if (ValueOf(map, "type") is not { } typeNode)
            {
                throw Fail(node, path + ".type", $"required key is missing; sink types: {List(sinks.Types)}");
            }
            // A plain `type: null` is YAML's null value, but here it can only mean the null sink.
            string type = typeNode is YamlScalarNode { Value: "null" }
                ? "null"
                : Choice(typeNode, path + ".type", sinks.TypeSpec);
            ISinkProvider provider = sinks.Get(type);
            IReadOnlyList<string> allowed = SinkRegistry.KeysOf(provider);
            foreach (KeyValuePair<YamlNode, YamlNode> child in map.Children)
            {
                if (child.Key is YamlScalarNode { Value: { } key } && !allowed.Contains(key)
                    && sinks.Providers.Any(p => SinkRegistry.KeysOf(p).Contains(key)))
                {
                    throw Fail(child.Key, Join(path, key), $"'{key}' does not apply to a {type} sink; keys for {type}: {List(allowed)}");
                }
            }
            var sink = new SinkOptions { Type = type };
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Entry e in Entries(node, path, allowed, $"key for a {type} sink"))
            {
                switch (e.Key)
                {
                    case "type":
                        break;
                    case "name":
                        sink = sink with { Name = Name(e.Value, e.Path, OptionSpecs.SinkName) };
                        break;
                    case "queue_capacity":
                        sink = sink with { QueueCapacity = Int32(e.Value, e.Path, OptionSpecs.QueueCapacity) };
                        break;
                    case "batch_size":
                        sink = sink with { BatchSize = Int32(e.Value, e.Path, OptionSpecs.SinkBatchSize) };
                        break;
                    case "max_buffer":
                        sink = sink with { MaxBuffer = Integer(e.Value, e.Path, OptionSpecs.MaxBuffer) };
                        break;
                    case "flush_interval":
                        sink = sink with { FlushInterval = Duration(e.Value, e.Path, OptionSpecs.FlushInterval) };
                        break;
                    case "backpressure":
                        sink = sink with { Backpressure = (Backpressure)OptionSpecs.Backpressure.IndexOf(Choice(e.Value, e.Path, OptionSpecs.Backpressure)) };
                        break;
                    case "retries":
                        sink = sink with { Retries = Int32(e.Value, e.Path, OptionSpecs.Retries) };
                        break;
                    case "retry_delay":
                        sink = sink with { RetryDelay = Duration(e.Value, e.Path, OptionSpecs.RetryDelay) };
                        break;
                    case "retry_max_delay":
                        sink = sink with { RetryMaxDelay = Duration(e.Value, e.Path, OptionSpecs.RetryMaxDelay) };
                        break;
                    case "retry_jitter":
                        sink = sink with { RetryJitter = Number(e.Value, e.Path, OptionSpecs.RetryJitter) };
                        break;
                    case "parallelism":
                        int writers = Int32(e.Value, e.Path, OptionSpecs.Parallelism);
                        if (writers > 1 && !provider.Capabilities.ParallelWriters)
                        {
                            throw Fail(e.Value, e.Path, $"a {type} sink writes in order with one writer; allowed: 1");
                        }
                        sink = sink with { Parallelism = writers };
                        break;
                    default:
                        OptionSpec spec = provider.Options.First(s => SinkRegistry.KeyOf(s) == e.Key);
                        if (spec.IsMap && e.Value is YamlMappingNode entries)
                        {
                            foreach (KeyValuePair<YamlNode, YamlNode> child in entries.Children)
                            {
                                string name = child.Key is YamlScalarNode { Value: { Length: > 0 } k } ? k.Trim() : throw Fail(child.Key, e.Path, "a name must be a plain word, not " + Describe(child.Key));
                                string full = Join(e.Path, name);
                                if (!settings.TryAdd($"{e.Key}.{name}", Scalar(child.Value, full, "a text, number or boolean value").Value!.Trim()))
                                {
                                    throw Fail(child.Key, full, "the name appears twice");
                                }
                                _origins[full] = new KeyOrigin(ToLine(child.Key.Start.Line), null);
                            }
                            break;
                        }
                        // Numbers and booleans must be plain scalars, as a schema-validating editor would demand.
                        string text = spec.Kind is OptionKind.Integer or OptionKind.Number or OptionKind.Boolean
                            ? Plain(e.Value, e.Path, spec.Kind == OptionKind.Boolean ? "true or false" : "a number")
                            : Scalar(e.Value, e.Path, "a text value").Value!;
                        if (spec.Check(text) is { } problem) throw Fail(e.Value, e.Path, problem);
                        settings[e.Key] = spec.IsPath ? ResolvePath(text.Trim()) : text.Trim();
                        break;
                }
            }
            return sink with { Settings = settings };
        }

    }
}
