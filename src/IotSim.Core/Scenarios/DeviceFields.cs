namespace IotSim.Core.Scenarios;

/// <summary>The identity fields an output row can carry (<c>output.device_fields</c>).</summary>
public static class DeviceFields
{
    /// <summary>Every field, in the order they are written.</summary>
    public static readonly string[] Names =
    [
        "manufacturer", "model", "firmware", "serial_number", "manufacture_date", "location", "region", "country", "latitude", "longitude",
        "timezone", "deployment_type", "installation_date", "height_meters", "orientation_degrees", "instance_id", "sensor_type",
    ];

    /// <summary>The default of wide rows.</summary>
    public static readonly string[] WideDefault = ["manufacturer", "model", "firmware"];

    /// <summary>The fields of a scenario's rows: its list, else none for narrow rows and <see cref="WideDefault"/> for wide rows.</summary>
    public static IReadOnlyList<string> Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.DeviceFields ?? (scenario.Shape == OutputShape.Wide ? WideDefault : []);
    }

    /// <summary>Expands <c>all</c> and puts the fields in <see cref="Names"/> order without repeats.</summary>
    public static string[] Normalize(IEnumerable<string> fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string f in fields)
        {
            if (f == "all") set.UnionWith(Names);
            else set.Add(f);
        }
        return [.. Names.Where(set.Contains)];
    }
}
