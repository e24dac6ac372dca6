using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;
using IotSim.Core.Tests.Encoders;

namespace IotSim.Core.Tests.Sinks;

[Collection(SerialTestCollection.Name)]
public sealed class SinkAllocationTests
{
    /// <summary>The sinks finish a write synchronously; consuming the ValueTask here keeps the loop free of awaits.</summary>
    private static bool CompletedNow(ValueTask write)
    {
        bool completed = write.IsCompletedSuccessfully;
        write.GetAwaiter().GetResult();
        return completed;
    }

    private static long AllocatedPerThousandWrites(IReadingSink sink, ReadingBatch batch, Action? between = null)
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.True(CompletedNow(sink.WriteAsync(batch, CancellationToken.None)));
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            between?.Invoke();
            Assert.True(CompletedNow(sink.WriteAsync(batch, CancellationToken.None)));
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [InlineData("text", OutputShape.Narrow)]
    [InlineData("json", OutputShape.Wide)]
    public async Task ConsoleSink_WriteSteadyState_AllocatesNothing(string format, OutputShape shape)
    {
        ReadingBatch batch = EncoderTestKit.Batch(EncoderTestKit.Mining(devices: 20, anomalyScale: 200), 4096);
        using var output = new MemoryStream(16 << 20);
        var sink = new ConsoleSink(output, format, shape);
        await sink.OpenAsync(batch.Fleet, CancellationToken.None);
        Assert.Equal(0, AllocatedPerThousandWrites(sink, batch, () => output.Position = 0));
        Assert.True(output.Position > 0);
    }

    [Fact]
    public async Task FileSink_WriteSteadyState_AllocatesNothing()
    {
        using var dir = new TempDirectory();
        ReadingBatch batch = EncoderTestKit.Batch(EncoderTestKit.Mining(), 256);
        var sink = new FileSink(new FileSinkOptions { Path = dir.Path });
        await sink.OpenAsync(batch.Fleet, CancellationToken.None);
        Assert.Equal(0, AllocatedPerThousandWrites(sink, batch));
        await sink.CompleteAsync(CancellationToken.None);
        await sink.DisposeAsync();
        Assert.Single(sink.Files);
        Assert.True(new FileInfo(sink.Files[0]).Length > 1000 * 200);
    }
}
