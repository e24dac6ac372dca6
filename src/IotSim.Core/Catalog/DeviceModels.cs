namespace IotSim.Core.Catalog;

/// <summary>
/// Manufacturers, models and firmware versions of simulated devices, with the factors they apply to the anomaly
/// start probability (e.g. SensorTech 1.2x, beta firmware 1.5x).
/// </summary>
public static class DeviceModels
{
    /// <summary>Manufacturer name → anomaly factor.</summary>
    public static readonly IReadOnlyDictionary<string, double> Manufacturers = new Dictionary<string, double>
    {
        ["SensorTech"] = 1.2,
        ["DataLogger"] = 1.1,
        ["DataSense"] = 0.8,
        ["MonitorPro"] = 0.9,
    };

    /// <summary>Manufacturer → its models.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Models = new Dictionary<string, string[]>
    {
        ["SensorTech"] = ["TempSensor Pro", "HumidCheck 2000", "PressureGuard", "EnvMonitor-3000"],
        ["DataLogger"] = ["DataLogger-X1", "AirData-Plus", "ClimateTracker", "IndustrialMonitor-5000"],
        ["DataSense"] = ["TempVibe-3000", "HumidPress-4000", "AllSense-Pro", "FactoryGuard-7000"],
        ["MonitorPro"] = ["ProTemp-500", "ProHumid-600", "ProPressure-700", "ProEnviron-800"],
    };

    /// <summary>Firmware version → anomaly factor.</summary>
    public static readonly IReadOnlyDictionary<string, double> Firmware = new Dictionary<string, double>
    {
        ["1.0"] = 0.7,
        ["1.2.0"] = 0.7,
        ["1.4"] = 0.7,
        ["2.1"] = 0.85,
        ["2.3.5"] = 0.85,
        ["2.5"] = 0.85,
        ["3.0.0-beta"] = 1.5,
        ["3.1.2-alpha"] = 1.5,
        ["3.2-rc1"] = 1.5,
    };

    /// <summary>
    /// Manufacturer → accuracy: noise scale (× the sensor's σ), calibration offset spread (share of the sensor's
    /// range) and gain spread (share of the reading). Each device draws its offset and gain per sensor, uniformly
    /// within ± the spread, from the seed. Status sensors report states and are never miscalibrated.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (double NoiseScale, double OffsetSpread, double GainSpread)> Accuracy =
        new Dictionary<string, (double, double, double)>
        {
            ["SensorTech"] = (1.0, 0.002, 0.005),
            ["DataLogger"] = (1.2, 0.004, 0.010),
            ["DataSense"] = (0.8, 0.001, 0.003),
            ["MonitorPro"] = (0.9, 0.002, 0.004),
        };

    /// <summary>Manufacturer names in a fixed order.</summary>
    public static readonly string[] ManufacturerNames = ["SensorTech", "DataLogger", "DataSense", "MonitorPro"];

    /// <summary>Firmware versions in a fixed order.</summary>
    public static readonly string[] FirmwareVersions = ["1.0", "1.2.0", "1.4", "2.1", "2.3.5", "2.5", "3.0.0-beta", "3.1.2-alpha", "3.2-rc1"];
}
