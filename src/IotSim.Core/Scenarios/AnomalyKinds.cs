namespace IotSim.Core.Scenarios;

/// <summary>Names of anomaly kinds as used in scenarios and output labels.</summary>
public static class AnomalyKinds
{
    private static readonly string[] s_names = ["", "spike", "trend", "pattern", "noise", "missing_data", "stuck", "dropout"];

    /// <summary>Number of kinds including None.</summary>
    public const int Count = 8;

    /// <summary>Names of real kinds (without None).</summary>
    public static IReadOnlyList<string> Names => s_names[1..];

    /// <summary>The label of a kind ("" for None).</summary>
    public static string ToName(AnomalyKind kind) => s_names[(int)kind];

    /// <summary>UTF-8 labels indexed by kind, for encoders.</summary>
    internal static readonly byte[][] Utf8 = [.. s_names.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>Parses a name; false when unknown.</summary>
    public static bool TryParse(string name, out AnomalyKind kind)
    {
        int i = Array.IndexOf(s_names, name);
        kind = (AnomalyKind)Math.Max(i, 0);
        return i > 0;
    }
}
