using System.Buffers;
using BenchmarkDotNet.Attributes;
using IotSim.Core.Encoders;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Benchmarks;

/// <summary>
/// Narrow CSV, JSON Lines and InfluxDB line protocol encoding of one 1,000,000-reading batch (50,000 agriculture devices × 20 sensors, one
/// tick) into a reused buffer, i.e. the encoder alone without I/O. Readings per op = 1,000,000, so the reported
/// mean is the cost per reading.
/// </summary>
[MemoryDiagnoser]
public class EncoderBench
{
    private const int Readings = 1_000_000;
    private ReadingBatch _batch = null!;
    private ReadingEncoder _csv = null!;
    private ReadingEncoder _jsonLines = null!;
    private ReadingEncoder _line = null!;
    private readonly ArrayBufferWriter<byte> _output = new(128 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var fleet = Fleet.Build(new Scenario { Industries = ["agriculture"], Devices = Readings / 20, Interval = TimeSpan.FromSeconds(1) });
        _batch = new ReadingBatch(fleet, Readings, null);
        new BatchPlanner(fleet).Fill(_batch, singleTimestamp: false);
        new BatchComputer(fleet, SimdWidth.Auto, 0).Compute(_batch);
        if (_batch.Count != Readings) throw new InvalidOperationException($"expected a {Readings}-reading batch, got {_batch.Count}");
        _csv = NarrowEncoder.Csv(fleet);
        _jsonLines = NarrowEncoder.JsonLines(fleet);
        _line = new LineEncoder(fleet);
    }

    [Benchmark(OperationsPerInvoke = Readings)]
    public int NarrowCsv()
    {
        _output.ResetWrittenCount();
        _csv.Encode(_batch, _output);
        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Readings)]
    public int NarrowJsonLines()
    {
        _output.ResetWrittenCount();
        _jsonLines.Encode(_batch, _output);
        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Readings)]
    public int LineProtocol()
    {
        _output.ResetWrittenCount();
        _line.Encode(_batch, _output);
        return _output.WrittenCount;
    }
}
