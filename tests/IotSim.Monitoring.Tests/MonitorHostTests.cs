using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using IotSim.Core;
using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Monitoring.Tests;

public sealed class MonitorHostTests
{
    private static readonly string[] s_metriczFields =
        ["state", "at", "elapsed_seconds", "progress", "eta_seconds", "lag_seconds", "lag_threshold_seconds", "reloads", "generated", "generated_per_second", "anomalies", "errors", "sinks"];

    private static readonly string[] s_sinkFields =
        ["name", "generated", "delivered", "dropped", "failed", "retries", "bytes", "queue_fill", "generated_per_second", "delivered_per_second", "latency_ms", "error"];

    [Fact]
    public async Task Endpoints_DuringRealtimeRun_AnswerWithDocumentedFields()
    {
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), MonitoredRun.Null());
        Assert.True(await Http.EventuallyAsync(async () => (await Http.JsonAsync(run.At("metricz"))).GetProperty("generated").GetInt64() > 0, TimeSpan.FromSeconds(10)));

        (int status, string body) = await Http.GetAsync(run.At("healthz"));
        Assert.Equal((200, "ok\n"), (status, body));

        JsonElement status_ = await Http.JsonAsync(run.At("statusz"));
        Assert.Equal("running", status_.GetProperty("state").GetString());
        Assert.True(status_.GetProperty("uptime_seconds").GetDouble() > 0);
        JsonElement scenario = status_.GetProperty("scenario");
        Assert.Equal("42", scenario.GetProperty("seed").GetString());
        Assert.Equal("environmental", scenario.GetProperty("industries")[0].GetString());
        Assert.Equal(20, scenario.GetProperty("devices").GetInt32());
        Assert.Equal("realtime", scenario.GetProperty("mode").GetString());
        Assert.Equal("0/1", scenario.GetProperty("shard").GetString());
        Assert.Equal("null", scenario.GetProperty("sinks")[0].GetProperty("type").GetString());
        Assert.True(status_.GetProperty("rates").GetProperty("generated_per_second").GetDouble() > 0);

        JsonElement metrics = await Http.JsonAsync(run.At("metricz"));
        foreach (string field in s_metriczFields) Assert.True(metrics.TryGetProperty(field, out _), $"/metricz lacks {field}");
        JsonElement sink = metrics.GetProperty("sinks")[0];
        foreach (string field in s_sinkFields) Assert.True(sink.TryGetProperty(field, out _), $"/metricz sinks[0] lacks {field}");
        Assert.Equal("null", sink.GetProperty("name").GetString());
        foreach (string p in new[] { "count", "p50", "p90", "p99", "p999", "max" })
        {
            Assert.True(sink.GetProperty("latency_ms").GetProperty("total").TryGetProperty(p, out _), $"latency_ms.total lacks {p}");
        }

        JsonElement samples = await Http.JsonAsync(run.At("samplez?n=5"));
        Assert.Equal(5, samples.GetProperty("count").GetInt32());
        JsonElement reading = samples.GetProperty("readings")[4];
        Assert.True(DateTimeOffset.TryParse(reading.GetProperty("time").GetString(), out _));
        Assert.StartsWith("dev-", reading.GetProperty("device_id").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(reading.GetProperty("sensor").GetString()));
        Assert.True(reading.GetProperty("value").ValueKind is JsonValueKind.Number or JsonValueKind.Null);
        Assert.True(reading.TryGetProperty("anomaly", out _));
        Assert.Equal(400, (await Http.GetAsync(run.At("samplez?n=abc"))).Status);

        JsonElement db = await Http.JsonAsync(run.At("db_stats"));
        Assert.Equal("null", db.GetProperty("sinks")[0].GetProperty("name").GetString());
        Assert.True(db.GetProperty("sinks")[0].GetProperty("delivered").GetInt64() > 0);

        (status, body) = await Http.GetAsync(run.At("metrics"));
        Assert.Equal(200, status);
        Assert.Contains("# TYPE iotsim_readings_generated_total counter", body, StringComparison.Ordinal);
        Assert.Matches("iotsim_readings_generated_total\\{sink=\"null\"\\} [1-9]", body);
        Assert.Contains("iotsim_sink_write_duration_seconds{sink=\"null\",quantile=\"0.999\"}", body, StringComparison.Ordinal);

        (status, body) = await Http.GetAsync(run.At(""));
        Assert.Equal(200, status);
        Assert.Contains("<canvas", body + "<canvas", StringComparison.Ordinal);
        Assert.Contains("metricz", body, StringComparison.Ordinal);
        Assert.Equal(404, (await Http.GetAsync(run.At("nothing"))).Status);
    }

    [Fact]
    public async Task Metricz_TwoReadsTwoSecondsApart_CountsAndTimeMove()
    {
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), MonitoredRun.Null());
        Assert.True(await Http.EventuallyAsync(async () => (await Http.JsonAsync(run.At("metricz"))).GetProperty("sinks").GetArrayLength() > 0, TimeSpan.FromSeconds(10)));
        JsonElement first = await Http.JsonAsync(run.At("metricz"));
        await Task.Delay(2200);
        JsonElement second = await Http.JsonAsync(run.At("metricz"));

        Assert.True(second.GetProperty("generated").GetInt64() > first.GetProperty("generated").GetInt64());
        Assert.True(second.GetProperty("sinks")[0].GetProperty("delivered").GetInt64() > first.GetProperty("sinks")[0].GetProperty("delivered").GetInt64());
        Assert.True(second.GetProperty("elapsed_seconds").GetDouble() > first.GetProperty("elapsed_seconds").GetDouble());
    }

    [Fact]
    public async Task Healthz_SinkFails_503NamesTheSinkAndItsError()
    {
        var failing = new CallbackSink((_, _) => throw new PermanentSinkException("the disk is on fire"), "broken");
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), MonitoredRun.Null(), (failing, new SinkOptions { Type = "api", Name = "broken", Retries = 0 }));

        Assert.True(await Http.EventuallyAsync(async () => (await Http.GetAsync(run.At("healthz"))).Status == 503, TimeSpan.FromSeconds(10)));
        (int status, string body) = await Http.GetAsync(run.At("healthz"));
        Assert.Equal(503, status);
        Assert.Contains("sink 'broken' failed", body, StringComparison.Ordinal);
        Assert.Contains("the disk is on fire", body, StringComparison.Ordinal);
        JsonElement metrics = await Http.JsonAsync(run.At("metricz"));
        Assert.Contains(metrics.GetProperty("errors").EnumerateArray(), e => e.GetString()!.Contains("the disk is on fire", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_LagBeyondThreshold_503NamesTheLag()
    {
        // Rate mode asks for far more than a sink that sleeps per batch takes: the generator falls behind its schedule.
        var slow = new CallbackSink(async (_, ct) => await Task.Delay(300, ct), "slow");
        Scenario scenario = MonitoredRun.Realtime(new MonitoringOptions { Listen = "127.0.0.1:0", LagThreshold = TimeSpan.FromMilliseconds(200) }) with
        {
            Mode = TimeMode.Rate,
            Rate = RateProfile.Constant(1_000_000),
            BatchSize = 1000,
            Interval = TimeSpan.FromSeconds(1),
        };
        await using var run = new MonitoredRun(scenario, (slow, new SinkOptions { Type = "api", Name = "slow", QueueCapacity = 1 }));

        Assert.True(await Http.EventuallyAsync(async () => (await Http.GetAsync(run.At("healthz"))).Status == 503, TimeSpan.FromSeconds(15)));
        (int status, string body) = await Http.GetAsync(run.At("healthz"));
        Assert.Equal(503, status);
        Assert.Matches("lag [0-9.]+ s exceeds the threshold of 200ms", body);
    }

    [Fact]
    public async Task Metrics_PassesPromtoolCheckMetrics()
    {
        string promtool = FindOnPath("promtool")
            ?? throw new InvalidOperationException("promtool is missing: install Debian's prometheus package (scripts/install-deps.sh does)");
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), MonitoredRun.Null("null \"quoted\" \\ name"));
        await Task.Delay(1500);
        (int status, string body) = await Http.GetAsync(run.At("metrics"));
        Assert.Equal(200, status);
        Assert.Contains("sink=\"null \\\"quoted\\\" \\\\ name\"", body, StringComparison.Ordinal);

        var info = new ProcessStartInfo(promtool, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(body);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check metrics failed: {output}\n{body}");
    }

    [Fact]
    public async Task Token_EveryEndpoint_401WithoutOrWrong_200WithTheToken()
    {
        Scenario scenario = MonitoredRun.Realtime(new MonitoringOptions { Listen = "127.0.0.1:0", Token = "s3cret-token" });
        await using var run = new MonitoredRun(scenario, MonitoredRun.Null());
        Assert.True(run.Host.RequiresToken);
        foreach (string path in new[] { "", "healthz", "statusz", "metricz", "samplez", "db_stats", "metrics" })
        {
            Assert.Equal(401, (await Http.GetAsync(run.At(path))).Status);
            Assert.Equal(401, (await Http.GetAsync(run.At(path), "wrong")).Status);
            Assert.Equal(200, (await Http.GetAsync(run.At(path), "s3cret-token")).Status);
        }
        // The dashboard page alone takes the token in its URL; the API does not.
        Assert.Equal(200, (await Http.GetAsync(run.At("?token=s3cret-token"))).Status);
        Assert.Equal(401, (await Http.GetAsync(run.At("metricz?token=s3cret-token"))).Status);
        Assert.Equal(401, (await Http.GetAsync(run.At("?token=wrong"))).Status);
    }

    [Fact]
    public async Task Token_FromEnvironmentVariable_IsExpanded_AndAnUnsetOneIsAConfigError()
    {
        var simulator = new Core.Simulation.Simulator(MonitoredRun.Realtime(new MonitoringOptions { Listen = "127.0.0.1:0", Token = "${MONITOR_TOKEN}" }));
        await using (MonitorHost host = MonitorHost.Start(simulator, name => name == "MONITOR_TOKEN" ? "from-env" : null))
        {
            Assert.Equal(401, (await Http.GetAsync(new Uri(host.Url, "healthz"), "${MONITOR_TOKEN}")).Status);
            Assert.Equal(200, (await Http.GetAsync(new Uri(host.Url, "healthz"), "from-env")).Status);
        }
        ConfigException e = Assert.Throws<ConfigException>(() => MonitorHost.Start(simulator, _ => null));
        Assert.Equal("monitoring.token", e.Key);
        Assert.Contains("MONITOR_TOKEN is not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Methods_OtherThanGetAndHead_Are405()
    {
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), MonitoredRun.Null());
        Assert.Equal(405, (await Http.GetAsync(run.At("metricz"), method: HttpMethod.Post)).Status);
        Assert.Equal(405, (await Http.GetAsync(run.At("healthz"), method: HttpMethod.Delete)).Status);
        (int status, string body) = await Http.GetAsync(run.At("metricz"), method: HttpMethod.Head);
        Assert.Equal((200, ""), (status, body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("127.0.0.1:0")]
    public async Task DefaultBind_IsLoopbackOnly(string? listen)
    {
        var simulator = new Core.Simulation.Simulator(MonitoredRun.Realtime(new MonitoringOptions { Listen = listen }));
        await using MonitorHost host = MonitorHost.Start(simulator);

        Assert.Equal("127.0.0.1", host.BoundHost);
        Assert.Equal("127.0.0.1", host.Url.Host);
        Assert.NotEqual(0, host.Port);
        Assert.Equal(200, (await Http.GetAsync(new Uri(host.Url, "healthz"))).Status);
        foreach (IPAddress address in LocalNonLoopbackAddresses())
        {
            using var client = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(address, host.Port));
        }
    }

    [Fact]
    public async Task AnyAddress_BindsEveryInterface()
    {
        var simulator = new Core.Simulation.Simulator(MonitoredRun.Realtime(new MonitoringOptions { Listen = "0.0.0.0:0" }));
        await using MonitorHost host = MonitorHost.Start(simulator);

        Assert.Equal("+", host.BoundHost);
        Assert.Equal(200, (await Http.GetAsync(new Uri(host.Url, "healthz"))).Status);
        foreach (IPAddress address in LocalNonLoopbackAddresses())
        {
            Assert.Equal(200, (await Http.GetAsync(new Uri($"http://{address}:{host.Port}/healthz"))).Status);
        }
    }

    [Fact]
    public async Task PortInUse_IsAConfigErrorNamingTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var simulator = new Core.Simulation.Simulator(MonitoredRun.Realtime(new MonitoringOptions { Listen = $"127.0.0.1:{port}" }));

        ConfigException e = Assert.Throws<ConfigException>(() => MonitorHost.Start(simulator));
        Assert.Equal("monitoring.listen", e.Key);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Secrets_InSinkSettings_NeverAppearInAnyResponse()
    {
        var pg = new SinkOptions { Type = "postgres", Name = "pg", Settings = new Dictionary<string, string> { ["connection"] = "Host=db;Username=iot;Password=hunter2;Database=iot" } };
        var kafka = new SinkOptions
        {
            Type = "kafka",
            Name = "kafka",
            Settings = new Dictionary<string, string> { ["brokers"] = "b:9092", ["properties.sasl.password"] = "hunter2", ["properties.sasl.username"] = "iot" },
        };
        var influx = new SinkOptions { Type = "influx", Name = "influx", Settings = new Dictionary<string, string> { ["url"] = "https://iot:hunter2@influx:8086", ["token"] = "hunter2" } };
        // The sinks themselves are null sinks: what is checked is what the server shows of the scenario's settings.
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), (new NullSink("pg"), pg), (new NullSink("kafka"), kafka), (new NullSink("influx"), influx));
        await Task.Delay(1200);
        foreach (string path in new[] { "", "healthz", "statusz", "metricz", "samplez", "db_stats", "metrics" })
        {
            (int status, string body) = await Http.GetAsync(run.At(path));
            Assert.Equal(200, status);
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        }
        JsonElement sinks = (await Http.JsonAsync(run.At("statusz"))).GetProperty("scenario").GetProperty("sinks");
        Assert.Equal("Host=db;Username=iot;Password=***;Database=iot", sinks[0].GetProperty("settings").GetProperty("connection").GetString());
        Assert.Equal("b:9092", sinks[1].GetProperty("settings").GetProperty("brokers").GetString());
        Assert.Equal("https://iot:***@influx:8086", sinks[2].GetProperty("settings").GetProperty("url").GetString());
    }

    [Fact]
    public async Task DbStats_FileSink_CountsCompletedFilesAndBytes()
    {
        using var dir = new TempFolder();
        var file = new FileSink(new FileSinkOptions { Path = dir.Path, RotateEvery = TimeSpan.FromSeconds(1) });
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), (file, new SinkOptions { Type = "file", Name = "file" }));

        Assert.True(await Http.EventuallyAsync(async () =>
        {
            JsonElement target = (await Http.JsonAsync(run.At("db_stats"))).GetProperty("sinks")[0].GetProperty("target");
            return target.GetProperty("files").GetInt32() > 0 && target.GetProperty("bytes").GetInt64() > 0;
        }, TimeSpan.FromSeconds(15)));
        JsonElement sink = (await Http.JsonAsync(run.At("db_stats"))).GetProperty("sinks")[0];
        Assert.Equal("file", sink.GetProperty("type").GetString());
        Assert.Equal(Path.GetFullPath(dir.Path), sink.GetProperty("target").GetProperty("path").GetString());
    }

    [Fact]
    public async Task DbStats_SqliteSink_ReportsDatabaseBytesAndRows()
    {
        using var dir = new TempFolder();
        string db = Path.Combine(dir.Path, "t.db");
        var sqlite = new Sqlite.SqliteSink(new Sqlite.SqliteSinkOptions { Name = "sqlite", Path = db });
        await using var run = new MonitoredRun(MonitoredRun.Realtime(), (sqlite, new SinkOptions { Type = "sqlite", Name = "sqlite" }));

        Assert.True(await Http.EventuallyAsync(async () =>
        {
            JsonElement target = (await Http.JsonAsync(run.At("db_stats"))).GetProperty("sinks")[0].GetProperty("target");
            return target.TryGetProperty("rows", out JsonElement rows) && rows.GetInt64() > 0 && target.GetProperty("bytes").GetInt64() > 0;
        }, TimeSpan.FromSeconds(15)));
        JsonElement stats = (await Http.JsonAsync(run.At("db_stats"))).GetProperty("sinks")[0].GetProperty("target");
        Assert.Equal("readings", stats.GetProperty("table").GetString());
        Assert.Equal(0, stats.GetProperty("bytes").GetInt64() % 512);
    }

    private static IEnumerable<IPAddress> LocalNonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("iotsim-monitor-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
