namespace IotSim.Cli;

/// <summary>Whether the process's standard output and standard error are terminals (not redirected to files or pipes).</summary>
internal sealed record TerminalInfo(bool OutputIsTerminal, bool ErrorIsTerminal);
