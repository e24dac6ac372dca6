using System.Globalization;
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
    private sealed partial class Parser(string source, string? baseDirectory)
    {
        private static readonly string[] s_timestampFormats =
        [
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd' 'HH:mm:ss.FFFFFFF'Z'",
            "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFzzz",
        ];

        private ConfigException Fail(YamlNode node, string path, string problem) =>
            new(source, ToLine(node.Start.Line), path.Length == 0 ? null : path, problem);

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private static string List(IEnumerable<string> values) => string.Join(", ", values);

        private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s when IsNull(s) => "nothing",
            YamlScalarNode s => $"'{s.Value}'",
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
                string key = child.Key is YamlScalarNode { Value: { } k } ? k : throw Fail(child.Key, path, "a key must be a plain word");
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
            }
            return result;
        }

        private static string Unknown(string what, string value, IReadOnlyList<string> allowed) =>
            $"unknown {what} '{value}'{DidYouMean.Suggest(value, allowed)}; allowed: {List(allowed)}";

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
                throw Fail(node, path, $"expected {expected}, found the quoted text '{s.Value}' (write it without quotes)");
            }
            return s.Value!;
        }

        private string Text(YamlNode node, string path) => Scalar(node, path, "a text value").Value!;

        private string NonEmpty(YamlNode node, string path)
        {
            string text = Text(node, path).Trim();
            return text.Length > 0 ? text : throw Fail(node, path, "must not be empty");
        }

        private bool Bool(YamlNode node, string path)
        {
            string text = Plain(node, path, "true or false");
            return text switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                _ => throw Fail(node, path, $"expected true or false, found '{text}'"),
            };
        }

        private long Integer(YamlNode node, string path, long min, long max)
        {
            string text = Plain(node, path, "a number");
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
                {
                    throw Fail(node, path, $"expected a number, found '{text}'");
                }
                // 1e6 and 1000.0 are whole numbers; anything beyond long range is out of range anyway.
                if (d != Math.Floor(d))
                {
                    throw Fail(node, path, $"expected a whole number, found '{text}'");
                }
                value = d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
            }
            if (value < min || value > max)
            {
                throw Fail(node, path, $"{text} is out of range; allowed: {min} to {max}");
            }
            return value;
        }

        private int Int32(YamlNode node, string path, int min, int max) => (int)Integer(node, path, min, max);

        private double Number(YamlNode node, string path, double min = double.MinValue, double max = double.MaxValue)
        {
            string text = Plain(node, path, "a number");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw Fail(node, path, $"expected a number, found '{text}'");
            }
            if (value < min || value > max)
            {
                string range = max == double.MaxValue ? $"{Invariant(min)} or more" : $"{Invariant(min)} to {Invariant(max)}";
                throw Fail(node, path, $"{text} is out of range; allowed: {range}");
            }
            return value;
        }

        private ulong UInt64(YamlNode node, string path)
        {
            string text = Plain(node, path, "a number");
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                throw Fail(node, path, $"expected a whole number from 0 to {ulong.MaxValue}, found '{text}'");
            }
            return value;
        }

        /// <summary>A value from a fixed set, listed in the error with a suggestion.</summary>
        private string Choice(YamlNode node, string path, string what, IReadOnlyList<string> allowed)
        {
            string text = Text(node, path);
            if (!allowed.Contains(text))
            {
                throw Fail(node, path, Unknown(what, text, allowed));
            }
            return text;
        }

        private TimeSpan Duration(YamlNode node, string path, TimeSpan min, TimeSpan max)
        {
            string text = Scalar(node, path, "a duration").Value!;
            if (!DurationParser.TryParse(text, out TimeSpan value))
            {
                throw Fail(node, path, $"expected a duration, found '{text}'; {DurationParser.FormHint}");
            }
            if (value < min || value > max)
            {
                // A minimum of one tick means "positive".
                string lower = min.Ticks == 1 ? "more than 0s" : DurationParser.Format(min);
                string range = max == TimeSpan.MaxValue ? (min.Ticks == 1 ? lower : lower + " or more")
                    : min.Ticks == 1 ? $"{lower}, up to {DurationParser.Format(max)}"
                    : $"{lower} to {DurationParser.Format(max)}";
                throw Fail(node, path, $"{text} is out of range; allowed: {range}");
            }
            return value;
        }

        /// <summary>A reporting interval: a whole number of milliseconds from 1ms to 1d.</summary>
        private TimeSpan Interval(YamlNode node, string path)
        {
            TimeSpan value = Duration(node, path, TimeSpan.FromMilliseconds(1), MaxInterval);
            if (value.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                throw Fail(node, path, $"{Text(node, path)} is not a whole number of milliseconds; allowed: whole milliseconds from 1ms to 1d");
            }
            return value;
        }

        private DateTimeOffset Timestamp(YamlNode node, string path)
        {
            string text = Text(node, path).Trim();
            if (!DateTimeOffset.TryParseExact(text, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value))
            {
                throw Fail(node, path, $"expected an ISO 8601 timestamp with Z or an offset (e.g. 2026-01-01T00:00:00Z), found '{text}'");
            }
            return value;
        }

        /// <summary>A path as written, resolved against the scenario file's folder when relative.</summary>
        private string ResolvePath(string path) =>
            baseDirectory is null || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
    }
}
