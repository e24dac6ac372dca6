namespace IotSim.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // First thing: a signal must never find the process without its handler.
        using var signals = new RunSignals(Console.Error);
        var terminal = new TerminalInfo(OutputIsTerminal: !Console.IsOutputRedirected, ErrorIsTerminal: !Console.IsErrorRedirected);
        return await CliApp.RunAsync(args, Console.Out, Console.Error, signals: signals, terminal: terminal).ConfigureAwait(false);
    }
}
