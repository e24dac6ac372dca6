namespace IotSim.Core.Sinks;

/// <summary>
/// A write failed in a way no retry can heal (the target refuses the data, the table does not match, the credentials
/// are wrong): the runner does not retry it and marks the sink failed at once, with this message as the root cause.
/// </summary>
public sealed class PermanentSinkException : IOException
{
    /// <summary>Creates the exception with its reason.</summary>
    public PermanentSinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and the failure that caused it.</summary>
    public PermanentSinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PermanentSinkException()
    {
    }
}
