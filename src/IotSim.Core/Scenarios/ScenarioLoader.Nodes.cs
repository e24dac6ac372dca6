using IotSim.Core.Util;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IotSim.Core.Scenarios;

public static partial class ScenarioLoader
{
    /// <summary>One key of a mapping with its dotted path and value.</summary>
    private readonly record struct Entry(string Key, string Path, YamlNode KeyNode, YamlNode Value);

    /// <summary>One scalar of a string-or-list value with its path.</summary>
    private readonly record struct Item(string Text, string Path, YamlNode Node);

    /// <summary>Walks the YAML nodes of one document; the scalar helpers here turn nodes into typed values or errors.</summary>
    private sealed partial class Parser(string source, string? baseDirectory, Sinks.SinkRegistry sinks)
    {
        private readonly Dictionary<string, KeyOrigin> _origins = new(StringComparer.Ordinal);

        private ConfigException Fail(YamlNode node, string path, string problem) =>
            new(source, ToLine(node.Start.Line), path.Length == 0 ? null : path, problem);

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private static string List(IEnumerable<string> values) => string.Join(", ", values);

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s when IsNull(s) => "nothing",
            YamlScalarNode s => $"'{Excerpt.Of(s.Value)}'",
            _ => "an unsupported YAML node",
        };

        /// <summary>The entries of a mapping in document order; null (an empty section) gives none. Rejects unknown keys.</summary>
        private List<Entry> Entries(YamlNode node, string path, IReadOnlyList<string> allowed, string what = "key")
        {
            if (IsNull(node)) return [];
            if (node is not YamlMappingNode map)
            {
                throw Fail(node, path, $"expected a mapping with keys {List(allowed)}, found {Describe(node)}");
            }
            var result = new List<Entry>(map.Children.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<YamlNode, YamlNode> child in map.Children)
            {
                string key = child.Key is YamlScalarNode { Value: { } k } ? k : throw Fail(child.Key, path, "a key must be a plain word, not " + Describe(child.Key));
                string full = Join(path, key);
                if (!allowed.Contains(key))
                {
                    throw Fail(child.Key, full, Unknown(what, key, allowed));
                }
                if (!seen.Add(key))
                {
                    throw Fail(child.Key, full, "the key appears twice");
                }
                result.Add(new Entry(key, full, child.Key, child.Value));
                _origins[full] = new KeyOrigin(ToLine(child.Key.Start.Line), null);
            }
            return result;
        }

        private static string Unknown(string what, string value, IReadOnlyList<string> allowed) =>
            $"unknown {what} '{Excerpt.Of(value)}'{DidYouMean.Suggest(value, allowed)}; allowed: {List(allowed)}";

        private static YamlNode? ValueOf(YamlMappingNode map, string key)
        {
            foreach (KeyValuePair<YamlNode, YamlNode> child in map.Children)
            {
                if (child.Key is YamlScalarNode { Value: { } k } && k == key) return child.Value;
            }
            return null;
        }

        /// <summary>The items of a list; null gives none.</summary>
        private List<(YamlNode Node, string Path)> Sequence(YamlNode node, string path, string expected)
        {
            if (IsNull(node)) return [];
            if (node is not YamlSequenceNode seq)
            {
                throw Fail(node, path, $"expected {expected}, found {Describe(node)}");
            }
            var result = new List<(YamlNode, string)>(seq.Children.Count);
            for (int i = 0; i < seq.Children.Count; i++)
            {
                result.Add((seq.Children[i], $"{path}[{i}]"));
            }
            return result;
        }

        /// <summary>A single string or a list of strings.</summary>
        private List<Item> StringOrList(YamlNode node, string path, string expected)
        {
            if (node is YamlScalarNode && !IsNull(node))
            {
                return [new Item(Text(node, path), path, node)];
            }
            var result = new List<Item>();
            foreach ((YamlNode item, string itemPath) in Sequence(node, path, expected))
            {
                result.Add(new Item(Text(item, itemPath), itemPath, item));
            }
            return result;
        }

        private YamlScalarNode Scalar(YamlNode node, string path, string expected)
        {
            if (node is YamlScalarNode s && !IsNull(s)) return s;
            throw Fail(node, path, $"expected {expected}, found {Describe(node)}");
        }

        // Numbers and booleans must be plain scalars, as a schema-validating editor would demand.
        private string Plain(YamlNode node, string path, string expected)
        {
            YamlScalarNode s = Scalar(node, path, expected);
            if (s.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            {
                throw Fail(node, path, $"expected {expected}, found the quoted text '{Excerpt.Of(s.Value)}' (write it without quotes)");
            }
            return s.Value!;
        }

        private string Text(YamlNode node, string path) => Scalar(node, path, "a text value").Value!;

        private string NonEmpty(YamlNode node, string path)
        {
            string text = Text(node, path).Trim();
            return text.Length > 0 ? text : throw Fail(node, path, "must not be empty");
        }

        private bool Bool(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseBoolean(Plain(node, path, "true or false"), out bool value) is { } problem ? throw Fail(node, path, problem) : value;

        private long Integer(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseInteger(Plain(node, path, "a number"), out long value) is { } problem ? throw Fail(node, path, problem) : value;

        private int Int32(YamlNode node, string path, OptionSpec spec) => checked((int)Integer(node, path, spec));

        private double Number(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseNumber(Plain(node, path, "a number"), out double value) is { } problem ? throw Fail(node, path, problem) : value;

        private ulong UInt64(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseUInt64(Plain(node, path, "a number"), out ulong value) is { } problem ? throw Fail(node, path, problem) : value;

        /// <summary>A value from a fixed set, listed in the error with a suggestion.</summary>
        private string Choice(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseChoice(Text(node, path), out string value) is { } problem ? throw Fail(node, path, problem) : value;

        private TimeSpan Duration(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseDuration(Scalar(node, path, "a duration").Value!, out TimeSpan value) is { } problem ? throw Fail(node, path, problem) : value;

        private DateTimeOffset Timestamp(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseTimestamp(Text(node, path), out DateTimeOffset value) is { } problem ? throw Fail(node, path, problem) : value;

        private string Name(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseName(Text(node, path), out string value) is { } problem ? throw Fail(node, path, problem) : value;

        private long Size(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseSize(Scalar(node, path, "a size").Value!, out long value) is { } problem ? throw Fail(node, path, problem) : value;

        private Shard ShardValue(YamlNode node, string path, OptionSpec spec) =>
            spec.ParseShard(Text(node, path), out Shard value) is { } problem ? throw Fail(node, path, problem) : value;

        /// <summary>A path as written, resolved against the scenario file's folder when relative.</summary>
        private string ResolvePath(string path) =>
            baseDirectory is null || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
    }
}
