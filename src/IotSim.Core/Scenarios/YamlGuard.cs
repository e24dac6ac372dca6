using IotSim.Core.Util;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IotSim.Core.Scenarios;

/// <summary>
/// Bounds a YAML document before it is loaded: size, nesting depth, nodes after alias expansion (keys included),
/// aliases that refer to their own container, undefined aliases and non-scalar keys. One streaming pass over the
/// parser's events, without recursion, so hostile input fails fast with the line at fault instead of exhausting the
/// stack, memory or time.
/// </summary>
internal static class YamlGuard
{
    /// <summary>Largest scenario file, in characters (a scenario is a few KB).</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>Deepest nesting of mappings and lists (a scenario needs 6).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes after alias expansion (a scenario with 1,000 custom sensors has about 30,000).</summary>
    public const long MaxNodes = 200_000;

    /// <summary>Most characters of scalar text after alias expansion (an alias of a long text repeats all of it).</summary>
    public const long MaxExpandedChars = 4L * MaxChars;

    private struct Frame
    {
        public bool Mapping;
        public long Children;
        public string? Anchor;
        public long NodesAtStart;
        public long CharsAtStart;
    }

    /// <summary>Throws a <see cref="ConfigException"/> naming the line when a limit is exceeded; YAML syntax errors are left to the loader.</summary>
    public static void Check(string text, string source)
    {
        if (text.Length > MaxChars)
        {
            throw new ConfigException(source, 0, null, $"the file has {text.Length:N0} characters; a scenario may have at most {MaxChars:N0}");
        }
        var parser = new Parser(new Scanner(new StringReader(text)));
        var stack = new Stack<Frame>();
        var sizes = new Dictionary<string, (long Nodes, long Chars)>(StringComparer.Ordinal);
        var open = new HashSet<string>(StringComparer.Ordinal);
        long nodes = 0, chars = 0;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent e = parser.Current!;
                int line = (int)Math.Clamp(e.Start.Line, 0, int.MaxValue);
                bool isKey = false;
                if (e is NodeEvent or AnchorAlias && stack.Count > 0)
                {
                    Frame parent = stack.Pop();
                    isKey = parent.Mapping && parent.Children % 2 == 0;
                    parent.Children++;
                    stack.Push(parent);
                }
                switch (e)
                {
                    case AnchorAlias alias:
                        string name = alias.Value.Value;
                        if (open.Contains(name))
                        {
                            throw new ConfigException(source, line, null, $"alias *{Excerpt.Of(name)} refers to a node that contains it (a recursive alias)");
                        }
                        if (!sizes.TryGetValue(name, out (long Nodes, long Chars) size))
                        {
                            throw new ConfigException(source, line, null, $"alias *{Excerpt.Of(name)} is not defined before this line (define it with &{Excerpt.Of(name)} first)");
                        }
                        if (isKey && size.Nodes > 1)
                        {
                            throw new ConfigException(source, line, null, $"a key must be a plain word, not an alias to a mapping or list (*{Excerpt.Of(name)})");
                        }
                        nodes += size.Nodes;
                        chars += size.Chars;
                        break;
                    case Scalar scalar:
                        nodes++;
                        chars += scalar.Value.Length;
                        if (!scalar.Anchor.IsEmpty) sizes[scalar.Anchor.Value] = (1, scalar.Value.Length);
                        break;
                    case MappingStart or SequenceStart:
                        if (isKey)
                        {
                            throw new ConfigException(source, line, null, "a key must be a plain word, not a mapping or list");
                        }
                        if (stack.Count >= MaxDepth)
                        {
                            throw new ConfigException(source, line, null, $"nesting is deeper than {MaxDepth} levels");
                        }
                        string? anchor = ((NodeEvent)e).Anchor.IsEmpty ? null : ((NodeEvent)e).Anchor.Value;
                        if (anchor is not null) open.Add(anchor);
                        stack.Push(new Frame { Mapping = e is MappingStart, Anchor = anchor, NodesAtStart = nodes, CharsAtStart = chars });
                        nodes++;
                        break;
                    case MappingEnd or SequenceEnd:
                        Frame done = stack.Pop();
                        if (done.Anchor is not null)
                        {
                            open.Remove(done.Anchor);
                            sizes[done.Anchor] = (nodes - done.NodesAtStart, chars - done.CharsAtStart);
                        }
                        break;
                }
                if (chars > MaxExpandedChars)
                {
                    throw new ConfigException(source, line, null, $"the document expands to more than {MaxExpandedChars:N0} characters of text (aliases counted each time they are used)");
                }
                if (nodes > MaxNodes)
                {
                    throw new ConfigException(source, line, null, $"the document expands to more than {MaxNodes:N0} values (aliases counted each time they are used)");
                }
            }
        }
        catch (YamlException)
        {
            // The loader reports syntax errors with its own wording; the limits above were not exceeded before the error.
        }
        catch (InvalidOperationException)
        {
            // Likewise (YamlDotNet's scanner fails this way on some malformed flow collections).
        }
    }
}
