using System.Globalization;
using System.Net;

namespace IotSim.Core.Scenarios;

/// <summary>The monitoring HTTP API of a run (the <c>monitoring:</c> section, or <c>--monitor HOST:PORT</c>); off while <see cref="Listen"/> is null.</summary>
public sealed record MonitoringOptions
{
    /// <summary>Where the API listens, <c>HOST:PORT</c> (port 0 picks a free one); null: no API.</summary>
    public string? Listen { get; init; }

    /// <summary>The bearer token every request must carry, as written (<c>${NAME}</c> is read from the environment when the server starts); null: none.</summary>
    public string? Token { get; init; }

    /// <summary>Lag beyond which <c>/healthz</c> answers 503.</summary>
    public TimeSpan LagThreshold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Readings kept for <c>/samplez</c>.</summary>
    public int Samples { get; init; } = 100;

    /// <summary>
    /// Parses <c>HOST:PORT</c> (an IPv4 address, <c>localhost</c>, a host name, or <c>[IPv6]</c>; port 0 to 65535; a port
    /// alone means 127.0.0.1);
    /// null when valid, otherwise the problem.
    /// </summary>
    public static string? ParseListen(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = "";
        port = 0;
        string t = text.Trim();
        // A port alone (8080 or :8080) listens on the loopback interface.
        if (t.Length > 0 && t.All(char.IsAsciiDigit)) t = ":" + t;
        if (t.StartsWith(':')) t = "127.0.0.1" + t;
        int colon = t.LastIndexOf(':');
        string problem = $"expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free port), found '{Util.Excerpt.Of(text)}'";
        if (colon <= 0 || colon == t.Length - 1) return problem;
        string h = t[..colon];
        if (h.StartsWith('[') && h.EndsWith(']'))
        {
            if (!IPAddress.TryParse(h[1..^1], out IPAddress? v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return problem;
        }
        else if (h.Contains(':', StringComparison.Ordinal) || Uri.CheckHostName(h) is UriHostNameType.Unknown)
        {
            return problem;
        }
        if (!int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535)
        {
            return $"the port must be a whole number from 0 to 65535, found '{Util.Excerpt.Of(t[(colon + 1)..])}'";
        }
        host = h;
        port = p;
        return null;
    }

    /// <summary>An error about the monitoring <paramref name="key"/> (e.g. <c>monitoring.listen</c>), located where it was set: the file and line, or the flag.</summary>
    public static ConfigException Error(Scenario scenario, string key, string problem)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Error(key, problem);
    }

    /// <summary>The token with <c>${NAME}</c> read through <paramref name="environment"/>; errors name <c>monitoring.token</c> where it was set.</summary>
    public string? ResolveToken(Scenario scenario, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (Token is null) return null;
        string token = Util.SecretText.Expand(Token, environment, problem => scenario.Error("monitoring.token", problem));
        return token.Length > 0 ? token : throw scenario.Error("monitoring.token", "the token is empty (is its environment variable set to an empty value?)");
    }
}
