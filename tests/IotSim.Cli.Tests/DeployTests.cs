using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace IotSim.Cli.Tests;

/// <summary>
/// The Kubernetes manifests render with kustomize into an Indexed Job whose shard count matches its completions, with
/// a valid scenario and no secret in the ConfigMap; the Dockerfile has the documented structure. (No cluster or
/// Docker engine runs here: these check what can be checked without one.)
/// </summary>
public sealed class DeployTests
{
    private static string Deploy => Path.Combine(AppContext.BaseDirectory, "deploy", "k8s");

    [Theory]
    [InlineData("small", 4)]
    [InlineData("medium", 16)]
    [InlineData("large", 64)]
    public async Task Overlay_RendersAnIndexedJob_ShardsEqualCompletions_ScenarioValid(string overlay, int size)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Deploy, "overlays", overlay)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process kubectl = Process.Start(info)!;
        string rendered = await kubectl.StandardOutput.ReadToEndAsync();
        string error = await kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, error);

        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        var docs = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        YamlMappingNode job = Assert.Single(docs, d => Text(d, "kind") == "Job");
        YamlMappingNode configMap = Assert.Single(docs, d => Text(d, "kind") == "ConfigMap");
        var spec = (YamlMappingNode)job["spec"];
        Assert.Equal("Indexed", Text(spec, "completionMode"));
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(spec, "completions"));
        Assert.Equal(Text(spec, "completions"), Text(spec, "parallelism"));
        var pod = (YamlMappingNode)((YamlMappingNode)spec["template"])["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"])[0];
        var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"), e => e);
        Assert.Equal(Text(spec, "completions"), Text(env["IOTSIM_SHARDS"], "value"));
        Assert.Equal("iotsim-secrets", Text((YamlMappingNode)((YamlMappingNode)env["PGPASSWORD"]["valueFrom"])["secretKeyRef"], "name"));
        Assert.Equal("true", Text((YamlMappingNode)pod["securityContext"], "runAsNonRoot"));
        // The volume names the generated ConfigMap (its name carries a content hash).
        var volume = (YamlMappingNode)((YamlSequenceNode)pod["volumes"])[0];
        Assert.Equal(Text((YamlMappingNode)configMap["metadata"], "name"), Text((YamlMappingNode)volume["configMap"], "name"));

        string scenario = Text((YamlMappingNode)configMap["data"], "scenario.yaml");
        Assert.Contains("${PGPASSWORD}", scenario, StringComparison.Ordinal);
        string file = Path.Combine(Path.GetTempPath(), $"iotsim-k8s-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, scenario);
        try
        {
            CliResult r = await CliHarness.RunWithEnvironmentAsync(new Dictionary<string, string> { ["PGPASSWORD"] = "x" }, "validate", file);
            Assert.True(r.ExitCode == 0, r.Error + r.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Dockerfile_BuildsAotInOneStage_RunsAsNonRootOnAChiseledBase()
    {
        string[] lines = [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        string[] stages = [.. lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal))];
        Assert.Equal(2, stages.Length);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/runtime-deps:10\.0-[a-z]+-chiseled AS runtime$", stages[1]);
        int runtime = Array.IndexOf(lines, stages[1]);
        Assert.Contains(lines[..runtime], l => l.Contains("dotnet publish src/IotSim.Cli", StringComparison.Ordinal) && l.Contains("-p:PublishAot=true", StringComparison.Ordinal));
        string[] final = lines[runtime..];
        Assert.Contains(final, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal) && l.Contains("/out/iotsim", StringComparison.Ordinal) && l.Contains("centos8-librdkafka.so", StringComparison.Ordinal));
        string user = Assert.Single(final, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^USER (0|root)\b", user);
        Assert.Equal("ENTRYPOINT [\"/app/iotsim\"]", Assert.Single(final, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        Assert.Contains("ENV IOTSIM_CONFIG=/config/scenario.yaml", final);
        Assert.True(Array.IndexOf(final, user) < Array.FindIndex(final, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
