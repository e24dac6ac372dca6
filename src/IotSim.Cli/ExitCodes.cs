namespace IotSim.Cli;

/// <summary>Process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The run started but a sink failed; see the summary.</summary>
    public const int SinkFailed = 1;

    /// <summary>Bad input: scenario, option or file; nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by SIGINT (Ctrl-C): the summary says what was delivered.</summary>
    public const int InterruptedBySigint = 130;

    /// <summary>Interrupted by SIGTERM: the summary says what was delivered.</summary>
    public const int InterruptedBySigterm = 143;
}
