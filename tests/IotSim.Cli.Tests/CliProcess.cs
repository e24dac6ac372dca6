using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace IotSim.Cli.Tests;

/// <summary>The real <c>iotsim</c> (<c>dotnet iotsim.dll</c>) as a child process, with its standard error captured.</summary>
internal sealed partial class CliProcess : IDisposable
{
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly string _description;

    private CliProcess(string fileName, IEnumerable<string> args, bool drainOutput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        foreach (string a in args) info.ArgumentList.Add(a);
        _description = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        _process = new Process { StartInfo = info };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_error) _error.Append(e.Data).Append('\n');
        };
        if (drainOutput) _process.OutputDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginErrorReadLine();
        if (drainOutput) _process.BeginOutputReadLine();
    }

    /// <summary>The CLI's assembly, copied next to the tests by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "iotsim.dll");

    /// <summary>The dotnet host running these tests (set by <c>dotnet test</c>), else the one on the PATH.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts <c>iotsim</c> with <paramref name="args"/>; its standard output is read and discarded.</summary>
    public static CliProcess Start(params string[] args) => new(Host, [Dll, .. args], drainOutput: true);

    /// <summary>Starts <c>iotsim</c> with <paramref name="args"/> and <paramref name="environment"/> added to this process's; its standard output is discarded.</summary>
    public static CliProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(Host, [Dll, .. args], drainOutput: true, environment);

    /// <summary>Starts <c>iotsim</c> with <paramref name="args"/>; the test reads <see cref="Output"/> itself, or never.</summary>
    public static CliProcess StartWithOutput(params string[] args) => new(Host, [Dll, .. args], drainOutput: false);

    /// <summary>Runs <paramref name="script"/> with bash (for redirections), discarding what reaches standard output.</summary>
    public static CliProcess StartShell(string script) => new("bash", ["-c", script], drainOutput: true);

    /// <summary><paramref name="text"/> quoted for bash.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The child's standard output (only for <see cref="StartWithOutput"/>).</summary>
    public StreamReader Output => _process.StandardOutput;

    /// <summary>What the child wrote on standard error so far (all of it once <see cref="WaitForExitAsync"/> returned).</summary>
    public string Error
    {
        get
        {
            lock (_error) return _error.ToString();
        }
    }

    /// <summary>The exit code; kills the child and fails the test when it does not exit within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"{_description} did not exit within {timeout.TotalSeconds:0} s; stderr so far:\n{Error}");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> to the child.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Waits until the child has mapped <paramref name="assembly"/>. <c>System.CommandLine.dll</c> loads only after
    /// <c>Main</c> registered the signal handlers, so a signal sent after that finds them in place.
    /// </summary>
    public async Task WaitUntilLoadedAsync(string assembly, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) Assert.Fail($"{_description} exited ({_process.ExitCode}) before loading {assembly}; stderr:\n{Error}");
            try
            {
                if ((await File.ReadAllTextAsync($"/proc/{_process.Id}/maps")).Contains("/" + assembly, StringComparison.Ordinal)) return;
            }
            catch (IOException)
            {
                // The process is exiting; the check above reports it.
            }
            Assert.True(clock.Elapsed < timeout, $"{_description} did not load {assembly} within {timeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
