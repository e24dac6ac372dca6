namespace IotSim.Core.Scenarios;

/// <summary>How simulated time relates to the wall clock.</summary>
public enum TimeMode
{
    /// <summary>Simulated clock from start to end, as fast as the sinks take it.</summary>
    Backfill,
    /// <summary>Paced to the wall clock: a reading is emitted when its timestamp is reached (or faster, with a speed).</summary>
    Realtime,

    /// <summary>Paced to a target rate in readings per second with a load profile; simulated time advances with the readings.</summary>
    Rate,
}
