namespace IotSim.Core.Scenarios;

/// <summary>Slice <see cref="Index"/> of <see cref="Count"/> of the fleet's devices (contiguous device ranges).</summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole fleet.</summary>
    public static Shard All => new(0, 1);

    /// <summary>Devices [start, end) of a fleet of <paramref name="devices"/> that this shard generates.</summary>
    public (int Start, int End) DeviceRange(int devices) =>
        ((int)((long)devices * Index / Count), (int)((long)devices * (Index + 1) / Count));

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
