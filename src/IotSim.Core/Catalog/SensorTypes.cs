namespace IotSim.Core.Catalog;

/// <summary>Names of <see cref="SensorType"/> values as they appear in scenarios and CSV files.</summary>
public static class SensorTypes
{
    private static readonly string[] s_names =
    [
        "temperature", "pressure", "flow", "vibration", "level", "speed", "power",
        "current", "voltage", "humidity", "ph", "conductivity", "position", "status",
    ];

    /// <summary>All names, in enum order.</summary>
    public static IReadOnlyList<string> Names => s_names;

    /// <summary>The lower-case name of a type.</summary>
    public static string ToName(SensorType type) => s_names[(int)type];

    /// <summary>Parses a lower-case name; returns false when unknown.</summary>
    public static bool TryParse(string name, out SensorType type)
    {
        int i = Array.IndexOf(s_names, name.Trim().ToLowerInvariant());
        type = (SensorType)Math.Max(i, 0);
        return i >= 0;
    }
}
