namespace IotSim.Core.Scenarios;

/// <summary>Identity of simulated devices. Unset manufacturer/model/firmware are mixed deterministically across the fleet.</summary>
public sealed record DeviceOptions
{
    /// <summary>Device ids are <c>{IdPrefix}-{index:D6}</c>.</summary>
    public string IdPrefix { get; init; } = "dev";

    /// <summary>A fixed manufacturer for every device, or null for a mix.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>A fixed model (must belong to the manufacturer), or null.</summary>
    public string? Model { get; init; }

    /// <summary>A fixed firmware version, or null for a mix.</summary>
    public string? Firmware { get; init; }

    /// <summary>Relative shares of manufacturers across the fleet (instead of an even mix), or null.</summary>
    public IReadOnlyDictionary<string, double>? ManufacturerShares { get; init; }

    /// <summary>Relative shares of models across the fleet (each model fixes its manufacturer), or null.</summary>
    public IReadOnlyDictionary<string, double>? ModelShares { get; init; }

    /// <summary>Relative shares of firmware versions across the fleet (instead of an even mix), or null.</summary>
    public IReadOnlyDictionary<string, double>? FirmwareShares { get; init; }

    /// <summary>Whether the shares of <paramref name="other"/> are the same as these (by value).</summary>
    internal bool SameShares(DeviceOptions other) =>
        Same(ManufacturerShares, other.ManufacturerShares) && Same(ModelShares, other.ModelShares) && Same(FirmwareShares, other.FirmwareShares);

    private static bool Same(IReadOnlyDictionary<string, double>? a, IReadOnlyDictionary<string, double>? b) =>
        a is null || b is null ? a is null && b is null : a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out double v) && v == kv.Value);

    /// <summary>Generated ids: <c>{IdPrefix}-{index:D6}</c>, or with <see cref="CityIds"/> <c>[A-Z]{3}_[0-9]{6}</c> from the device's city (e.g. <c>CHI_000042</c>).</summary>
    public bool CityIds { get; init; }

    /// <summary>Devices are placed in only the largest this many built-in cities; null: all of them.</summary>
    public int? NumberOfCities { get; init; }

    /// <summary>The identity file the <see cref="Identities"/> came from, or null.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>
    /// Identities from an identity file (<see cref="Scenarios.IdentityFile"/>): one entry shared by every device (it
    /// must not then give an id unless the fleet has one device), or one per device of the whole fleet, in order.
    /// Fields an entry leaves out are drawn from the seed. Null: every identity is drawn.
    /// </summary>
    public IReadOnlyList<IdentityFile.Entry>? Identities { get; init; }
}
