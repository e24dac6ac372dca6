using System.Text;

namespace IotSim.Cli.Tests;

/// <summary>Runs <c>iotsim</c> in-process and captures what it prints.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error, string Console);

internal static class CliHarness
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var console = new MemoryStream();
        int code = await CliApp.RunAsync(args, output, error, console);
        return new CliResult(code, output.ToString(), error.ToString(), Encoding.UTF8.GetString(console.ToArray()));
    }

    /// <summary>Runs with <paramref name="environment"/> as the only environment variables.</summary>
    public static async Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var console = new MemoryStream();
        int code = await CliApp.RunAsync(args, output, error, console, environment: name => environment.GetValueOrDefault(name));
        return new CliResult(code, output.ToString(), error.ToString(), Encoding.UTF8.GetString(console.ToArray()));
    }

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "scenarios", name);
}
