using System.Data.Common;
using DuckDB.NET.Data;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Core.Tests.Fleets;

/// <summary>The README's analysis SQL, run by DuckDB (an independent reader) over the files the README's command writes.</summary>
public sealed class AnalysisQueryTests
{
    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IotSim.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("IotSim.sln not found");
    }

    /// <summary>The statements between the README's analysis markers.</summary>
    private static string[] ReadmeStatements()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md")).ReplaceLineEndings("\n");
        int begin = readme.IndexOf("<!-- analysis:begin -->", StringComparison.Ordinal);
        int end = readme.IndexOf("<!-- analysis:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the analysis markers");
        string sql = readme[begin..end].Replace("```sql", "", StringComparison.Ordinal).Replace("```", "", StringComparison.Ordinal);
        sql = string.Join('\n', sql.Split('\n').Where(l => !l.StartsWith("<!--", StringComparison.Ordinal) && !l.StartsWith("--", StringComparison.Ordinal)));
        return [.. sql.Split(';').Select(q => q.Trim()).Where(q => q.Length > 0)];
    }

    /// <summary>A number DuckDB returned (SUM of integers is a HUGEINT, read as BigInteger).</summary>
    private static double D(object value) => value is System.Numerics.BigInteger big ? (double)big : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static List<object[]> Rows(DbConnection db, string sql)
    {
        using DbCommand cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using DbDataReader reader = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task ReadmeQueries_RunOverTheWideOutput_AndShowBetaFirmwareFirst()
    {
        string dir = Path.Combine(Path.GetTempPath(), "iotsim-analysis-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The README's command, through the C# API.
            var scenario = new Scenario
            {
                Industries = ["environmental"],
                Devices = 90,
                Interval = TimeSpan.FromMinutes(1),
                Duration = TimeSpan.FromDays(1),
                Shape = OutputShape.Wide,
                DeviceFields = ["firmware", "model", "location"],
            };
            RunReport report = await new Simulator(scenario).AddSink(new FileSink(new FileSinkOptions { Path = dir })).RunAsync();
            Assert.True(report.Succeeded);

            string[] statements = ReadmeStatements();
            Assert.Equal(4, statements.Length);
            using var db = new DuckDBConnection("Data Source=:memory:");
            db.Open();
            using (DbCommand create = db.CreateCommand())
            {
                create.CommandText = statements[0].Replace("'out/*.csv'", $"'{dir}/*.csv'", StringComparison.Ordinal);
                create.ExecuteNonQuery();
            }
            List<object[]> byFirmware = Rows(db, statements[1]);
            Assert.Equal(9, byFirmware.Count);
            Assert.Equal(1440 * 90, byFirmware.Sum(r => Convert.ToInt64(r[1])));
            // Beta, alpha and rc firmware (×1.5) lead; over each family, 1.x (×0.7) is below 2.x (×0.85).
            Assert.All(byFirmware.Take(3), r => Assert.Matches("beta|alpha|rc", (string)r[0]));
            double Family(string major) =>
                byFirmware.Where(r => ((string)r[0]).StartsWith(major, StringComparison.Ordinal)).Sum(r => D(r[2]))
                / byFirmware.Where(r => ((string)r[0]).StartsWith(major, StringComparison.Ordinal)).Sum(r => D(r[1]));
            Assert.True(Family("1.") < Family("2.") && Family("2.") < Family("3."), $"1.x {Family("1."):P2}, 2.x {Family("2."):P2}, 3.x {Family("3."):P2}");

            List<object[]> byModel = Rows(db, statements[2]);
            Assert.Equal(16, byModel.Select(r => r[0]).Distinct().Count());
            Assert.Contains(byModel, r => (string)r[1] == "missing_data");

            List<object[]> byLocation = Rows(db, statements[3]);
            Assert.True(byLocation.Count > 10, $"{byLocation.Count} locations");
            Assert.Equal(1440 * 90, byLocation.Sum(r => Convert.ToInt64(r[1])));
            Assert.All(byLocation, r => Assert.InRange(D(r[2]), 40, 90));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
