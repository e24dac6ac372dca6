using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using IotSim.Cli;

namespace IotSim.Monitoring.Tests;

/// <summary><c>iotsim run --monitor</c> and the <c>monitoring:</c> section, in-process and as a real child process.</summary>
public sealed partial class CliMonitorTests
{
    [Fact]
    public async Task Run_MonitorPortZero_PrintsTheUrlAndServes()
    {
        await using var cli = CliChild.Start(new Dictionary<string, string>(), "run", "--mode", "realtime", "--duration", "1h", "--industries", "environmental", "--devices", "5", "--sink", "null", "--monitor", "127.0.0.1:0");
        Uri url = await cli.UrlAsync();

        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal((200, "ok\n"), await Http.GetAsync(new Uri(url, "healthz")));
        Assert.Equal("running", (await Http.JsonAsync(new Uri(url, "statusz"))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Run_ScenarioWithKafkaSaslPasswordAndToken_NoSecretInAnyBodyOrStderr_TokenEnforced()
    {
        using var dir = new TempFolder();
        string scenario = Path.Combine(dir.Path, "s.yaml");
        await File.WriteAllTextAsync(scenario, """
            fleet: { industries: [environmental], devices: 5, interval: 200ms }
            time: { mode: realtime, duration: 1h }
            monitoring:
              listen: 127.0.0.1:0
              token: ${MON_TOKEN}
            sinks:
              - type: kafka
                brokers: "127.0.0.1:1"
                topic: t
                properties: { test.mock.num.brokers: 1, sasl.username: iot, sasl.password: hunter2 }
              - type: file
                path: out
            """);
        await using var cli = CliChild.Start(new Dictionary<string, string> { ["MON_TOKEN"] = "tok-4711" }, "run", scenario, "--log-level", "debug");
        Uri url = await cli.UrlAsync();

        Assert.Equal(401, (await Http.GetAsync(new Uri(url, "metricz"))).Status);
        Assert.True(await Http.EventuallyAsync(async () => (await Http.JsonAsync(new Uri(url, "metricz"), "tok-4711")).GetProperty("generated").GetInt64() > 0, TimeSpan.FromSeconds(15)));
        foreach (string path in new[] { "", "healthz", "statusz", "metricz", "samplez", "db_stats", "metrics" })
        {
            (int status, string body) = await Http.GetAsync(new Uri(url, path), "tok-4711");
            Assert.Equal(200, status);
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-4711", body, StringComparison.Ordinal);
        }
        string status_ = (await Http.GetAsync(new Uri(url, "statusz"), "tok-4711")).Body;
        Assert.Contains("\"properties.sasl.password\": \"***\"", status_, StringComparison.Ordinal);
        string error = await cli.StopAsync();
        Assert.Contains("IotSim run", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-4711", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MonitorPortInUse_Exit2BeforeAnythingIsGenerated()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var dir = new TempFolder();

        (int code, string error) = await RunInProcessAsync("run", "--sink", "file", "-o", dir.Path, "--duration", "10s", "--monitor", $"127.0.0.1:{port}");

        Assert.Equal(2, code);
        Assert.Contains($"'--monitor': cannot listen on 127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("monitoring:\n  listn: 127.0.0.1:0\n", "'monitoring.listn': unknown key 'listn'", "allowed: listen, token, lag_threshold, samples")]
    [InlineData("monitoring:\n  listen: nowhere\n", "'monitoring.listen': expected HOST:PORT", "127.0.0.1:8080")]
    [InlineData("monitoring:\n  listen: 127.0.0.1:70000\n", "'monitoring.listen': the port must be a whole number from 0 to 65535", "70000")]
    [InlineData("monitoring:\n  samples: 0\n", "'monitoring.samples'", "0 is out of range; allowed: 1 to 10000")]
    [InlineData("monitoring:\n  lag_threshold: soon\n", "'monitoring.lag_threshold': expected a duration", "soon")]
    public async Task Run_BadMonitoringSection_Exit2NamingTheFileLineKeyAndAllowedValues(string yaml, string expected, string allowed)
    {
        using var dir = new TempFolder();
        string scenario = Path.Combine(dir.Path, "bad.yaml");
        await File.WriteAllTextAsync(scenario, "sinks: [ { type: null } ]\n" + yaml);

        (int code, string error) = await RunInProcessAsync("run", scenario);

        Assert.Equal(2, code);
        Assert.Contains($"{scenario}:3: {expected}", error, StringComparison.Ordinal);
        Assert.Contains(allowed, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadMonitorFlag_Exit2NamingTheFlag()
    {
        (int code, string error) = await RunInProcessAsync("run", "--sink", "null", "--monitor", "localhost:http");

        Assert.Equal(2, code);
        Assert.Contains("'--monitor': the port must be a whole number from 0 to 65535", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FlagOverridesTheFile()
    {
        using var dir = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        string scenario = Path.Combine(dir.Path, "s.yaml");
        // The file's port is taken: the run only succeeds because the flag's port 0 wins.
        await File.WriteAllTextAsync(scenario, $"time: {{ duration: 5s }}\nsinks: [ {{ type: null }} ]\nmonitoring: {{ listen: 127.0.0.1:{port} }}\n");

        (int code, string error) = await RunInProcessAsync("run", scenario, "--monitor", "127.0.0.1:0");

        Assert.True(code == 0, error);
        Assert.Matches("monitoring: http://127\\.0\\.0\\.1:[0-9]+/", error);
        Assert.DoesNotContain($":{port}/", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Error)> RunInProcessAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var console = new MemoryStream();
        int code = await CliApp.RunAsync(args, output, error, console, environment: _ => null);
        return (code, error.ToString());
    }

    /// <summary>The real <c>iotsim</c> as a child process (<c>dotnet iotsim.dll</c>), stopped with SIGTERM.</summary>
    private sealed partial class CliChild : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _error = new();

        private CliChild(IReadOnlyDictionary<string, string> environment, string[] args)
        {
            string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
            var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iotsim.dll"));
            foreach (string a in args) info.ArgumentList.Add(a);
            foreach (var (name, value) in environment) info.Environment[name] = value;
            _process = new Process { StartInfo = info };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null) lock (_error) _error.Append(e.Data).Append('\n');
            };
            _process.OutputDataReceived += (_, _) => { };
            _process.Start();
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
        }

        public static CliChild Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(environment, args);

        private string Error
        {
            get
            {
                lock (_error) return _error.ToString();
            }
        }

        /// <summary>The URL the CLI printed on standard error.</summary>
        public async Task<Uri> UrlAsync()
        {
            for (int i = 0; i < 150; i++)
            {
                if (MonitoringLine().Match(Error) is { Success: true } m) return new Uri(m.Groups[1].Value);
                Assert.False(_process.HasExited, "iotsim exited: " + Error);
                await Task.Delay(100);
            }
            throw new TimeoutException("no monitoring URL on standard error: " + Error);
        }

        /// <summary>Stops the run with SIGTERM and returns all it wrote on standard error.</summary>
        public async Task<string> StopAsync()
        {
            if (!_process.HasExited) _ = Kill(_process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            _process.WaitForExit();
            return Error;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) await StopAsync();
            _process.Dispose();
        }

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
        private static partial int Kill(int pid, int signal);

        [GeneratedRegex("monitoring: (http://\\S+)")]
        private static partial Regex MonitoringLine();
    }
}
