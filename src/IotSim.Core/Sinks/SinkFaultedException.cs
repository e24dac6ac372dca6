namespace IotSim.Core.Sinks;

/// <summary>A sink refuses further writes because an earlier failure left its target in a state a retry would corrupt (e.g. duplicate rows).</summary>
public sealed class SinkFaultedException : IOException
{
    /// <summary>Creates the exception with its reason.</summary>
    public SinkFaultedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and the failure that caused it.</summary>
    public SinkFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SinkFaultedException()
    {
    }
}
