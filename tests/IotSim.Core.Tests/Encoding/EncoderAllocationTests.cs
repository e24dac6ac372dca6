using System.Buffers;
using IotSim.Core.Encoders;
using IotSim.Core.Simulation;

namespace IotSim.Core.Tests.Encoders;

[Collection(SerialTestCollection.Name)]
public sealed class EncoderAllocationTests
{
    public static TheoryData<string> Encoders() => ["narrow-csv", "narrow-jsonl", "narrow-text", "wide-csv", "wide-jsonl", "narrow-line", "wide-line"];

    private static ReadingEncoder Create(string name, Fleet fleet) => name switch
    {
        "narrow-csv" => NarrowEncoder.Csv(fleet),
        "narrow-jsonl" => NarrowEncoder.JsonLines(fleet),
        "narrow-text" => NarrowEncoder.Text(fleet),
        "wide-csv" => WideEncoder.Csv(fleet),
        "wide-jsonl" => WideEncoder.JsonLines(fleet),
        "narrow-line" or "wide-line" => new LineEncoder(fleet),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Encode_SteadyState_AllocatesNothing(string name)
    {
        Core.Scenarios.Scenario scenario = EncoderTestKit.Mining(devices: 40, seconds: 30, anomalyScale: 200);
        ReadingBatch batch = EncoderTestKit.Batch(name == "wide-line" ? scenario with { Shape = Core.Scenarios.OutputShape.Wide } : scenario, 8192);
        Assert.True(batch.SegmentCount > 1);
        Assert.True(batch.Omitted > 0);
        ReadingEncoder encoder = Create(name, batch.Fleet);
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(batch, output);
        int size = output.WrittenCount;
        AllocationAssert.SteadyStateIsAllocationFree(() =>
        {
            output.ResetWrittenCount();
            encoder.Encode(batch, output);
        });
        Assert.Equal(size, output.WrittenCount);
    }

    [Fact]
    public void ChunkedStreamWriter_SteadyState_AllocatesNothing()
    {
        ReadingBatch batch = EncoderTestKit.Batch(EncoderTestKit.Mining(devices: 40, seconds: 30), 8192);
        var chunks = new ChunkedStreamWriter(NarrowEncoder.Csv(batch.Fleet), chunkReadings: 1000, chunkBytes: 16 * 1024);
        using var sink = new MemoryStream();
        void EncodeBatch()
        {
            sink.Position = 0;
            foreach (BatchSegment segment in batch.Segments) chunks.EncodeSegment(batch, segment, sink);
            chunks.FlushTo(sink);
        }
        EncodeBatch();
        long size = sink.Position;
        AllocationAssert.SteadyStateIsAllocationFree(EncodeBatch);
        Assert.Equal(size, sink.Position);
    }
}
