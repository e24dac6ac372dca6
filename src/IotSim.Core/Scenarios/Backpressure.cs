namespace IotSim.Core.Scenarios;

/// <summary>What a sink's runner does when its queue is full.</summary>
public enum Backpressure
{
    /// <summary>The generator waits (memory stays bounded, nothing is dropped).</summary>
    Block,

    /// <summary>The oldest queued batch is dropped to make room; its readings are counted as dropped.</summary>
    DropOldest,

    /// <summary>The new batch is dropped; its readings are counted as dropped.</summary>
    DropNewest,
}
