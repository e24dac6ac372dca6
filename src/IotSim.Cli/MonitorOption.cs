using System.CommandLine;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Monitoring;

namespace IotSim.Cli;

/// <summary><c>run --monitor HOST:PORT</c>: the monitoring API and dashboard of a run (<see cref="MonitorHost"/>).</summary>
internal static class MonitorOption
{
    /// <summary>The <c>--monitor</c> option (also IOTSIM_MONITOR), from its spec.</summary>
    public static Option<string?> Create() => ScenarioOptions.Make(OptionSpecs.MonitorListen);

    /// <summary>The scenario with <c>monitoring.listen</c> from the command line or the environment, when given (they win over the file).</summary>
    public static Scenario Apply(Scenario scenario, (string? Text, string Source) value)
    {
        if (value.Text is not { } text) return scenario;
        if (MonitoringOptions.ParseListen(text, out _, out _) is { } problem) throw new ConfigException(null, 0, value.Source, problem);
        return scenario.SetBy(OptionSpecs.MonitorListen.Key, value.Source) with { Monitoring = scenario.Monitoring with { Listen = text.Trim() } };
    }

    /// <summary>Starts the API when the scenario asks for one and prints where it is; a port in use is a <see cref="ConfigException"/> (exit 2, nothing generated).</summary>
    public static async Task<MonitorHost?> StartAsync(Simulator simulator, Func<string, string?>? environment, TextWriter error, int level)
    {
        if (MonitorHost.StartIfConfigured(simulator, environment) is not { } host) return null;
        // Port 0 picks a port nobody knows yet: then its URL is printed whatever the log level.
        if (level >= 1 || host.Port != ParsedPort(simulator.Scenario.Monitoring.Listen!))
        {
            await error.WriteLineAsync($"monitoring: {host.Url} (dashboard; API: /healthz /statusz /metricz /samplez /db_stats /metrics)").ConfigureAwait(false);
        }
        return host;
    }

    private static int ParsedPort(string listen) => MonitoringOptions.ParseListen(listen, out _, out int port) is null ? port : -1;

    /// <summary>Stops <paramref name="host"/> (if any) when disposed: after the summary.</summary>
    public static IAsyncDisposable Scope(MonitorHost? host) => host ?? (IAsyncDisposable)new Nothing();

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
