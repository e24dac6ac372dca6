using BenchmarkDotNet.Attributes;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;
using IotSim.Parquet;
using Parquet;

namespace IotSim.Benchmarks;

/// <summary>
/// The narrow Parquet sink alone on one core: ten 1,000,000-reading batches (50,000 mining devices × 20 sensors, one tick
/// each, computed once) gathered, encoded, compressed and written to a file in the temp folder, footer and rename
/// included. Readings per op = 10,000,000, so the reported mean is the cost per reading.
/// </summary>
[MemoryDiagnoser]
public class ParquetBench
{
    private const int Batch = 1_000_000;
    private const int Batches = 10;
    private Fleet _fleet = null!;
    private ReadingBatch[] _batches = [];
    private string _dir = "";

    [Params("snappy", "none")]
    public string Compression { get; set; } = "snappy";

    [GlobalSetup]
    public void Setup()
    {
        _fleet = Fleet.Build(new Scenario { Industries = ["mining"], Devices = Batch / 17, Interval = TimeSpan.FromSeconds(1) });
        var planner = new BatchPlanner(_fleet);
        var computer = new BatchComputer(_fleet, SimdWidth.Auto, 0);
        _batches = new ReadingBatch[Batches];
        for (int i = 0; i < Batches; i++)
        {
            _batches[i] = new ReadingBatch(_fleet, _fleet.BatchCapacity, null);
            planner.Fill(_batches[i], singleTimestamp: true);
            computer.Compute(_batches[i]);
        }
        _dir = Path.Combine(Path.GetTempPath(), "iotsim-parquet-bench");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(OperationsPerInvoke = Batch * Batches)]
    public async Task<long> Narrow()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        var sink = new ParquetSink(new ParquetSinkOptions
        {
            Path = _dir,
            Compression = Compression == "none" ? CompressionMethod.None : CompressionMethod.Snappy,
        });
        await sink.OpenAsync(_fleet, CancellationToken.None);
        foreach (ReadingBatch batch in _batches) await sink.WriteAsync(batch, CancellationToken.None);
        await sink.CompleteAsync(CancellationToken.None);
        await sink.DisposeAsync();
        return sink.ConfirmedReadings ?? 0;
    }
}
