using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IotSim.Http.Tests;

/// <summary>A server process from Debian's packages on free loopback ports in a temporary folder, stopped after the tests.</summary>
public abstract class ServerProcess : IAsyncLifetime
{
    private Process? _process;

    protected string Root { get; } = Directory.CreateTempSubdirectory("iotsim-http-").FullName;

    public int Port { get; } = FreePort();

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    protected abstract ProcessStartInfo StartInfo();

    protected abstract string ReadyPath { get; }

    public async Task InitializeAsync()
    {
        ProcessStartInfo info = StartInfo();
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {info.FileName}");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (int i = 0; i < 200; i++)
        {
            try
            {
                using HttpResponseMessage r = await Http.GetAsync(new Uri(Url, ReadyPath)).ConfigureAwait(false);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (_process.HasExited) throw new InvalidOperationException($"{info.FileName} exited with {_process.ExitCode}");
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"{info.FileName} did not become ready on port {Port}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    protected static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>InfluxDB 1.x (Debian's influxdb package).</summary>
public sealed class InfluxServer : ServerProcess
{
    protected override string ReadyPath => "ping";

    protected override ProcessStartInfo StartInfo()
    {
        string config = Path.Combine(Root, "influxdb.conf");
        File.WriteAllText(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{FreePort()}"
            [meta]
              dir = "{Root}/meta"
            [data]
              dir = "{Root}/data"
              wal-dir = "{Root}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:{Port}"
              log-enabled = false
            [ifql]
              enabled = false
            """);
        return new ProcessStartInfo("influxd") { ArgumentList = { "-config", config } };
    }

    /// <summary>Runs an InfluxQL query and returns the JSON answer.</summary>
    public async Task<System.Text.Json.JsonElement> QueryAsync(string database, string q)
    {
        using var content = new FormUrlEncodedContent([new("db", database), new("q", q)]);
        using HttpResponseMessage r = await Http.PostAsync(new Uri(Url, "query"), content).ConfigureAwait(false);
        string text = await r.Content.ReadAsStringAsync().ConfigureAwait(false);
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>VictoriaMetrics (Debian's victoria-metrics package), keeping data of any age.</summary>
public sealed class VictoriaServer : ServerProcess
{
    protected override string ReadyPath => "health";

    protected override ProcessStartInfo StartInfo() => new("victoria-metrics")
    {
        ArgumentList = { $"-httpListenAddr=127.0.0.1:{Port}", $"-storageDataPath={Root}/data", "-retentionPeriod=100y", "-loggerLevel=ERROR", "-search.disableCache" },
    };

    /// <summary>Every raw sample of the series matching <paramref name="match"/>, after a flush.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double[] Values, long[] Timestamps)>> ExportAsync(string match)
    {
        using (HttpResponseMessage f = await Http.GetAsync(new Uri(Url, "internal/force_flush")).ConfigureAwait(false)) f.EnsureSuccessStatusCode();
        using var content = new FormUrlEncodedContent([new("match[]", match)]);
        using HttpResponseMessage r = await Http.PostAsync(new Uri(Url, "api/v1/export"), content).ConfigureAwait(false);
        var result = new List<(Dictionary<string, string>, double[], long[])>();
        foreach (string line in (await r.Content.ReadAsStringAsync().ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var labels = doc.RootElement.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            double[] values = [.. doc.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];
            long[] ts = [.. doc.RootElement.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64())];
            result.Add((labels, values, ts));
        }
        return result;
    }
}
