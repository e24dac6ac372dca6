using System.Globalization;
using System.Text;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Tests.Encoders;

namespace IotSim.Core.Tests.Sinks;

[Collection(SerialTestCollection.Name)]
public sealed class SinkRegistryTests
{
    private static readonly SinkRegistry s_builtIn = SinkRegistry.CreateDefault();

    [Fact]
    public async Task Create_Console_UsesTheScenarioShapeAndTheGivenStream()
    {
        Scenario scenario = EncoderTestKit.Mining() with { Shape = OutputShape.Wide };
        using var output = new MemoryStream();
        IReadingSink sink = s_builtIn.Create(new SinkOptions { Type = "console", Name = "screen" }.With("format", "json"), new SinkContext(scenario, output));
        Assert.IsType<ConsoleSink>(sink);
        Assert.Equal("screen", sink.Name);
        await new Simulator(scenario).AddSink(sink).RunAsync();
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, WideEncoder.JsonLines);
        Assert.Equal(expected.Text, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Create_FileAndNull_WithDefaults()
    {
        var file = Assert.IsType<FileSink>(s_builtIn.Create(new SinkOptions { Type = "file" }.With("path", "out"), new SinkContext(new Scenario())));
        Assert.Equal("file", file.Name);
        Assert.Equal(Path.GetFullPath("out"), file.Directory);
        Assert.Equal("null", Assert.IsType<NullSink>(s_builtIn.Create(new SinkOptions { Type = "null" }, new SinkContext(new Scenario()))).Name);
    }

    [Fact]
    public void Create_BadSettingOrType_ThrowsConfigExceptionWithTheChoices()
    {
        var scenario = new Scenario { SourcePath = "plant.yaml" };
        var format = Assert.Throws<ConfigException>(() => s_builtIn.Create(new SinkOptions { Type = "file" }.With("format", "cvs"), new SinkContext(scenario)));
        Assert.Equal("plant.yaml", format.File);
        Assert.Contains("csv, jsonl", format.Message);
        Assert.Contains("did you mean 'csv'", format.Message);
        var key = Assert.Throws<ConfigException>(() => s_builtIn.Create(new SinkOptions { Type = "null" }.With("path", "x"), new SinkContext(scenario)));
        Assert.Contains("does not apply to a null sink", key.Message);
        var type = Assert.Throws<ConfigException>(() => s_builtIn.Create(new SinkOptions { Type = "kafkaa" }, new SinkContext(scenario)));
        Assert.Contains("console, file, null", type.Message);
    }

    [Fact]
    public void Providers_DescribeEveryBuiltInType_WithFormatsAndKeys()
    {
        Assert.Equal(SinkOptions.Types, s_builtIn.Types);
        Assert.All(s_builtIn.Providers, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(["text", "json", "line"], s_builtIn.Get("console").Capabilities.Formats);
        Assert.Equal(["csv", "jsonl", "line"], s_builtIn.Get("file").Capabilities.Formats);
        Assert.Empty(s_builtIn.Get("null").Capabilities.Formats);
        Assert.Equal([.. SinkOptions.CommonKeys, "format", "path", "rotation", "max_bytes", "compression"], SinkRegistry.KeysOf(s_builtIn.Get("file")));
    }

    [Fact]
    public void Register_RejectsDuplicateTypesBadNamesAndRedefinedCommonKeys()
    {
        var registry = SinkRegistry.CreateDefault();
        Assert.Throws<ArgumentException>(() => registry.Register(new CountingProvider("file")));
        Assert.Throws<ArgumentException>(() => registry.Register(new CountingProvider("a/b")));
        Assert.Throws<ArgumentException>(() => registry.Register(new CountingProvider("x", OptionSpecs.QueueCapacity)));
    }

    [Fact]
    public void Loader_ReadsAThirdPartySinkTypesOwnKeys_WithLineAwareErrors()
    {
        var registry = SinkRegistry.CreateDefault().Register(new CountingProvider("counting"));
        Scenario scenario = ScenarioLoader.Load("sinks:\n  - type: counting\n    name: c1\n    every: 250ms\n", "s.yaml", null, registry);
        SinkOptions options = Assert.Single(scenario.Sinks);
        Assert.Equal("250ms", options.Setting("every"));
        var sink = Assert.IsType<CountingSink>(registry.Create(options, new SinkContext(scenario)));
        Assert.Equal(TimeSpan.FromMilliseconds(250), sink.Every);

        ConfigException unknown = Assert.Throws<ConfigException>(() =>
            ScenarioLoader.Load("sinks:\n  - type: counting\n    evry: 1s\n", "s.yaml", null, registry));
        Assert.Equal(3, unknown.Line);
        Assert.Equal("sinks[0].evry", unknown.Key);
        Assert.Contains("did you mean 'every'", unknown.Problem);
        Assert.Contains("parallelism, every", unknown.Problem);

        ConfigException wrong = Assert.Throws<ConfigException>(() =>
            ScenarioLoader.Load("sinks:\n  - type: counting\n    every: soon\n", "s.yaml", null, registry));
        Assert.Equal(3, wrong.Line);
        Assert.Contains("expected a duration, found 'soon'", wrong.Problem);

        // The default registry does not know the type, and lists the ones it has.
        ConfigException type = Assert.Throws<ConfigException>(() => ScenarioLoader.Load("sinks:\n  - type: counting\n", "s.yaml", null));
        Assert.Contains("allowed: console, file, null", type.Problem);
    }

    [Fact]
    public void Schema_IncludesARegisteredProvidersKeysAndLimits()
    {
        var registry = SinkRegistry.CreateDefault().Register(new CountingProvider("counting"));
        using var doc = System.Text.Json.JsonDocument.Parse(ScenarioSchema.For(registry));
        System.Text.Json.JsonElement defs = doc.RootElement.GetProperty("$defs");
        System.Text.Json.JsonElement counting = defs.GetProperty("countingSink");
        Assert.Equal("counting", counting.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        Assert.Equal("#/$defs/duration", counting.GetProperty("properties").GetProperty("every").GetProperty("$ref").GetString());
        Assert.Equal(1024, counting.GetProperty("properties").GetProperty("queue_capacity").GetProperty("maximum").GetInt32());
        string[] refs = [.. doc.RootElement.GetProperty("properties").GetProperty("sinks").GetProperty("items").GetProperty("oneOf")
            .EnumerateArray().Select(e => e.GetProperty("$ref").GetString()!)];
        Assert.Equal(["#/$defs/consoleSink", "#/$defs/fileSink", "#/$defs/nullSink", "#/$defs/countingSink"], refs);
        Assert.DoesNotContain("countingSink", ScenarioSchema.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void StarterScenario_ListsEveryRegisteredTypeWithItsKeys_AndStillLoads()
    {
        var registry = SinkRegistry.CreateDefault().Register(new CountingProvider("counting"));
        string text = StarterScenario.For(registry);
        Assert.Contains("#   counting: Counts readings (test provider).", text, StringComparison.Ordinal);
        Assert.Contains("#     every: How often to count.", text, StringComparison.Ordinal);
        Assert.Contains("#     rotation: ", text, StringComparison.Ordinal);
        Assert.Single(ScenarioLoader.Load(text, "starter.yaml", null, registry).Sinks);
    }

    [Fact]
    public void Docs_ListARegisteredProvidersKeysAndCapabilities()
    {
        var registry = SinkRegistry.CreateDefault().Register(new CountingProvider("counting"));
        string docs = SinkDocs.Markdown(registry);
        Assert.Contains("| `counting` | `every`: 1ms", docs, StringComparison.Ordinal);
        Assert.Contains("How often to count. | no | yes | Counts readings (test provider). |", docs, StringComparison.Ordinal);
        Assert.Contains("| `type` | — | console, file, null, counting |", docs, StringComparison.Ordinal);
        Assert.Contains("<br>`compression` (none): none \\| gzip \\| lz4. File compression. |", docs, StringComparison.Ordinal);
    }

    [Fact]
    public void CommonSpecs_MatchTheCommonKeys_AndDocumentTheRealDefaults()
    {
        Assert.Equal(SinkOptions.CommonKeys, OptionSpecs.SinkCommon.Select(s => s.LeafKey));
        var defaults = new SinkOptions { Type = "null" };
        Assert.Equal(defaults.QueueCapacity.ToString(CultureInfo.InvariantCulture), OptionSpecs.QueueCapacity.Default);
        Assert.Equal(defaults.Retries.ToString(CultureInfo.InvariantCulture), OptionSpecs.Retries.Default);
        Assert.Equal(defaults.Parallelism.ToString(CultureInfo.InvariantCulture), OptionSpecs.Parallelism.Default);
        Assert.Equal(defaults.RetryJitter.ToString(CultureInfo.InvariantCulture), OptionSpecs.RetryJitter.Default);
        Assert.Equal(defaults.RetryDelay, DurationParser.Parse(OptionSpecs.RetryDelay.Default!));
        Assert.Equal(defaults.RetryMaxDelay, DurationParser.Parse(OptionSpecs.RetryMaxDelay.Default!));
        Assert.Equal(defaults.Backpressure.ToString(), OptionSpecs.Backpressure.Default!.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
        Assert.Null(defaults.MaxBuffer);
        Assert.Null(OptionSpecs.MaxBuffer.Default);
        Assert.Null(defaults.FlushInterval);
        Assert.Null(OptionSpecs.FlushInterval.Default);
        var file = new FileSinkOptions();
        Assert.Equal(file.Path, OptionSpecs.SinkPath.Default);
        Assert.Equal(file.Format, OptionSpecs.FileFormat.Default);
        Assert.Equal(file.Compression.ToString(), OptionSpecs.Compression.Default, ignoreCase: true);
        Assert.Equal(OptionSpecs.ConsoleFormat.Choices[0], OptionSpecs.ConsoleFormat.Default);
    }

    /// <summary>A sink type defined outside Core, as a target project would.</summary>
    private sealed class CountingProvider(string type, params OptionSpec[] extra) : ISinkProvider
    {
        private static readonly OptionSpec s_every = new()
        {
            Key = "sinks[].every",
            Kind = OptionKind.Duration,
            MinDuration = TimeSpan.FromMilliseconds(1),
            Description = "How often to count.",
        };

        public string Type => type;

        public string Description => "Counts readings (test provider).";

        public IReadOnlyList<OptionSpec> Options { get; } = [s_every, .. extra];

        public SinkCapabilities Capabilities { get; } = new(Ordered: false, ParallelWriters: true, []);

        public IReadingSink Create(SinkOptions options, SinkContext context) =>
            new CountingSink(options.Name ?? type, SinkSettings.Duration(options, context, s_every) ?? TimeSpan.FromSeconds(1));
    }

    private sealed class CountingSink(string name, TimeSpan every) : IReadingSink
    {
        public TimeSpan Every { get; } = every;

        public string Name { get; } = name;

        public ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
