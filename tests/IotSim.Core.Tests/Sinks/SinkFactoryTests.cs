using System.Text;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Tests.Encoders;

namespace IotSim.Core.Tests.Sinks;

[Collection(SerialTestCollection.Name)]
public sealed class SinkFactoryTests
{
    [Fact]
    public async Task Create_Console_UsesTheScenarioShapeAndTheGivenStream()
    {
        Scenario scenario = EncoderTestKit.Mining() with { Shape = OutputShape.Wide };
        using var output = new MemoryStream();
        IReadingSink sink = SinkFactory.Create(new SinkOptions { Type = "console", Format = "json", Name = "screen" }, scenario, output);
        Assert.IsType<ConsoleSink>(sink);
        Assert.Equal("screen", sink.Name);
        await new Simulator(scenario).AddSink(sink).RunAsync();
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, WideEncoder.JsonLines);
        Assert.Equal(expected.Text, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Create_FileAndNull_WithDefaults()
    {
        var file = Assert.IsType<FileSink>(SinkFactory.Create(new SinkOptions { Type = "file", Path = "out" }, new Scenario()));
        Assert.Equal("file", file.Name);
        Assert.Equal(Path.GetFullPath("out"), file.Directory);
        Assert.Equal("null", Assert.IsType<NullSink>(SinkFactory.Create(new SinkOptions { Type = "null" }, new Scenario())).Name);
    }

    [Fact]
    public void Create_BadFormatOrType_ThrowsConfigExceptionWithTheChoices()
    {
        var scenario = new Scenario { SourcePath = "plant.yaml" };
        var format = Assert.Throws<ConfigException>(() => SinkFactory.Create(new SinkOptions { Type = "file", Format = "cvs" }, scenario));
        Assert.Equal("plant.yaml", format.File);
        Assert.Contains("csv, jsonl", format.Message);
        Assert.Contains("did you mean 'csv'", format.Message);
        Assert.Contains("text, json", Assert.Throws<ConfigException>(() => SinkFactory.Create(new SinkOptions { Type = "console", Format = "csv" }, scenario)).Message);
        var type = Assert.Throws<ConfigException>(() => SinkFactory.Create(new SinkOptions { Type = "kafkaa" }, scenario));
        Assert.Contains("console, file, null", type.Message);
    }

    [Fact]
    public void Describe_ListsEveryTypeWithItsFormats()
    {
        var rows = SinkFactory.Describe();
        Assert.Equal(SinkOptions.Types, rows.Select(r => r.Type));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
        Assert.Equal("text, json", rows.Single(r => r.Type == "console").Formats);
        Assert.Equal("csv, jsonl", rows.Single(r => r.Type == "file").Formats);
        Assert.Equal("-", rows.Single(r => r.Type == "null").Formats);
    }
}
