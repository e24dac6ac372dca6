using System.Diagnostics;

namespace IotSim.Core.Tests;

/// <summary>A small tmpfs mounted for a test (disk-full behaviour on a real file system); unmounted on dispose. Needs root.</summary>
internal sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    public static SmallTmpfs Mount(string path, string size)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        return new SmallTmpfs(path);
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string command, params string[] args)
    {
        using Process p = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({p.ExitCode}): {error} (the disk-full tests need root to mount a tmpfs)");
    }
}
