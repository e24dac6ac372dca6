namespace IotSim.Core.Catalog;

/// <summary>The physical quantity a sensor measures.</summary>
public enum SensorType
{
    /// <summary>Temperature.</summary>
    Temperature,
    /// <summary>Pressure.</summary>
    Pressure,
    /// <summary>Flow rate.</summary>
    Flow,
    /// <summary>Vibration.</summary>
    Vibration,
    /// <summary>Level or fill.</summary>
    Level,
    /// <summary>Rotational or linear speed.</summary>
    Speed,
    /// <summary>Power.</summary>
    Power,
    /// <summary>Electrical current.</summary>
    Current,
    /// <summary>Electrical voltage.</summary>
    Voltage,
    /// <summary>Humidity.</summary>
    Humidity,
    /// <summary>pH.</summary>
    Ph,
    /// <summary>Conductivity.</summary>
    Conductivity,
    /// <summary>Position or displacement.</summary>
    Position,
    /// <summary>Discrete state (off, idle, running, fault, ...); emits integer states, not noise.</summary>
    Status,
}
