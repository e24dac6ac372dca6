using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Monitoring.Tests;

/// <summary>A real run in this process with its monitoring server; disposing stops both.</summary>
internal sealed class MonitoredRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public MonitoredRun(Scenario scenario, params (IReadingSink Sink, SinkOptions Options)[] sinks)
    {
        Simulator = new Simulator(scenario with { Sinks = [.. sinks.Select(s => s.Options)] });
        foreach (var (sink, options) in sinks) Simulator.AddSink(sink, options);
        Simulator.Build();
        Host = MonitorHost.Start(Simulator);
        Run = Simulator.RunAsync(_stop.Token);
    }

    public Simulator Simulator { get; }

    public MonitorHost Host { get; }

    public Task<RunReport> Run { get; }

    public Uri At(string path) => new(Host.Url, path);

    /// <summary>A realtime scenario of 20 devices that runs until stopped.</summary>
    public static Scenario Realtime(MonitoringOptions? monitoring = null) => new()
    {
        Industries = ["environmental"],
        Devices = 20,
        Interval = TimeSpan.FromMilliseconds(200),
        Mode = TimeMode.Realtime,
        Duration = TimeSpan.FromHours(1),
        Monitoring = monitoring ?? new MonitoringOptions { Listen = "127.0.0.1:0" },
        Sinks = [new SinkOptions { Type = "null" }],
    };

    public static (IReadingSink, SinkOptions) Null(string name = "null") => (new NullSink(name), new SinkOptions { Type = "null", Name = name });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            Host.Finish(await Run);
        }
        finally
        {
            await Host.DisposeAsync();
            _stop.Dispose();
        }
    }
}
