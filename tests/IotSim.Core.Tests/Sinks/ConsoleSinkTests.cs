using System.Text;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Tests.Encoders;

namespace IotSim.Core.Tests.Sinks;

[Collection(SerialTestCollection.Name)]
public sealed class ConsoleSinkTests
{
    public static TheoryData<string, OutputShape> Forms() => new()
    {
        { "text", OutputShape.Narrow },
        { "json", OutputShape.Narrow },
        { "text", OutputShape.Wide },
        { "json", OutputShape.Wide },
    };

    private static Func<Fleet, ReadingEncoder> Expected(string format, OutputShape shape) => (format, shape) switch
    {
        ("text", OutputShape.Narrow) => NarrowEncoder.Text,
        ("json", OutputShape.Narrow) => NarrowEncoder.JsonLines,
        ("text", OutputShape.Wide) => WideEncoder.Csv,
        _ => WideEncoder.JsonLines,
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Run_WritesTheFormatsEncoding_AndFlushesEveryBatch(string format, OutputShape shape)
    {
        Scenario scenario = EncoderTestKit.Mining(anomalyScale: 200) with { Shape = shape, BatchSize = 200 };
        using var output = new FlushCountingStream();
        var sink = new ConsoleSink(output, format, shape);
        RunReport report = await new Simulator(scenario).AddSink(sink).RunAsync();
        Assert.True(report.Succeeded);
        EncodedRun expected = await EncoderTestKit.RunAsync(scenario, Expected(format, shape));
        Assert.Equal(expected.Text, Encoding.UTF8.GetString(output.ToArray()));
        Assert.True(output.Flushes > report.Generated / 200, $"{output.Flushes} flushes");
        Assert.True(output.CanWrite, "a caller's stream is left open");
    }

    [Fact]
    public async Task WriteFailsAfterSomeBytes_SinkRefusesToWriteTheBatchAgain()
    {
        ReadingBatch batch = EncoderTestKit.Batch(EncoderTestKit.Mining(), 4096);
        var output = new BrokenStream();
        var sink = new ConsoleSink(output, "json") { ChunkReadings = 50 };
        await sink.OpenAsync(batch.Fleet, CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => sink.WriteAsync(batch, CancellationToken.None).AsTask());
        Assert.True(output.Length > 0);
        long written = output.Length;
        var again = await Assert.ThrowsAsync<SinkFaultedException>(() => sink.WriteAsync(batch, CancellationToken.None).AsTask());
        Assert.Contains("written in part", again.Message);
        Assert.Equal(written, output.Length);
    }

    [Fact]
    public void Constructor_UnknownFormat_ListsTheChoices()
    {
        var ex = Assert.Throws<ConfigException>(() => new ConsoleSink(Stream.Null, "jsn"));
        Assert.Contains("text, json", ex.Message);
        Assert.Contains("did you mean 'json'", ex.Message);
    }

    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }
    }

    /// <summary>Takes the first write, then fails like a closed pipe.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        private int _writes;

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_writes++ > 0) throw new IOException("broken pipe");
            base.Write(buffer, offset, count);
        }
    }
}
