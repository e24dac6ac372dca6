namespace IotSim.Core.Util;

/// <summary>Suggests the closest known word for a misspelt one (Levenshtein distance).</summary>
public static class DidYouMean
{
    /// <summary>Returns " (did you mean 'x'?)" for a close candidate, otherwise an empty string.</summary>
    public static string Suggest(string word, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(candidates);
        // Edit distance is quadratic: a long word is junk, not a misspelling.
        if (word.Length > 64) return "";
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates)
        {
            int d = Distance(word.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.Max(2, word.Length / 3);
        return best is not null && bestDistance <= limit ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Levenshtein edit distance.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            cur.CopyTo(prev);
        }
        return prev[b.Length];
    }
}
