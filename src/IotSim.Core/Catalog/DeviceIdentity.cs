namespace IotSim.Core.Catalog;

/// <summary>
/// Who and where a device is: the fields of the reference's node identity (flat and nested formats) and of its
/// <c>sensor_readings</c> table. Generated from the seed per device (<c>Fleet.Identity</c>) or read from an identity
/// file (<see cref="Scenarios.IdentityFile"/>).
/// </summary>
public sealed record DeviceIdentity
{
    /// <summary>Device (sensor) id, e.g. <c>dev-000042</c> or <c>CHI_123456</c>.</summary>
    public required string Id { get; init; }

    /// <summary>One of the catalog manufacturers.</summary>
    public required string Manufacturer { get; init; }
    /// <summary>A model of the manufacturer.</summary>
    public required string Model { get; init; }
    /// <summary>Firmware version from the catalog list.</summary>
    public required string Firmware { get; init; }

    /// <summary>e.g. <c>DataLogger-578463</c>.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Date of manufacture (before installation).</summary>
    public required DateOnly ManufactureDate { get; init; }

    /// <summary>City or site name (never a placeholder).</summary>
    public required string Location { get; init; }

    /// <summary>State, province or region.</summary>
    public string Region { get; init; } = "";

    /// <summary>ISO 3166-1 alpha-2 country code, or empty when unknown.</summary>
    public string Country { get; init; } = "";

    /// <summary>Degrees, north positive.</summary>
    public required double Latitude { get; init; }
    /// <summary>Degrees, east positive.</summary>
    public required double Longitude { get; init; }

    /// <summary>IANA time zone, e.g. <c>America/Denver</c>.</summary>
    public required string TimeZone { get; init; }

    /// <summary><c>fixed</c>, <c>mobile_unit</c>, <c>rooftop</c>, <c>indoor</c> or <c>portable</c>.</summary>
    public required string DeploymentType { get; init; }

    /// <summary>Date the device was installed.</summary>
    public required DateOnly InstallationDate { get; init; }
    /// <summary>Installation height above ground.</summary>
    public required double HeightMeters { get; init; }
    /// <summary>Orientation, 0 to less than 360 degrees.</summary>
    public required double OrientationDegrees { get; init; }

    /// <summary>Cloud instance id, e.g. <c>i-04d485582534851c9</c>.</summary>
    public required string InstanceId { get; init; }

    /// <summary>e.g. <c>environmental_monitoring</c>.</summary>
    public required string SensorType { get; init; }

    /// <summary>"City, Region, Country" as the nested format's <c>address</c>.</summary>
    public string Address => string.Join(", ", new[] { Location, Region, Country }.Where(p => p.Length > 0));

    /// <summary>
    /// The text of one of <see cref="Scenarios.DeviceFields.Names"/> as output rows write it (dates yyyy-MM-dd,
    /// coordinates with 5 decimals, height with 1, orientation with none).
    /// </summary>
    public string Field(string name)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return name switch
        {
            "manufacturer" => Manufacturer,
            "model" => Model,
            "firmware" => Firmware,
            "serial_number" => SerialNumber,
            "manufacture_date" => ManufactureDate.ToString("yyyy-MM-dd", c),
            "location" => Location,
            "region" => Region,
            "country" => Country,
            "latitude" => Latitude.ToString("F5", c),
            "longitude" => Longitude.ToString("F5", c),
            "timezone" => TimeZone,
            "deployment_type" => DeploymentType,
            "installation_date" => InstallationDate.ToString("yyyy-MM-dd", c),
            "height_meters" => HeightMeters.ToString("F1", c),
            "orientation_degrees" => OrientationDegrees.ToString("F0", c),
            "instance_id" => InstanceId,
            "sensor_type" => SensorType,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a device field; see DeviceFields.Names"),
        };
    }

    /// <summary>Deployment types a generated identity draws from.</summary>
    public static readonly string[] DeploymentTypes = ["fixed", "mobile_unit", "rooftop", "indoor", "portable"];

    /// <summary>Location texts refused as placeholders (case-insensitive).</summary>
    public static readonly string[] PlaceholderLocations =
        ["REPLACE_WITH_LOCATION", "DEFAULT LOCATION", "DEFAULT_LOCATION", "UNKNOWN", "TBD", "N/A", "NA", "NONE", "NULL", "PLACEHOLDER", "CHANGEME", "CHANGE_ME", "TODO", "LOCATION"];
}
