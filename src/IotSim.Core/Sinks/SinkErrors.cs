namespace IotSim.Core.Sinks;

/// <summary>Tells errors that cannot heal by retrying (disk full, closed pipe, no permission) from passing ones.</summary>
public static class SinkErrors
{
    // Linux errno values; .NET puts the raw errno in IOException.HResult for errors it has no own type for.
    private const int EIO = 5;
    private const int EBADF = 9;
    private const int EACCES = 13;
    private const int EFBIG = 27;
    private const int ENOSPC = 28;
    private const int EROFS = 30;
    private const int EPIPE = 32;
    private const int EDQUOT = 122;

    /// <summary>
    /// True when retrying cannot help: no space or quota, a closed pipe, a read-only file system, no permission, a
    /// missing folder, or a sink that refuses further writes (<see cref="SinkFaultedException"/>).
    /// </summary>
    public static bool IsPermanent(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SinkFaultedException or PermanentSinkException or UnauthorizedAccessException or DirectoryNotFoundException or PathTooLongException:
                    return true;
                case IOException io when io.HResult is EIO or EBADF or EACCES or EFBIG or ENOSPC or EROFS or EPIPE or EDQUOT:
                    return true;
            }
        }
        return false;
    }
}
