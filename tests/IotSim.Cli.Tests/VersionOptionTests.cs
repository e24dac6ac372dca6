using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace IotSim.Cli.Tests;

public sealed class VersionOptionTests
{
    [Fact]
    public async Task Version_PrintsEveryField()
    {
        CliResult r = await CliHarness.RunAsync("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        string[] lines = r.Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("iotsim ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^commit: +([0-9a-f]{40}|unknown)$", lines[1]);
        Assert.Matches(@"^built: +\d{4}-\d{2}-\d{2}$", lines[2]);
        // In-process under the test host: always the JIT.
        Assert.Matches(@"^runtime: +JIT, \.NET \d+", lines[3]);
        Assert.Matches(@"^instruction set: +(x86-64(-v[234])?|arm64.*) \(this machine, JIT\)$", lines[4]);
        Assert.Matches(@"^simd: +(Scalar|V128|V256|V512)", lines[5]);
    }

    [Fact]
    public async Task Version_IsTheAssemblysAndTheRepositorysVersion()
    {
        CliResult r = await CliHarness.RunAsync("--version");
        string printed = Regex.Match(r.Output, @"^iotsim (\S+)", RegexOptions.Multiline).Groups[1].Value;

        string informational = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(informational.Split('+')[0], printed);
        Version assembly = typeof(CliApp).Assembly.GetName().Version!;
        Assert.StartsWith($"{assembly.Major}.{assembly.Minor}.{assembly.Build}", printed, StringComparison.Ordinal);
        string commit = Regex.Match(r.Output, @"^commit: +(\S+)", RegexOptions.Multiline).Groups[1].Value;
        if (informational.Contains('+')) Assert.Equal(informational.Split('+')[1], commit);

        // One version for the repository: VersionPrefix in the root Directory.Build.props.
        string prefix = XDocument.Load(Path.Combine(ReadmeTests.RepoRoot(), "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Assert.StartsWith(prefix, printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_WithAnotherArgument_IsAnError()
    {
        CliResult r = await CliHarness.RunAsync("--version", "run");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("commit:", r.Output, StringComparison.Ordinal);
    }
}
