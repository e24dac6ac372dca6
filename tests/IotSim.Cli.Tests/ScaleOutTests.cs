using System.Text.RegularExpressions;

namespace IotSim.Cli.Tests;

/// <summary>
/// Scale-out on existing engines: the shard index from a scheduler's variable, and an Indexed Job's semantics run
/// locally (N processes, each with its JOB_COMPLETION_INDEX) giving exactly the unsharded run.
/// </summary>
public sealed partial class ScaleOutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-scale-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] s_run = ["run", "--industries", "mining", "--devices", "10", "--duration", "1s", "-s", "null", "--log-level", "debug"];

    [GeneratedRegex(@"\(shard ([0-9]+/[0-9]+)\)")]
    private static partial Regex PlanShard();

    private static async Task<string> ShardOf(Dictionary<string, string> environment, params string[] extra)
    {
        CliResult r = await CliHarness.RunWithEnvironmentAsync(environment, [.. s_run, .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        return PlanShard().Match(r.Error).Groups[1].Value;
    }

    [Fact]
    public async Task TheIndex_ComesFromTheScheduler_TheCountFromShardsOrItsVariable()
    {
        Assert.Equal("2/4", await ShardOf(new() { ["JOB_COMPLETION_INDEX"] = "2" }, "--shards", "4"));
        Assert.Equal("2/4", await ShardOf(new() { ["JOB_COMPLETION_INDEX"] = "2", ["IOTSIM_SHARDS"] = "4" }));
        Assert.Equal("1/3", await ShardOf(new() { ["AWS_BATCH_JOB_ARRAY_INDEX"] = "1", ["IOTSIM_SHARDS"] = "3" }));
        // A Slurm array gives both, and its ids start where the array says (--array=1-4).
        Assert.Equal("2/4", await ShardOf(new() { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "4" }));
        // NOMAD_ALLOC_INDEX is set for every Nomad job: without a count it is not a shard.
        Assert.Equal("0/1", await ShardOf(new() { ["NOMAD_ALLOC_INDEX"] = "3" }));
    }

    [Fact]
    public async Task Precedence_CommandLine_ThenIotSimShard_ThenTheSchedulersIndex_ThenTheFile()
    {
        var indexed = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2", ["IOTSIM_SHARDS"] = "4" };
        Assert.Equal("1/5", await ShardOf(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2" }, "--shard", "1/5"));
        // Two counts that disagree are refused, not guessed between.
        CliResult both = await CliHarness.RunWithEnvironmentAsync(indexed, [.. s_run, "--shard", "1/5"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("'IOTSIM_SHARDS': says 4 shards but --shard says 5", both.Error, StringComparison.Ordinal);
        Assert.Equal("3/8", await ShardOf(new() { ["JOB_COMPLETION_INDEX"] = "2", ["IOTSIM_SHARD"] = "3/8" }));
        // The file's engine.shard gives the count when the Indexed Job's index is all the environment has.
        string yaml = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(yaml, "fleet: { industries: [mining], devices: 10 }\nengine: { shard: 0/6 }\ntime: { duration: 1s }\nsinks: [ { type: null } ]\n");
        CliResult r = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "5" }, "run", yaml, "--log-level", "debug");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("5/6", PlanShard().Match(r.Error).Groups[1].Value);
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "4", "4", "'JOB_COMPLETION_INDEX': index 4 is not a shard of 4 (--shards); allowed: 0 to 3")]
    [InlineData("JOB_COMPLETION_INDEX", "x", "4", "'JOB_COMPLETION_INDEX': expected a whole number, found 'x'")]
    [InlineData(null, null, "4", "'--shards': a shard count needs each process's index from its scheduler: none of JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, NOMAD_ALLOC_INDEX is set; or give --shard i/N")]
    [InlineData("JOB_COMPLETION_INDEX", "0", "0", "'--shards': 0 is out of range; allowed: 1 to 100000000")]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "1", null, "'AWS_BATCH_JOB_ARRAY_INDEX': is set, so this process is one of an array of jobs, but the shard count is not: set IOTSIM_SHARDS (or --shards) to the number of jobs, or give --shard i/N")]
    [InlineData("JOB_COMPLETION_INDEX", "1", null, "'JOB_COMPLETION_INDEX': is set, so this process is one of an array of jobs, but the shard count is not: set IOTSIM_SHARDS (or --shards) to the number of jobs (the Job's completions), or give --shard i/N")]
    public async Task BadIndexOrCount_Exit2_NamingTheVariableOrFlag(string? variable, string? index, string? shards, string expected)
    {
        var environment = variable is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [variable] = index! };
        CliResult r = await CliHarness.RunWithEnvironmentAsync(environment, shards is null ? s_run : [.. s_run, "--shards", shards]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: {expected}", r.Error.Trim());
    }

    /// <summary>
    /// An Indexed Job run here: three processes at once, JOB_COMPLETION_INDEX 0, 1 and 2 with IOTSIM_SHARDS=3, writing into
    /// one folder and into one SQLite database; together they hold exactly the rows of the unsharded run.
    /// </summary>
    [Fact]
    public async Task ThreeIndexedProcesses_IntoOneFolderAndOneDatabase_AreExactlyTheUnshardedRun()
    {
        string shared = Path.Combine(_dir, "shared"), whole = Path.Combine(_dir, "whole");
        string sharedDb = Path.Combine(_dir, "shared.db"), wholeDb = Path.Combine(_dir, "whole.db");
        string Scenario(string folder, string db)
        {
            string yaml = Path.Combine(_dir, Path.GetFileName(folder) + ".yaml");
            File.WriteAllText(yaml, "seed: 21\nfleet: { industries: [mining, agriculture], devices: 25, interval: 1s }\ntime: { start: 2026-06-01T00:00:00Z, duration: 2m }\n" +
                $"sinks:\n  - {{ type: file, path: {folder}, format: csv }}\n  - {{ type: sqlite, path: {db} }}\n");
            return yaml;
        }
        string sharedYaml = Scenario(shared, sharedDb);
        var processes = Enumerable.Range(0, 3).Select(i => CliProcess.StartWithEnvironment(
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["IOTSIM_SHARDS"] = "3" },
            "run", sharedYaml, "-q")).ToList();
        foreach (CliProcess p in processes)
        {
            using (p)
            {
                Assert.True(await p.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, p.Error);
            }
        }
        CliResult unsharded = await CliHarness.RunAsync("run", Scenario(whole, wholeDb), "-q");
        Assert.True(unsharded.ExitCode == 0, unsharded.Error);

        Assert.Equal(3, Directory.GetFiles(shared, "*.csv").Length);
        Assert.Equal(Rows(whole), Rows(shared));
        Assert.Equal(SqliteRows(wholeDb), SqliteRows(sharedDb));
    }

    /// <summary>Every data row of the CSV files in <paramref name="folder"/>, sorted (headers dropped).</summary>
    private static List<string> Rows(string folder)
    {
        var rows = new List<string>();
        foreach (string file in Directory.GetFiles(folder, "*.csv")) rows.AddRange(File.ReadLines(file).Skip(1));
        Assert.NotEmpty(rows);
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> SqliteRows(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM readings";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            // The row id is the order of arrival, which differs between processes: every other column is the reading.
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) != "id")
                .Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        Assert.NotEmpty(rows);
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
