using System.Text;
using System.Text.RegularExpressions;

namespace IotSim.Cli.Tests;

/// <summary>
/// Makes hostile variants of scenario YAML from a corpus: line edits, scalar values of another type, aliases,
/// indentation, huge strings, deep nesting, random bytes and truncation. Deterministic for a given seed.
/// </summary>
internal sealed partial class ScenarioMutator
{
    private static readonly string[] s_values =
    [
        "{a: 1}", "[1, 2]", "\"x\"", "1e308", "-1e308", "-1", "0", "99999999999999999999", "-99999999999999999999", ".nan", ".inf", "-.inf",
        "~", "null", "\"\"", "''", "true", "no", "0x7FFFFFFF", "0o777", "1_000", "2147483648", "-2147483649", "9223372036854775808",
        "4.9e-324", "0.1", "1s", "0s", "-1s", "500ms", "1ms", "100000000d", "99999999999999999999s", "P1D", "25:61:61", "1h30m",
        "2026-13-45T99:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01T00:00:00+14:00", "all", "environmental",
        "mining", "console", "file", "null", "realtime", "backfill", "wide", "gzip", "lz4", "v512", "scalar", "0/1", "1/0", "-1/2", "3/3",
        "\"\\0\"", "\"\\u0000\"", "\"\\uD800\"", "\"a\\nb\"", "\"../../etc\"", "\"/\"", "\"CON\"", "\"a/b\"", "*a", "*undefined",
        "&a 5", "!!binary aGVsbG8=", "!!str 5", "!!int x", "!!map {}", "!custom x", "|", ">-", "? x", "- x", "{", "[", "}", "]", "'", "\"",
        "&a [*a]", "{a: *a}", "[[[[[[[[]]]]]]]]", "{? [1]: 2}", "@x", "`x`", "%x", "\t1", "1 # comment", "'it''s'", "\"°C\"", "\"日本語\"",
        "\"\u202e\u2028\ufeff\"", "\"😀\"",
    ];

