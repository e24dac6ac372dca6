using System.Diagnostics;

namespace IotSim.Cli.Tests;

/// <summary>Debian's Chromium, headless, for tests that open IotSim's pages as a person would.</summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>Fails with the way to get Chromium when it is not installed (scripts/install-deps.sh installs it).</summary>
    public static void AssertInstalled() =>
        Assert.True(File.Exists(Path), $"{Path} is missing: install the chromium package (scripts/install-deps.sh does)");

    /// <summary>Runs Chromium headless with <paramref name="args"/> (a URL last), within 90 s.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", .. args]) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 90 s: " + await error);
        }
        return (process.ExitCode, await output, await error);
    }
}
