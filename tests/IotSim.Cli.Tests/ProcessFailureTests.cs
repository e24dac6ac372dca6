using System.Globalization;
using System.Text.RegularExpressions;

namespace IotSim.Cli.Tests;

/// <summary>
/// Failures as a user meets them: the real CLI in a child process, with a real pipe on standard output, real
/// signals, a real full file system and <c>/dev/full</c>. Timeouts only detect hangs.
/// </summary>
[Collection(ProcessTestCollection.Name)]
public sealed partial class ProcessFailureTests : IDisposable
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--) _cleanup[i].Dispose();
    }

    [Fact]
    public async Task ConsoleSink_StdoutClosedByReader_Exit1_BrokenPipe_DeliveredLessThanGenerated()
    {
        using CliProcess p = CliProcess.StartWithOutput("run", "--industries", "all", "--devices", "100", "--interval", "1s", "-d", "10m");
        string? first = await p.Output.ReadLineAsync().WaitAsync(s_startTimeout);
        Assert.NotNull(first);
        Assert.Contains("dev-000000", first);
        // What `| head -1` does: read a line, close the pipe.
        p.Output.Close();

        AssertExit(1, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("Broken pipe", p.Error);
        Assert.Contains("IotSim run: ", p.Error);
        SinkRow console = SinkRow.Parse(p.Error, "console");
        Assert.True(console.Delivered < console.Generated, $"delivered {console.Delivered:N0} of {console.Generated:N0}");
        AssertBalanced(console, p);
    }

    [Fact]
    public async Task ConsoleSink_SigtermWhileStdoutNeverRead_Exit143_SummaryPrinted()
    {
        // Nobody reads standard output: the pipe fills and the console sink's write blocks for good.
        using CliProcess p = CliProcess.StartWithOutput("run", "--industries", "all", "--devices", "100", "--interval", "1s", "-d", "10m", "--drain-timeout", "1s");
        await p.WaitUntilLoadedAsync("System.CommandLine.dll", s_startTimeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(p.HasExited, "the run ended although nobody read its output:\n" + p.Error);
        p.Signal(CliProcess.SigTerm);

        AssertExit(143, await p.WaitForExitAsync(TimeSpan.FromSeconds(30)), p);
        Assert.Contains("IotSim run (interrupted)", p.Error);
        SinkRow console = SinkRow.Parse(p.Error, "console");
        Assert.True(console.Generated > 0, p.Error);
        Assert.True(console.Delivered < console.Generated, $"delivered {console.Delivered:N0} of {console.Generated:N0} with a blocked pipe");
        AssertBalanced(console, p);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1m")]
    public async Task FileSink_SigtermDuringBackfill_Exit143_NoPartialFiles_DeliveredEqualsRowsInFiles(string? rotation)
    {
        // Bounded: if the signal were ignored, the run would fill this file system and fail instead of running for minutes.
        SmallTmpfs disk = Mounted("2g");
        string[] args = ["run", "--devices", "100", "-d", "1d", "-s", "file", "-o", disk.Path, "--drain-timeout", "60s"];
        using CliProcess p = CliProcess.Start(rotation is null ? args : [.. args, "--rotation", rotation]);
        await WaitForBytesAsync(p, disk.Path, 20 << 20);
        p.Signal(CliProcess.SigTerm);

        AssertExit(143, await p.WaitForExitAsync(TimeSpan.FromSeconds(120)), p);
        Assert.Contains("IotSim run (interrupted)", p.Error);
        string[] files = Directory.GetFiles(disk.Path);
        Assert.DoesNotContain(files, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.NotEmpty(files);
        if (rotation is not null) Assert.True(files.Length > 1, $"expected several files with --rotation {rotation}, found {files.Length}");
        SinkRow file = SinkRow.Parse(p.Error, "file");
        Assert.Equal(WholeRows(files), file.Delivered);
        // The drain timeout is generous: every queued reading is delivered.
        Assert.Equal(file.Generated, file.Delivered);
        Assert.Equal(0, file.Failed);
        AssertBalanced(file, p);
        Match where = CompleteFiles().Match(p.Error);
        Assert.True(where.Success, p.Error);
        Assert.Equal(files.Length, Number(where.Groups["files"].Value));
        Assert.Equal(file.Delivered, Number(where.Groups["readings"].Value));
    }

    [Theory]
    [InlineData(null, "10")]
    [InlineData("1m", "1")]
    public async Task FileSink_DiskFull_Exit1_NotRetried_DeliveredEqualsWholeRowsInAllFiles(string? rotation, string devices)
    {
        SmallTmpfs disk = Mounted("5m");
        string[] args = ["run", "--industries", "all", "--devices", devices, "--interval", "1s", "-d", "10m", "-s", "file", "-o", disk.Path, "--batch-size", "10000"];
        using CliProcess p = CliProcess.Start(rotation is null ? args : [.. args, "--rotation", rotation]);

        AssertExit(1, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("No space left on device", p.Error);
        Assert.Contains("not retried", p.Error);
        SinkRow file = SinkRow.Parse(p.Error, "file");
        AssertBalanced(file, p);
        string[] files = Directory.GetFiles(disk.Path);
        // Final and .partial files alike: what is on disk in whole rows is what the summary calls delivered, and no
        // file ends in a torn row.
        string listing = Listing(files);
        Assert.True(WholeRows(files) == file.Delivered, $"delivered {file.Delivered:N0}, whole rows in the files {WholeRows(files):N0}:\n{listing}\n{p.Error}");
        Assert.True(files.All(EndsWithWholeRow), $"a file ends in a torn row:\n{listing}\n{p.Error}");
    }

    [Fact]
    public async Task FileSink_DiskFull_RotatingFiles_CompleteFilesCountedAsDelivered()
    {
        SmallTmpfs disk = Mounted("5m");
        using CliProcess p = CliProcess.Start("run", "--industries", "all", "--devices", "1", "--interval", "1s", "-d", "10m", "-s", "file", "-o", disk.Path,
            "--batch-size", "10000", "--rotation", "1m");

        AssertExit(1, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("No space left on device", p.Error);
        string[] complete = [.. Directory.GetFiles(disk.Path).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal))];
        Assert.NotEmpty(complete);
        long rows = WholeRows(complete);
        SinkRow file = SinkRow.Parse(p.Error, "file");
        Assert.True(rows > 0 && file.Delivered >= rows, $"delivered {file.Delivered:N0}, rows in complete files {rows:N0}:\n{p.Error}");
        Match where = CompleteFiles().Match(p.Error);
        Assert.True(where.Success, p.Error);
        Assert.Equal(complete.Length, Number(where.Groups["files"].Value));
        Assert.Equal(rows, Number(where.Groups["readings"].Value));
    }

    [Fact]
    public async Task HeapLimit_FleetTooBig_Exit2_SaysTheMemoryNeeded_InsteadOfAborting()
    {
        // A container-style heap limit of 256 MiB; 10 M channels of state need about 0.7 GiB.
        using CliProcess p = CliProcess.StartShell(
            $"DOTNET_GCHeapHardLimit=0x10000000 exec {CliProcess.Quote(CliProcess.Host)} {CliProcess.Quote(CliProcess.Dll)} run --industries environmental --devices 2000000 -d 10s -s null");

        AssertExit(2, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("'--devices'", p.Error);
        Assert.Contains("GiB of memory", p.Error);
        Assert.Contains("0.25 GiB this process may use", p.Error);
    }

    [Fact]
    public async Task ConsoleSink_StdoutAndStderrInOneRegularFile_RowsAndSummaryBothIntact()
    {
        string dir = Directory.CreateTempSubdirectory("iotsim-append-").FullName;
        try
        {
            string output = Path.Combine(dir, "out.txt");
            using CliProcess p = CliProcess.StartShell(
                $"{{ echo BEFORE; {CliProcess.Quote(CliProcess.Host)} {CliProcess.Quote(CliProcess.Dll)} run --industries environmental -n 2 -d 3s; echo AFTER; }} > {CliProcess.Quote(output)} 2>&1");
            AssertExit(0, await p.WaitForExitAsync(s_exitTimeout), p);
            string[] lines = await File.ReadAllLinesAsync(output);
            Assert.Equal("BEFORE", lines[0]);
            Assert.Equal("AFTER", lines[^1]);
            // 2 devices × 5 sensors × 3 ticks, none overwritten by the summary or the echoes.
            Assert.Equal(30, lines.Count(l => l.Contains("dev-00000", StringComparison.Ordinal)));
            SinkRow console = SinkRow.Parse(string.Join('\n', lines), "console");
            Assert.Equal(30, console.Delivered);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task ConsoleSink_StdoutIsDevFull_Exit1_NoSpaceLeft()
    {
        using CliProcess p = CliProcess.StartShell($"exec {CliProcess.Quote(CliProcess.Host)} {CliProcess.Quote(CliProcess.Dll)} run --devices 2 -d 10s > /dev/full");

        AssertExit(1, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("No space left on device", p.Error);
        SinkRow console = SinkRow.Parse(p.Error, "console");
        Assert.Equal(0, console.Delivered);
        AssertBalanced(console, p);
    }

    [Fact]
    public async Task Realtime_StartSixtyDaysAhead_WaitsWithoutCrashing_SigtermExit143()
    {
        // More than 49.7 days: a single Task.Delay of that length throws.
        string start = DateTimeOffset.UtcNow.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string dir = Directory.CreateTempSubdirectory("iotsim-far-").FullName;
        _cleanup.Add(new DeleteFolder(dir));
        string scenario = Path.Combine(dir, "far.yaml");
        await File.WriteAllTextAsync(scenario, $"time: {{mode: realtime, start: {start}, duration: 1s}}\nsinks: [{{type: null}}]\n");
        using CliProcess p = CliProcess.Start("run", scenario);
        await p.WaitUntilLoadedAsync("System.CommandLine.dll", s_startTimeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(p.HasExited, "the run ended before its start time:\n" + p.Error);
        p.Signal(CliProcess.SigTerm);

        AssertExit(143, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("IotSim run (interrupted)", p.Error);
        Assert.DoesNotContain("Unhandled exception", p.Error);
        SinkRow sink = SinkRow.Parse(p.Error, "null");
        Assert.Equal(0, sink.Generated);
        AssertBalanced(sink, p);
    }

    [Fact]
    public async Task FileSink_OutputUnderAFile_Exit2_NamesSinkAndOption()
    {
        using CliProcess p = CliProcess.Start("run", "-s", "file", "-o", "/etc/passwd/sub", "--devices", "2", "-d", "10s");

        AssertExit(2, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("--output", p.Error);
        Assert.Contains("sink 'file'", p.Error);
        Assert.Contains("/etc/passwd", p.Error);
        Assert.DoesNotContain("IotSim run", p.Error);
    }

    [Fact]
    public async Task FileSink_OutputOnReadOnlyFileSystem_Exit2_NamesSinkAndOption_WritesNothing()
    {
        SmallTmpfs disk = Mounted("1m", readOnly: true);
        string target = Path.Combine(disk.Path, "out");
        using CliProcess p = CliProcess.Start("run", "-s", "file", "-o", target, "--devices", "2", "-d", "10s");

        AssertExit(2, await p.WaitForExitAsync(s_exitTimeout), p);
        Assert.Contains("--output", p.Error);
        Assert.Contains("sink 'file'", p.Error);
        Assert.Contains("Read-only file system", p.Error);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    private SmallTmpfs Mounted(string size, bool readOnly = false)
    {
        SmallTmpfs disk = SmallTmpfs.Mount(size, readOnly);
        _cleanup.Add(disk);
        return disk;
    }

    private static void AssertExit(int expected, int actual, CliProcess p) =>
        Assert.True(expected == actual, $"exit code {actual}, expected {expected}; stderr:\n{p.Error}");

    /// <summary>Every generated reading is accounted for once: delivered, dropped or failed.</summary>
    private static void AssertBalanced(SinkRow row, CliProcess p) =>
        Assert.True(row.Generated == row.Delivered + row.Dropped + row.Failed, $"generated != delivered + dropped + failed in:\n{p.Error}");

    /// <summary>Waits until the files under <paramref name="folder"/> hold <paramref name="bytes"/>, so the run is well under way.</summary>
    private static async Task WaitForBytesAsync(CliProcess p, string folder, long bytes)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (FolderBytes(folder) < bytes)
        {
            Assert.False(p.HasExited, "the run ended before it was interrupted:\n" + p.Error);
            Assert.True(clock.Elapsed < s_startTimeout, $"the run wrote less than {bytes:N0} bytes in {s_startTimeout.TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }

    private static long FolderBytes(string folder)
    {
        long total = 0;
        foreach (string f in Directory.GetFiles(folder))
        {
            try
            {
                total += new FileInfo(f).Length;
            }
            catch (FileNotFoundException)
            {
                // Renamed from .partial meanwhile; counted on the next pass.
            }
        }
        return total;
    }

    /// <summary>Data rows ending in a newline, over all <paramref name="files"/> (each starts with a header line).</summary>
    private static long WholeRows(IEnumerable<string> files)
    {
        long rows = 0;
        foreach (string file in files)
        {
            long lines = Newlines(file);
            rows += Math.Max(0, lines - 1);
        }
        return rows;
    }

    private static long Newlines(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        byte[] buffer = new byte[1 << 20];
        long count = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, n).Count((byte)'\n');
        }
        return count;
    }

    private static bool EndsWithWholeRow(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0) return true;
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    private static string Listing(IEnumerable<string> files) =>
        string.Join('\n', files.Select(f => $"  {Path.GetFileName(f)}: {new FileInfo(f).Length:N0} bytes, {Newlines(f):N0} lines, {(EndsWithWholeRow(f) ? "ends with a newline" : "ends in a torn row")}"));

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"where: .*?: (?<files>[\d,]+) file\(s\) complete \((?<readings>[\d,]+) readings\)")]
    private static partial Regex CompleteFiles();

    private sealed class DeleteFolder(string path) : IDisposable
    {
        public void Dispose() => Directory.Delete(path, true);
    }
}
