using IotSim.Core.Scenarios;

namespace IotSim.Core.Sinks;

/// <summary>One reading as handed to a <see cref="CallbackSink"/>: convenient, not for hot paths.</summary>
public readonly record struct Reading(DateTimeOffset Timestamp, int Device, string DeviceId, string Industry, string Sensor, string Unit, float Value, AnomalyKind Anomaly);
