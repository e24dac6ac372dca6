using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IotSim.Monitoring.Tests;

/// <summary>The dashboard in a real browser: headless Chromium loads it during a run, renders numbers, and they move.</summary>
public sealed partial class DashboardTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_InHeadlessChromium_RendersCountersThatMove_AndAScreenshot()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package");
        var scenario = MonitoredRun.Realtime(new Core.Scenarios.MonitoringOptions { Listen = "127.0.0.1:0", Token = "dash-token" });
        await using var run = new MonitoredRun(scenario, MonitoredRun.Null());
        using var dir = new TempFolder();
        string page = new Uri(run.Host.Url, "?token=dash-token").ToString();
        Assert.True(await Http.EventuallyAsync(async () => (await Http.JsonAsync(run.At("metricz"), "dash-token")).GetProperty("generated").GetInt64() > 0, TimeSpan.FromSeconds(10)));

        string first = await ChromiumAsync(dir.Path, "--dump-dom", page);
        long before = Generated(first);
        await Task.Delay(3000);
        long after = Generated(await ChromiumAsync(dir.Path, "--dump-dom", page));

        Assert.True(before > 0, "the first page shows no readings:\n" + first);
        Assert.True(after > before, $"the generated counter did not move: {before} then {after}");
        Assert.Contains("<tr id=\"sink-null\">", first, StringComparison.Ordinal);
        Assert.Contains("(running)", first, StringComparison.Ordinal);

        string png = Path.Combine(dir.Path, "dashboard.png");
        await ChromiumAsync(dir.Path, $"--screenshot={png}", "--window-size=1200,800", page);
        byte[] image = await File.ReadAllBytesAsync(png);
        Assert.True(image.Length > 10_000, $"the screenshot has only {image.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, image[..4]);
    }

    /// <summary>The number in the rendered <c>#generated</c> element.</summary>
    private static long Generated(string dom)
    {
        Match m = GeneratedElement().Match(dom);
        Assert.True(m.Success, "no #generated element in:\n" + dom);
        return long.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ChromiumAsync(string profile, params string[] args)
    {
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile}/chromium", "--virtual-time-budget=4000" }) info.ArgumentList.Add(a);
        foreach (string a in args) info.ArgumentList.Add(a);
        using Process process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await error}");
        return output;
    }

    [GeneratedRegex("<b id=\"generated\">([0-9,]+)</b>")]
    private static partial Regex GeneratedElement();
}