    private static readonly byte[][] s_byteRuns =
    [
        [0x00], [0x00, 0x00, 0x00], [0xFF], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF], [0xC3, 0x28], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xC0, 0xAF], [0x1B, 0x5B, 0x32, 0x4A], [0x0D], [0x09], [0x0B, 0x0C], [0x7F], [0xE2, 0x80, 0xA8], [0x85],
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<string> _corpus;

    public ScenarioMutator(int seed, IReadOnlyList<string> corpus)
    {
        _random = new Random(seed);
        _corpus = corpus;
    }

    /// <summary>The next mutated file and a description of the edits, for the failure message.</summary>
    public (byte[] Content, string Edits) Next()
    {
        int source = _random.Next(_corpus.Count);
        var lines = new List<string>(_corpus[source].Split('\n'));
        var edits = new List<string> { $"corpus[{source}]" };
        // Mostly one edit, so that many cases stay valid YAML and reach the value checks and the run.
        int count = _random.Next(20) switch { < 12 => 1, < 17 => 2, _ => 3 + _random.Next(2) };
        for (int i = 0; i < count; i++)
        {
            edits.Add(EditLines(lines));
        }
        byte[] bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        int byteEdits = _random.Next(6) == 0 ? 1 + _random.Next(2) : 0;
        for (int i = 0; i < byteEdits; i++)
        {
            (bytes, string edit) = EditBytes(bytes);
            edits.Add(edit);
        }
        return (bytes, string.Join("; ", edits));
    }

    private string EditLines(List<string> lines)
    {
        if (lines.Count == 0) lines.Add("");
        int at = _random.Next(lines.Count);
        switch (_random.Next(16))
        {
            case 0:
                lines.RemoveAt(at);
                return $"delete line {at + 1}";
            case 1:
                lines.Insert(at, lines[at]);
                return $"duplicate line {at + 1}";
            case 2:
                {
                    int other = _random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    return $"swap lines {at + 1} and {other + 1}";
                }
            case 3:
            case 4:
            case 5:
            case 6:
                return ReplaceValue(lines, Pick(s_values));
            case 7:
                return ChangeIndent(lines, at);
            case 8:
                {
                    string[] donor = _corpus[_random.Next(_corpus.Count)].Split('\n');
                    string line = donor[_random.Next(donor.Length)];
                    lines.Insert(at, line);
                    return $"insert foreign line at {at + 1}: {line.Trim()}";
                }
            case 9:
                {
                    int length = _random.Next(10) switch { 0 => 1_100_000, < 4 => 100_000, _ => 1_000 };
                    return ReplaceValue(lines, new string("xé9 "[_random.Next(4)], length));
                }
            case 10:
                return AddAliases(lines);
            case 11:
                {
                    int depth = Pick([10, 63, 64, 65, 200, 20_000]);
                    return ReplaceValue(lines, _random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth));
                }
            case 12:
                {
                    string insert = Pick(["---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "? complex", ": value", "- item", "<<: *a", "<<: {seed: 1}", "seed: 1", "seed: 2", "unknown_key: 1", "fleet: ~", "sinks: []", "sinks: [{type: null}]", "time: {mode: realtime}"]);
                    lines.Insert(at, insert);
                    return $"insert line at {at + 1}: {insert}";
                }
            case 13:
                lines[at] = "#" + lines[at];
                return $"comment out line {at + 1}";
            case 14:
                {
                    // Uncomment a line, turning documented optional keys (custom sensors, file sinks) into real ones.
                    string line = lines[at];
                    int hash = line.IndexOf('#', StringComparison.Ordinal);
                    if (hash < 0) return "uncomment (no comment)";
                    lines[at] = line.Remove(hash, hash + 1 < line.Length && line[hash + 1] == ' ' ? 2 : 1);
                    return $"uncomment line {at + 1}";
                }
            default:
                return AddBillionLaughs(lines);
        }
    }

    private string ReplaceValue(List<string> lines, string value)
    {
        var candidates = new List<(int Line, Match Match)>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimStart().StartsWith('#')) continue;
            foreach (Match m in ValuePattern().Matches(lines[i]))
            {
                candidates.Add((i, m));
            }
        }
        if (candidates.Count == 0)
        {
            lines.Add("seed: " + value);
            return "append seed: " + Short(value);
        }
        (int line, Match match) = candidates[_random.Next(candidates.Count)];
        Group g = match.Groups["value"];
        string old = g.Value;
        lines[line] = lines[line][..g.Index] + value + lines[line][(g.Index + g.Length)..];
        return $"line {line + 1}: value '{Short(old)}' -> '{Short(value)}'";
    }

    private string ChangeIndent(List<string> lines, int at)
    {
        string line = lines[at];
        int indent = line.Length - line.TrimStart(' ').Length;
        switch (_random.Next(4))
        {
            case 0:
                lines[at] = new string(' ', 1 + _random.Next(4)) + line;
                return $"indent line {at + 1} more";
            case 1:
                lines[at] = line[Math.Min(indent, 1 + _random.Next(4))..];
                return $"indent line {at + 1} less";
            case 2:
                lines[at] = "\t" + line.TrimStart(' ');
                return $"tab-indent line {at + 1}";
            default:
                lines[at] = line.TrimStart(' ');
                return $"unindent line {at + 1}";
        }
    }

    private string AddAliases(List<string> lines)
    {
        switch (_random.Next(4))
        {
            case 0:
                string first = ReplaceValue(lines, "&a " + Pick(["1", "10", "[1, 2]", "{seed: 1}", "mining", "1s"]));
                return first + "; " + ReplaceValue(lines, "*a");
            case 1:
                return ReplaceValue(lines, "*undefined");
            case 2:
                return ReplaceValue(lines, "*a") + "; " + ReplaceValue(lines, "&a 5");
            default:
                // An anchor on a block mapping, then its alias used as another section.
                int at = lines.FindIndex(l => l.StartsWith("fleet:", StringComparison.Ordinal) || l.StartsWith("time:", StringComparison.Ordinal));
                if (at < 0) return ReplaceValue(lines, "*a");
                string key = lines[at][..lines[at].IndexOf(':', StringComparison.Ordinal)];
                lines[at] = key + ": &a";
                lines.Add(Pick(["anomalies", "engine", "output", "fleet", "time"]) + ": *a");
                return $"anchor the {key} section and alias it";
        }
    }

    private string AddBillionLaughs(List<string> lines)
    {
        int levels = 3 + _random.Next(8);
        lines.Add("x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]");
        for (int i = 1; i < levels; i++)
        {
            lines.Add($"x{i}: &x{i} [{string.Join(", ", Enumerable.Repeat($"*x{i - 1}", 10))}]");
        }
        return $"billion laughs, {levels} levels";
    }

    private (byte[] Bytes, string Edit) EditBytes(byte[] bytes)
    {
        int at = _random.Next(bytes.Length + 1);
        switch (_random.Next(4))
        {
            case 0:
                return (bytes[..at], $"truncate at byte {at}");
            case 1:
                {
                    byte[] run = Pick(s_byteRuns);
                    return ([.. bytes[..at], .. run, .. bytes[at..]], $"insert bytes {Convert.ToHexString(run)} at {at}");
                }
            case 2:
                {
                    byte[] run = new byte[1 + _random.Next(16)];
                    _random.NextBytes(run);
                    return ([.. bytes[..at], .. run, .. bytes[at..]], $"insert random bytes {Convert.ToHexString(run)} at {at}");
                }
            default:
                if (bytes.Length == 0) return (bytes, "flip (empty)");
                at = Math.Min(at, bytes.Length - 1);
                byte[] copy = [.. bytes];
                copy[at] ^= (byte)(1 << _random.Next(8));
                return (copy, $"flip a bit of byte {at}");
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string Short(string s) => s.Length <= 40 ? s : $"{s[..20]}…({s.Length:N0} chars)";

    // A scalar after "key: " (block or flow) or "- ", up to a comment, comma or closing bracket.
    [GeneratedRegex(@"(?:(?<=:\s+)|(?<=^\s*-\s+))(?<value>[^\s,#{}\[\]][^,#{}\[\]]*?)(?=\s*(?:[,}\]]|\s#|$))")]
    private static partial Regex ValuePattern();
}
