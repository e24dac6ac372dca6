using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Tests.Encoders;
using Compression = IotSim.Core.Scenarios.Compression;

namespace IotSim.Core.Tests.Sinks;

[Collection(SerialTestCollection.Name)]
public sealed class FileSinkTests
{
    private static async Task<(FileSink Sink, RunReport Report)> RunAsync(Scenario scenario, FileSinkOptions options)
    {
        var sink = new FileSink(options, scenario.Shape);
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded, report.Sinks[0].Error);
        Assert.Equal(report.Generated, report.Sinks[0].Delivered);
        return (sink, report);
    }

    private static string Read(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path));

    private static string Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var text = new MemoryStream();
        gzip.CopyTo(text);
        return Encoding.UTF8.GetString(text.ToArray());
    }

    private static byte[] Lz4Decompress(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/lz4", ["-dc", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        string errors = process.StandardError.ReadToEnd();
        copy.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return output.ToArray();
    }

    /// <summary>Files concatenated with each file's own header line removed, for comparing rotated output.</summary>
    private static string Rows(IEnumerable<string> contents, bool csv) =>
        string.Concat(contents.Select(c => csv ? c[(c.IndexOf('\n', StringComparison.Ordinal) + 1)..] : c));

    [Fact]
    public async Task Csv_OneFile_EqualsEncoderOutput_WithFinalNameAndNoPartial()
    {
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(anomalyScale: 200);
        var (sink, _) = await RunAsync(scenario, new FileSinkOptions { Path = dir.Path });
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        Assert.Equal(["readings-20260101T000000000Z-0of1-0000.csv"], dir.Files());
        Assert.Equal([Path.Combine(dir.Path, "readings-20260101T000000000Z-0of1-0000.csv")], sink.Files);
        Assert.Equal(expected.Text, Read(sink.Files[0]));
    }

    [Fact]
    public async Task JsonlWide_NamedShard_EqualsEncoderOutput()
    {
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(devices: 7) with { Shape = OutputShape.Wide, Shard = new Shard(1, 3) };
        var (sink, _) = await RunAsync(scenario, new FileSinkOptions { Name = "plant", Format = "jsonl", Path = dir.Path });
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, WideEncoder.JsonLines);
        Assert.Equal(["plant-20260101T000000000Z-1of3-0000.jsonl"], dir.Files());
        Assert.Equal(expected.Text, Read(sink.Files[0]));
        Assert.StartsWith("{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"device_id\":\"dev-000002\",\"manufacturer\":", expected.Text);
    }

    [Fact]
    public async Task RotateEvery_StartsAFilePerEpochAlignedWindow_EachWithHeader_UnionEqualsUnrotated()
    {
        using var dir = new TempDirectory();
        // Starting 3 s after a 5 s boundary: the first file is short, later ones start on multiples of 5 s.
        Scenario scenario = EncoderTestKit.Mining() with { Start = new DateTimeOffset(2026, 3, 1, 12, 0, 3, TimeSpan.Zero), BatchSize = 100 };
        var (sink, _) = await RunAsync(scenario, new FileSinkOptions { Path = dir.Path, RotateEvery = TimeSpan.FromSeconds(5) });
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        string[] names =
        [
            "readings-20260301T120003000Z-0of1-0000.csv", "readings-20260301T120005000Z-0of1-0001.csv",
            "readings-20260301T120010000Z-0of1-0002.csv", "readings-20260301T120015000Z-0of1-0003.csv",
            "readings-20260301T120020000Z-0of1-0004.csv",
        ];
        Assert.Equal(names, dir.Files());
        Assert.Equal(names, sink.Files.Select(Path.GetFileName));
        string[] contents = [.. sink.Files.Select(Read)];
        string header = "timestamp,device_id,industry,sensor,value,unit,status_code,anomaly\n";
        for (int i = 0; i < contents.Length; i++)
        {
            Assert.StartsWith(header, contents[i]);
            var timestamps = EncoderTestKit.ParseCsv(contents[i]).Skip(1).Select(f => DateTimeOffset.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.NotEmpty(timestamps);
            DateTimeOffset windowStart = i == 0 ? scenario.Start!.Value : new DateTimeOffset(2026, 3, 1, 12, 0, 5 * i, TimeSpan.Zero);
            Assert.All(timestamps, t => Assert.InRange(t, windowStart, new DateTimeOffset(2026, 3, 1, 12, 0, 5 * (i + 1), TimeSpan.Zero).AddTicks(-1)));
        }
        Assert.Equal(Rows([expected.Text], csv: true), Rows(contents, csv: true));
    }

    [Fact]
    public async Task RotateBytes_StartsANewFileOnceTheLimitIsReached_UnionEqualsUnrotated()
    {
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(seconds: 60);
        const long limit = 20_000;
        var (sink, _) = await RunAsync(scenario, new FileSinkOptions { Format = "jsonl", Path = dir.Path, RotateBytes = limit });
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.JsonLines);
        Assert.True(sink.Files.Count >= 5, $"{sink.Files.Count} files");
        Assert.Equal(sink.Files.Count, dir.Files().Length);
        Assert.Equal(Enumerable.Range(0, sink.Files.Count).Select(i => $"-0of1-{i:D4}.jsonl"), sink.Files.Select(f => f[^16..]));
        // Checked between segments: every file but the last reaches the limit and overshoots by at most one segment.
        int maxSegmentBytes = EncoderTestKit.Lines(expected.Text).GroupBy(l => l[..40]).Max(g => g.Sum(l => l.Length + 1));
        foreach (string file in sink.Files.SkipLast(1))
        {
            Assert.InRange(new FileInfo(file).Length, limit, limit + maxSegmentBytes);
        }
        Assert.InRange(new FileInfo(sink.Files[^1]).Length, 1, limit + maxSegmentBytes);
        Assert.Equal(expected.Text, string.Concat(sink.Files.Select(Read)));
    }

    [Fact]
    public async Task Gzip_EachRotatedFileIsACompleteStream_EqualToUncompressed()
    {
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(seconds: 30, anomalyScale: 200);
        var options = new FileSinkOptions { Path = dir.Path, Compression = Compression.Gzip, RotateEvery = TimeSpan.FromSeconds(10) };
        var (sink, _) = await RunAsync(scenario, options);
        using var plainDir = new TempDirectory();
        var (plain, _) = await RunAsync(scenario, options with { Path = plainDir.Path, Compression = Compression.None });
        Assert.Equal(3, sink.Files.Count);
        Assert.All(sink.Files, f => Assert.EndsWith(".csv.gz", f));
        Assert.Equal(plain.Files.Select(Path.GetFileName).Select(n => n + ".gz"), sink.Files.Select(Path.GetFileName));
        for (int i = 0; i < sink.Files.Count; i++)
        {
            Assert.Equal(Read(plain.Files[i]), Gunzip(sink.Files[i]));
        }
    }

    [Fact]
    public async Task Lz4_ReadableByTheLz4Command_ByteForByteEqualToUncompressed()
    {
        Assert.True(File.Exists("/usr/bin/lz4"), "the lz4 command is required (apt-get install lz4)");
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(devices: 100, seconds: 60) with { Shape = OutputShape.Wide };
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, WideEncoder.Csv);
        var options = new FileSinkOptions { Path = dir.Path, Compression = Compression.Lz4 };
        var (whole, _) = await RunAsync(scenario, options);
        Assert.Equal(Encoding.UTF8.GetBytes(expected.Text), Lz4Decompress(whole.Files.Single()));

        using var rotatedDir = new TempDirectory();
        var (rotated, _) = await RunAsync(scenario, options with { Path = rotatedDir.Path, RotateBytes = 64 * 1024 });
        Assert.True(rotated.Files.Count >= 3, $"{rotated.Files.Count} files");
        Assert.All(rotated.Files, f => Assert.EndsWith(".csv.lz4", f));
        string[] contents = [.. rotated.Files.Select(f => Encoding.UTF8.GetString(Lz4Decompress(f)))];
        Assert.All(contents, c => Assert.StartsWith("timestamp,device_id,manufacturer,model,firmware,crusher_1_motor_power,", c));
        Assert.Equal(Rows([expected.Text], csv: true), Rows(contents, csv: true));
    }

    [Fact]
    public async Task NotCompleted_LeavesThePartialFile_AndRenamesNothing()
    {
        using var dir = new TempDirectory();
        var sink = new FileSink(new FileSinkOptions { Path = dir.Path, RotateEvery = TimeSpan.FromSeconds(10) });
        RunReport report = await new Simulator(EncoderTestKit.Mining(seconds: 25)).AddSink(new FailingCompletion(sink)).RunAsync();
        Assert.False(report.Succeeded);
        // Rotation completed the first two windows; the third was open when the run failed.
        Assert.Equal(
            ["readings-20260101T000000000Z-0of1-0000.csv", "readings-20260101T000010000Z-0of1-0001.csv", "readings-20260101T000020000Z-0of1-0002.csv.partial"],
            dir.Files());
        Assert.Equal(2, sink.Files.Count);
        Assert.StartsWith("timestamp,", Read(Path.Combine(dir.Path, dir.Files()[2])));
    }

    [Fact]
    public async Task SmallBatchSizeOption_ChunksTheOutput_SameBytes()
    {
        using var dir = new TempDirectory();
        Scenario scenario = EncoderTestKit.Mining(devices: 30);
        var (sink, _) = await RunAsync(scenario, new FileSinkOptions { Path = dir.Path, BatchSize = 7 });
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, NarrowEncoder.Csv);
        Assert.Equal(expected.Text, Read(sink.Files.Single()));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowConfigException()
    {
        Assert.Contains("csv, jsonl", Assert.Throws<ConfigException>(() => new FileSink(new FileSinkOptions { Format = "parquet" })).Message);
        Assert.Throws<ConfigException>(() => new FileSink(new FileSinkOptions { RotateEvery = TimeSpan.Zero }));
        Assert.Throws<ConfigException>(() => new FileSink(new FileSinkOptions { RotateBytes = 0 }));
        Assert.Throws<ConfigException>(() => new FileSink(new FileSinkOptions { Name = "a/b" }));
    }

    /// <summary>Passes everything through except completion, which fails as an aborted run would.</summary>
    private sealed class FailingCompletion(IReadingSink inner) : IReadingSink
    {
        public string Name => inner.Name;

        public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => inner.OpenAsync(fleet, cancellationToken);

        public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken) => inner.WriteAsync(batch, cancellationToken);

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => throw new IOException("simulated abort");

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public long? ConfirmedReadings => inner.ConfirmedReadings;

        public string? Location => inner.Location;
    }

    private static long DataRows(string path) => File.ReadLines(path).LongCount() - 1;

    [Fact]
    public async Task NotCompleted_DeliveredIsTheRenamedFilesPlusWholeRowsOfThePartialFile()
    {
        using var dir = new TempDirectory();
        var sink = new FileSink(new FileSinkOptions { Path = dir.Path, RotateEvery = TimeSpan.FromSeconds(10) });
        RunReport report = await new Simulator(EncoderTestKit.Mining(seconds: 25)).AddSink(new FailingCompletion(sink)).RunAsync();
        SinkReport r = report.Sinks[0];
        long rows = dir.Files().Sum(f => DataRows(Path.Combine(dir.Path, f)));
        Assert.Equal(rows, r.Delivered);
        Assert.Equal(r.Generated, r.Delivered + r.Failed);
        Assert.Contains(".partial holds", r.Location);
        Assert.Contains("2 file(s) complete", r.Location);
    }

    [Fact]
    public async Task CompletionFails_RenamedFilesAndWholeRowsOfTheUnrenamedOneCountAsDelivered()
    {
        using var dir = new TempDirectory();
        // A folder where the last file's final name should go makes its rename fail at completion.
        string blocked = "readings-20260101T000020000Z-0of1-0002.csv";
        Directory.CreateDirectory(Path.Combine(dir.Path, blocked));
        var sink = new FileSink(new FileSinkOptions { Path = dir.Path, RotateEvery = TimeSpan.FromSeconds(10) });
        RunReport report = await new Simulator(EncoderTestKit.Mining(seconds: 25)).AddSink(sink).RunAsync();
        SinkReport r = report.Sinks[0];
        Assert.False(report.Succeeded);
        Assert.Contains("completing failed", r.Error);
        Assert.Equal(2, sink.Files.Count);
        long renamed = sink.Files.Sum(DataRows);
        long partial = DataRows(Path.Combine(dir.Path, blocked + ".partial"));
        Assert.True(renamed > 0 && partial > 0);
        Assert.Equal(renamed + partial, r.Delivered);
        Assert.Equal(r.Generated, r.Delivered + r.Failed);
        Assert.Contains(".partial holds", r.Location);
    }

    [Fact]
    public async Task FolderDeletedDuringTheRun_FilesThatAreGoneAreNotDelivered()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var inner = new FileSink(new FileSinkOptions { Path = output, RotateEvery = TimeSpan.FromSeconds(10) });
        int writes = 0;
        var deleting = new DeletingSink(inner, () =>
        {
            if (++writes == 3) Directory.Delete(output, recursive: true);
        });
        Scenario scenario = EncoderTestKit.Mining(seconds: 60) with { BatchSize = 200 };
        RunReport report = await new Simulator(scenario).AddSink(deleting).RunAsync();
        SinkReport r = report.Sinks[0];
        Assert.False(report.Succeeded);
        Assert.Equal(0, r.Delivered);
        Assert.Equal(r.Generated, r.Failed);
    }

    [Fact]
    public async Task DiskFull_ReportsTheCause_AndDeliveredEqualsTheWholeRowsOnDisk()
    {
        using var dir = new TempDirectory();
        using var tmpfs = SmallTmpfs.Mount(Path.Combine(dir.Path, "small"), "1m");
        var sink = new FileSink(new FileSinkOptions { Path = tmpfs.Path });
        Scenario scenario = EncoderTestKit.Mining(seconds: 600, devices: 20) with { BatchSize = 2_000 };
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        SinkReport r = report.Sinks[0];
        Assert.False(report.Succeeded);
        Assert.Contains("No space left on device", r.Error);
        Assert.Contains("not retried", r.Error);
        string[] files = Directory.GetFiles(tmpfs.Path);
        string partial = Assert.Single(files);
        Assert.EndsWith(".partial", partial);
        Assert.Equal(DataRows(partial), r.Delivered);
        Assert.True(r.Delivered > 0);
        Assert.Equal(r.Generated, r.Delivered + r.Failed);
        // Cut back to whole rows: the file ends with a complete line.
        Assert.EndsWith("\n", File.ReadAllText(partial));
    }

    [Fact]
    public async Task AbortedDelivery_StillCompletesTheFile_WithTheBatchesItHolds()
    {
        using var dir = new TempDirectory();
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var inner = new FileSink(new FileSinkOptions { Path = dir.Path });
        int writes = 0;
        var slow = new DeletingSink(inner, () =>
        {
            if (++writes == 3)
            {
                stop.Cancel();
                abort.Cancel();
            }
            Thread.Sleep(10);
        });
        Scenario scenario = EncoderTestKit.Mining(seconds: 3600) with { BatchSize = 2_000 };
        RunReport report = await new Simulator(scenario).AddSink(slow, queueCapacity: 16).RunAsync(stop.Token, abort.Token);
        SinkReport r = report.Sinks[0];
        Assert.True(report.Interrupted);
        string file = Assert.Single(dir.Files());
        Assert.EndsWith(".csv", file);
        Assert.Equal(DataRows(Path.Combine(dir.Path, file)), r.Delivered);
        Assert.True(r.Failed > 0);
        Assert.Equal(r.Generated, r.Delivered + r.Failed);
    }

    [Theory]
    [InlineData("sub/deeper")]
    [InlineData("")]
    public void CheckTarget_CreatableOrExistingFolder_IsAccepted_AndLeavesNothing(string relative)
    {
        using var dir = new TempDirectory();
        Assert.Null(FileSink.CheckTarget(Path.Combine(dir.Path, relative)));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void CheckTarget_AFileInThePath_IsRefusedWithItsName()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("plain.txt", "x");
        string? problem = FileSink.CheckTarget(Path.Combine(file, "out"));
        Assert.NotNull(problem);
        Assert.Contains("plain.txt' is a file", problem);
    }

    /// <summary>Runs an action before each write of the inner sink.</summary>
    private sealed class DeletingSink(IReadingSink inner, Action beforeWrite) : IReadingSink
    {
        public string Name => inner.Name;

        public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => inner.OpenAsync(fleet, cancellationToken);

        public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
        {
            beforeWrite();
            return inner.WriteAsync(batch, cancellationToken);
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public long? ConfirmedReadings => inner.ConfirmedReadings;

        public string? Location => inner.Location;
    }
}
