using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IotSim.Core;
using IotSim.Core.Diagnostics;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Monitoring;

/// <summary>
/// The monitoring HTTP API and live dashboard of one run, over <see cref="HttpListener"/>: read-only (GET and HEAD),
/// optionally behind a bearer token, bound to 127.0.0.1 unless told otherwise. It collects the run's
/// <see cref="RunMonitor"/> once a second on its own timer, so every request reads the latest snapshot, and keeps the
/// latest readings through <see cref="Simulator.Tap"/>. Start it before the run, <see cref="Finish"/> it with the
/// report, dispose it after the summary.
/// </summary>
public sealed partial class MonitorHost : IAsyncDisposable
{
    /// <summary>How often the run is collected.</summary>
    public static readonly TimeSpan CollectInterval = TimeSpan.FromSeconds(1);

    private readonly HttpListener _listener;
    private readonly Simulator _simulator;
    private readonly RunMonitor _monitor;
    private readonly SampleRing _samples;
    private readonly MonitoringOptions _options;
    private readonly byte[]? _token;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _collecting;
    private readonly Task _serving;
    private volatile RunReport? _report;
    private int _disposed;

    private MonitorHost(Simulator simulator, MonitoringOptions options, string? token, HttpListener listener, string host, int port)
    {
        _simulator = simulator;
        _options = options;
        _token = token is null ? null : Encoding.UTF8.GetBytes(token);
        _listener = listener;
        BoundHost = host;
        Port = port;
        string urlHost = host is "+" ? "127.0.0.1" : host;
        Url = new Uri($"http://{urlHost}:{port}/");
        _monitor = new RunMonitor(simulator);
        _samples = new SampleRing(options.Samples);
        simulator.Tap(_samples.Add);
        _monitor.Collect();
        _collecting = CollectAsync(_stop.Token);
        _serving = ServeAsync(_stop.Token);
    }

    /// <summary>
    /// The host the listener is bound to, as given to it: an address such as <c>127.0.0.1</c>, a host name, or
    /// <c>+</c> for every interface (from <c>0.0.0.0</c>).
    /// </summary>
    public string BoundHost { get; }

    /// <summary>The port listened on (the one picked when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>Where the dashboard is; the API is below it.</summary>
    public Uri Url { get; }

    /// <summary>Whether requests must carry the bearer token.</summary>
    public bool RequiresToken => _token is not null;

    /// <summary>Where the run is.</summary>
    public RunState State => _report is { } r
        ? r.Interrupted ? RunState.Interrupted : r.Succeeded ? RunState.Completed : RunState.Failed
        : _simulator.SinkReports().Count > 0 ? RunState.Running : RunState.Starting;

    /// <summary>
    /// Starts the API for <paramref name="simulator"/> when its scenario's <c>monitoring.listen</c> is set (else
    /// returns null). <paramref name="environment"/> reads <c>${NAME}</c> in the token.
    /// </summary>
    /// <exception cref="ConfigException">The address cannot be listened on (in use, not local) or the token cannot be read.</exception>
    public static MonitorHost? StartIfConfigured(Simulator simulator, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        return simulator.Scenario.Monitoring.Listen is null ? null : Start(simulator, environment);
    }

    /// <summary>Starts the API for <paramref name="simulator"/> on its scenario's <c>monitoring.listen</c> (default 127.0.0.1:0).</summary>
    /// <exception cref="ConfigException">The address cannot be listened on (in use, not local) or the token cannot be read.</exception>
    public static MonitorHost Start(Simulator simulator, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        Scenario scenario = simulator.Scenario;
        MonitoringOptions options = scenario.Monitoring;
        string listen = options.Listen ?? "127.0.0.1:0";
        if (MonitoringOptions.ParseListen(listen, out string host, out int port) is { } problem)
        {
            throw MonitoringOptions.Error(scenario, "monitoring.listen", problem);
        }
        string? token = options.ResolveToken(scenario, environment ?? Environment.GetEnvironmentVariable);
        (HttpListener listener, string bound, int boundPort) = Bind(scenario, host, port);
        return new MonitorHost(simulator, options, token, listener, bound, boundPort);
    }

