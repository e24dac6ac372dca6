using BenchmarkDotNet.Attributes;
using IotSim.Core.Kernels;
using IotSim.Core.Scenarios;
using IotSim.Core.Simulation;

namespace IotSim.Benchmarks;

/// <summary>
/// One full kernel step (noise, drift knots, cycle, daylight, season, anomaly episodes, equipment, clamp, round) over 100k channels of two fleets, per
/// vector width against the scalar reference. Channels are processed in 4096-channel blocks over 10 ticks, as
/// the engine does, so state stays in L2. Readings per op = 1,000,000.
/// </summary>
[MemoryDiagnoser]
public class KernelBench
{
    private const int Channels = 100_000;
    private const int Ticks = 10;
    private IntervalGroup _group = null!;
    private float[] _values = null!;
    private byte[] _flags = null!;
    private const long Start = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    private long _tick;

    [ParamsSource(nameof(Widths))]
    public SimdWidth Width { get; set; }

    /// <summary>The fleet's sensors: solar-heavy renewable_energy, or mining (status sensors and equipment drives).</summary>
    [Params("renewable_energy", "mining")]
    public string Industry { get; set; } = "renewable_energy";

    public static IEnumerable<SimdWidth> Widths() =>
        new[] { SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512 }.Where(SensorKernel.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        int sensors = Industry == "mining" ? 18 : 32;
        var fleet = Fleet.Build(new Scenario { Industries = [Industry], Devices = Channels / sensors, Interval = TimeSpan.FromSeconds(1) });
        _group = fleet.Groups[0];
        _values = new float[Channels * Ticks];
        _flags = new byte[Channels * Ticks];
    }

    [Benchmark(OperationsPerInvoke = Channels * Ticks)]
    public int Step()
    {
        int omitted = 0;
        int count = _group.ChannelCount;
        for (int block = 0; block < count; block += BatchComputer.BlockSize)
        {
            int n = Math.Min(BatchComputer.BlockSize, count - block);
            for (int t = 0; t < Ticks; t++)
            {
                int offset = t * count + block;
                omitted += SensorKernel.Advance(Width, _group.State, _group.Params, block, Start + (_tick + t) * 1000, _values.AsSpan(offset, n), _flags.AsSpan(offset, n));
            }
        }
        _tick += Ticks;
        return omitted;
    }
}
