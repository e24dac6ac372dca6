namespace IotSim.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // First thing: a signal must never find the process without its handler.
        using var signals = new RunSignals(Console.Error);
        return await CliApp.RunAsync(args, Console.Out, Console.Error, signals: signals).ConfigureAwait(false);
    }
}