    /// <summary>Records the run's outcome, so the state reads completed, failed or interrupted.</summary>
    public void Finish(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _report = report;
    }

    /// <summary>Stops listening; requests under way are cut.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        try
        {
            await Task.WhenAll(_collecting, _serving).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _monitor.Dispose();
        _stop.Dispose();
    }

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/>; port 0 takes a free port (tried a few times, as another program may take it first).</summary>
    private static (HttpListener Listener, string Host, int Port) Bind(Scenario scenario, string host, int port)
    {
        // HttpListener spells "every interface" as '+'; a prefix of 0.0.0.0 would only match requests whose Host header says 0.0.0.0.
        string prefixHost = host is "0.0.0.0" or "[::]" or "*" or "+" ? "+" : host;
        for (int attempt = 0; ; attempt++)
        {
            int p = port != 0 ? port : FreePort(prefixHost == "+" ? IPAddress.Any : IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? a) ? a : IPAddress.Loopback);
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://{prefixHost}:{p}/");
            try
            {
                listener.Start();
                return (listener, prefixHost, p);
            }
            catch (Exception e) when (e is HttpListenerException or SocketException)
            {
                listener.Close();
                if (port == 0 && attempt < 5) continue;
                throw MonitoringOptions.Error(scenario, "monitoring.listen", $"cannot listen on {host}:{p}: {e.Message}");
            }
        }
    }

    private static int FreePort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CollectInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _monitor.Collect();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        try
        {
            HttpListenerRequest request = context.Request;
            string path = request.Url?.AbsolutePath ?? "/";
            Answer answer;
            if (!Authorized(request, path))
            {
                response.AddHeader("WWW-Authenticate", "Bearer realm=\"iotsim\"");
                answer = Answer.Text(401, "unauthorized: send the header 'Authorization: Bearer TOKEN' (the dashboard: open /?token=TOKEN)\n");
            }
            else if (request.HttpMethod is not ("GET" or "HEAD"))
            {
                response.AddHeader("Allow", "GET, HEAD");
                answer = Answer.Text(405, $"method {request.HttpMethod} not allowed: the monitoring API is read-only (GET, HEAD)\n");
            }
            else
            {
                answer = await RouteAsync(path, request).ConfigureAwait(false);
            }
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            response.AddHeader("Cache-Control", "no-store");
            response.AddHeader("X-Content-Type-Options", "nosniff");
            response.ContentLength64 = answer.Body.Length;
            if (request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(answer.Body, _stop.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A request that fails must not take the server down; the client sees a 500 or a cut connection.
        catch (Exception)
#pragma warning restore CA1031
        {
            try
            {
                response.StatusCode = 500;
            }
            catch (InvalidOperationException)
            {
                // Headers already sent.
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The client left.
            }
        }
    }

    /// <summary>
    /// Whether the request carries the token (or none is needed). The dashboard page itself also takes it as
    /// <c>?token=</c>, since a browser cannot send a header when opening a page; its script then sends the header.
    /// </summary>
    private bool Authorized(HttpListenerRequest request, string path)
    {
        if (_token is null) return true;
        string? header = request.Headers["Authorization"];
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header["Bearer ".Length..].Trim()))
        {
            return true;
        }
        return path is "/" or "/index.html" && request.QueryString["token"] is { } query && Matches(query);
    }

    private bool Matches(string candidate) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    /// <summary>A response: status, content type and body.</summary>
    private readonly record struct Answer(int Status, string ContentType, byte[] Body)
    {
        public static Answer Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

        public static Answer Json(byte[] body) => new(200, "application/json; charset=utf-8", body);
    }
}
