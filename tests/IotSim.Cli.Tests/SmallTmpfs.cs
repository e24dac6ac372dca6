using System.Diagnostics;

namespace IotSim.Cli.Tests;

/// <summary>A small tmpfs mounted for a test (real disk-full behaviour, bounded size); unmounted on dispose. Needs root.</summary>
internal sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "5m") on a new temporary folder.</summary>
    public static SmallTmpfs Mount(string size, bool readOnly = false)
    {
        string path = Directory.CreateTempSubdirectory("iotsim-tmpfs-").FullName;
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={size}{(readOnly ? ",ro" : "")}", "tmpfs", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }
        return new SmallTmpfs(path);
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        using Process p = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({p.ExitCode}): {error} (these tests need root to mount a tmpfs)");
    }
}
