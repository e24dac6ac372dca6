namespace IotSim.Cli.Tests;

/// <summary>The README's generated parts stay what this build generates.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task ReadmeSinkTables_AreWhatListSinksMarkdownPrints()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md")).ReplaceLineEndings("\n");
        int begin = readme.IndexOf("<!-- sinks:begin", StringComparison.Ordinal);
        int end = readme.IndexOf("<!-- sinks:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the sinks:begin / sinks:end markers");
        string block = readme[(readme.IndexOf('\n', begin) + 1)..end];

        CliResult r = await CliHarness.RunAsync("list-sinks", "--markdown");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("| `file` |", r.Output, StringComparison.Ordinal);
        // On a mismatch, regenerate the block with: iotsim list-sinks --markdown
        Assert.Equal(r.Output.ReplaceLineEndings("\n"), block);
    }

    internal static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IotSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("IotSim.sln not found above " + AppContext.BaseDirectory);
    }
}
