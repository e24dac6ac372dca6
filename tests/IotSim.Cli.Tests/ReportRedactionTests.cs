namespace IotSim.Cli.Tests;

/// <summary>A sink's error can quote its target: a password in it never reaches the summary or a report.</summary>
public sealed class ReportRedactionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-redact-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void APasswordInASinksErrorOrLocation_IsHiddenInTheSummaryAndEveryReport()
    {
        var sink = new Core.Sinks.SinkReport("pg", 10, 0, 0, 10, "pg: cannot connect with 'Host=db;Username=u;Password=hunter2;Database=d'")
        {
            Location = "postgres://u:hunter2@db:5432/d",
        };
        var report = new Core.Simulation.RunReport(10, 0, 1, TimeSpan.FromSeconds(1), Core.Scenarios.SimdWidth.V256, 1, [sink]);
        var summary = new StringWriter();
        ReportPrinter.Print(report, summary);
        Assert.Contains("Password=***", summary.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", summary.ToString(), StringComparison.Ordinal);
        var input = new RunReportFile.Input(new Core.Scenarios.Scenario(), null, [], report, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        foreach (string name in new[] { "r.json", "r.md", "r.html" })
        {
            string file = Path.Combine(_dir, name);
            RunReportFile.Write(file, input);
            string text = File.ReadAllText(file);
            Assert.Contains("cannot connect", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        }
    }
}
