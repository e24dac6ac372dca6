namespace IotSim.Monitoring;

/// <summary>Where a monitored run is: before its sinks open, generating, or over (and how).</summary>
public enum RunState
{
    /// <summary>The server is up; the sinks are not open yet.</summary>
    Starting,

    /// <summary>Generating and delivering.</summary>
    Running,

    /// <summary>Over; every sink succeeded.</summary>
    Completed,

    /// <summary>Over; a sink failed.</summary>
    Failed,

    /// <summary>Stopped before the end of its time range (Ctrl-C, SIGTERM).</summary>
    Interrupted,
}
