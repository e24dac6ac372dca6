using System.Diagnostics;
using System.Text.Json.Nodes;
using Json.Schema;

namespace IotSim.Cli.Tests;

/// <summary>What a run shows while it runs (progress lines, the live view in a terminal) and the report it leaves.</summary>
public sealed class RunReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A backfill paced by a slow target: realtime at 60× speed takes about 2 s for 2 minutes of data.</summary>
    private string Scenario(string sinks = "[ { type: file, path: OUT, format: jsonl } ]")
    {
        string yaml = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(yaml, "seed: 9\nfleet: { industries: [mining], devices: 30, interval: 1s }\n" +
            "time: { mode: realtime, speed: 60, start: 2026-01-01T00:00:00Z, duration: 2m }\n" +
            "anomalies: { probability_scale: 30 }\n" +
            $"sinks: {sinks.Replace("OUT", Path.Combine(_dir, "out"), StringComparison.Ordinal)}\n");
        return yaml;
    }

    [Fact]
    public async Task JsonReport_ValidatesAgainstItsSchema_AndItsTotalsAreTheSummarys()
    {
        string report = Path.Combine(_dir, "r.json");
        CliResult r = await CliHarness.RunAsync("run", Scenario(), "--report", report, "--progress", "0");
        Assert.Equal(0, r.ExitCode);
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "report.schema.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllText(report))!;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        EvaluationResults results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

        // The summary table's row for the sink, e.g. "file   3,600   3,600   0   0".
        string row = r.Error.Split('\n').Single(l => l.StartsWith("file ", StringComparison.Ordinal));
        long[] summary = [.. row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(4).Select(v => long.Parse(v.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))];
        JsonNode sink = json["sinks"]![0]!;
        Assert.Equal(summary, new[] { "generated", "delivered", "dropped", "failed" }.Select(k => sink[k]!.GetValue<long>()));
        Assert.Equal(summary[0], json["run"]!["generated"]!.GetValue<long>());
        Assert.True(sink["latency_ms"]!["count"]!.GetValue<long>() > 0);
        // About two seconds of run: a timeline of snapshots, ending at the whole run, with the anomalies the engine injected.
        JsonArray timeline = json["timeline"]!.AsArray();
        Assert.True(timeline.Count >= 2, $"{timeline.Count} snapshots");
        Assert.Equal(summary[0], timeline[^1]!["generated"]!.GetValue<long>());
        Assert.Equal(1.0, timeline[^1]!["progress"]!.GetValue<double>());
        Assert.NotEmpty(json["anomalies"]!.AsObject());
        Assert.Matches("^[0-9a-f]{64}$", json["scenario"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task MarkdownReport_HasTheSinkTableAndTimeline()
    {
        string report = Path.Combine(_dir, "r.md");
        CliResult r = await CliHarness.RunAsync("run", Scenario(), "--report", report, "-q");
        Assert.Equal(0, r.ExitCode);
        string md = File.ReadAllText(report);
        Assert.Contains("| sink | generated | delivered |", md, StringComparison.Ordinal);
        Assert.Contains("## Timeline", md, StringComparison.Ordinal);
        Assert.Matches(@"\| file \| [0-9,]+ \| [0-9,]+ \| 0 \| 0 \|", md);
    }

    [Fact]
    public async Task HtmlReport_OpensInHeadlessChromium_WithItsPlots_AndTheSummarysTotals()
    {
        HeadlessChromium.AssertInstalled();
        string report = Path.Combine(_dir, "r.html");
        CliResult r = await CliHarness.RunAsync("run", Scenario(), "--report", report, "--progress", "0");
        Assert.Equal(0, r.ExitCode);
        string html = File.ReadAllText(report);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal); // nothing fetched from elsewhere
        string row = r.Error.Split('\n').Single(l => l.StartsWith("file ", StringComparison.Ordinal));
        string generated = row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Contains($"generated {generated}, delivered {generated}, dropped 0, failed 0", html, StringComparison.Ordinal);

        string screenshot = Path.Combine(_dir, "shot.png");
        string profile = Path.Combine(_dir, "profile");
        string url = new Uri(report).AbsoluteUri;
        (int code, _, string error) = await HeadlessChromium.RunAsync($"--screenshot={screenshot}", "--window-size=1100,1200", $"--user-data-dir={profile}", url);
        Assert.True(code == 0 && File.Exists(screenshot), error);
        Assert.True(new FileInfo(screenshot).Length > 20_000, "the screenshot shows more than a blank page");
        (int domCode, string dom, string domError) = await HeadlessChromium.RunAsync("--dump-dom", $"--user-data-dir={profile}", url);
        Assert.True(domCode == 0, domError);
        foreach (string title in new[] { "Readings per second", "Write latency, p50 and p99 of each second", "Queue fill and lag", "Anomalous readings injected (cumulative)" })
        {
            Assert.Contains($"data-title=\"{title}\"", dom, StringComparison.Ordinal);
        }
        Assert.Contains("data-series=\"file delivered\"", dom, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r.txt", "allowed: .json, .md, .html")]
    [InlineData("no-such-folder/r.json", "does not exist")]
    public async Task ABadReportPath_IsRefusedBeforeTheRun_Exit2(string name, string problem)
    {
        CliResult r = await CliHarness.RunAsync("run", Scenario(), "--report", Path.Combine(_dir, name));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--report", r.Error, StringComparison.Ordinal);
        Assert.Contains(problem, r.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task NotATerminal_PrintsAPlainProgressLineEachInterval_QuietPrintsNone()
    {
        CliResult r = await CliHarness.RunAsync("run", Scenario(), "--progress", "300ms");
        Assert.Equal(0, r.ExitCode);
        string[] lines = [.. r.Error.Split('\n').Where(l => l.StartsWith("progress: ", StringComparison.Ordinal))];
        Assert.True(lines.Length >= 3, r.Error);
        Assert.Matches(@"^progress: [0-9.]+s, [0-9.]+%(, ETA [0-9hms.]+)?, [0-9,]+ generated \([0-9. kM]+/s\)(, lag [0-9.]+ s)?; file: [0-9,]+ delivered", lines[^1]);
        Assert.True(lines.Distinct().Count() >= 3, "each line is a new snapshot"); // collected at the progress interval, not once a second
        Assert.DoesNotContain("\u001b[", r.Error, StringComparison.Ordinal); // no terminal codes in a log

        CliResult quiet = await CliHarness.RunAsync("run", Scenario(), "--progress", "300ms", "-q");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Error);
    }

    /// <summary>As a person sees it: the real binary in a tmux terminal, its screen read with capture-pane while it runs.</summary>
    [Fact]
    public async Task InATerminal_TheLiveViewShowsProgressAndEachSink()
    {
        string session = "iotsim-" + Guid.NewGuid().ToString("N")[..8];
        string yaml = Scenario("[ { type: file, path: OUT, format: jsonl }, { type: null, name: blackhole } ]").Replace("duration: 2m", "duration: 6m", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "s.yaml"), File.ReadAllText(yaml).Replace("duration: 2m", "duration: 6m", StringComparison.Ordinal));
        string command = $"{CliProcess.Quote(CliProcess.Host)} {CliProcess.Quote(CliProcess.Dll)} run {CliProcess.Quote(yaml)}; sleep 30";
        Assert.Equal(0, await Tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "30", command));
        try
        {
            string first = "", second = "";
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(20) && !(first.Contains("blackhole", StringComparison.Ordinal) && first.Contains("ETA", StringComparison.Ordinal)))
            {
                await Task.Delay(500);
                first = await Capture(session);
            }
            Assert.Contains("ETA", first, StringComparison.Ordinal);
            Assert.Contains("rate/s", first, StringComparison.Ordinal);
            Assert.Contains("p99 ms", first, StringComparison.Ordinal);
            Assert.Contains("blackhole", first, StringComparison.Ordinal);
            Assert.Contains("━", first, StringComparison.Ordinal); // the progress bar
            await Task.Delay(1500);
            second = await Capture(session);
            Assert.NotEqual(first, second); // redrawn in place as the run goes on
            while (clock.Elapsed < TimeSpan.FromSeconds(40) && !second.Contains("IotSim run", StringComparison.Ordinal))
            {
                await Task.Delay(500);
                second = await Capture(session);
            }
            // The summary follows the last view; the view is drawn once, not scrolled line after line.
            Assert.Contains("IotSim run", second, StringComparison.Ordinal);
            Assert.Equal(1, second.Split('\n').Count(l => l.Contains("rate/s", StringComparison.Ordinal)));
        }
        finally
        {
            await Tmux("kill-session", "-t", session);
        }
    }

    private static async Task<string> Capture(string session)
    {
        var info = new ProcessStartInfo("tmux", ["capture-pane", "-p", "-t", session]) { RedirectStandardOutput = true };
        using Process p = Process.Start(info)!;
        string text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return text;
    }

    private static async Task<int> Tmux(params string[] args)
    {
        using Process p = Process.Start(new ProcessStartInfo("tmux", args))!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }
}
