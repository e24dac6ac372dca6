using System.Net;
using System.Net.Sockets;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Http.Tests;

/// <summary>
/// A loaded server answers 429 or 503 with Retry-After. A scripted HTTP server on loopback plays that part (no real
/// server can be made to answer so on demand): the first requests are refused, the rest accepted and their lines kept.
/// </summary>
public sealed class RetryAfterTests
{
    private sealed class BusyServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _refusals;

        public BusyServer(int refusals, HttpStatusCode status)
        {
            _refusals = refusals;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    if (context.Request.Url!.AbsolutePath == "/write")
                    {
                        if (Interlocked.Decrement(ref _refusals) >= 0)
                        {
                            Refused.Add(DateTimeOffset.UtcNow);
                            context.Response.StatusCode = (int)status;
                            context.Response.Headers["Retry-After"] = "1";
                        }
                        else
                        {
                            using var reader = new StreamReader(context.Request.InputStream);
                            string body = await reader.ReadToEndAsync();
                            lock (Lines) Lines.AddRange(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                            Accepted.Add(DateTimeOffset.UtcNow);
                            context.Response.StatusCode = 204;
                        }
                    }
                    else
                    {
                        context.Response.StatusCode = 204;
                    }
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public List<string> Lines { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<DateTimeOffset> Refused { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<DateTimeOffset> Accepted { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(5000);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task BusyAnswers_WaitAsRetryAfterAsks_ThenEveryLineArrivesOnce(HttpStatusCode status)
    {
        using var server = new BusyServer(refusals: 2, status);
        var scenario = new Scenario { Industries = ["mining"], Devices = 3, Duration = TimeSpan.FromSeconds(20), Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        var sim = new Simulator(scenario);
        sim.AddSink(new InfluxSink(new InfluxSinkOptions { Url = new Uri($"http://127.0.0.1:{server.Port}/"), Flavor = InfluxFlavor.VictoriaMetrics, ReadingsPerRequest = 200 }),
            new SinkOptions { Type = "influx", Retries = 5, RetryDelay = TimeSpan.FromMilliseconds(10) });
        RunReport report = await sim.RunAsync();
        Assert.True(report.Succeeded, report.Sinks[0].Error);
        Assert.Equal(2, server.Refused.Count);
        // Each refusal was followed by a wait of the second Retry-After asked for before the next attempt.
        Assert.True(server.Accepted.Min() - server.Refused.Max() >= TimeSpan.FromSeconds(0.9), $"{server.Accepted.Min():O} vs {server.Refused.Max():O}");
        Assert.Equal(report.Generated, server.Lines.Count);
        Assert.Equal(server.Lines.Count, server.Lines.Distinct().Count());
        Assert.Equal(report.Generated, report.Sinks[0].Delivered);
    }
}
