namespace IotSim.Core.Scenarios;

/// <summary>Vector width used by the kernels; every width produces identical output.</summary>
public enum SimdWidth
{
    /// <summary>The widest accelerated width on this machine.</summary>
    Auto,
    /// <summary>The scalar reference implementation.</summary>
    Scalar,
    /// <summary>Vector128.</summary>
    V128,
    /// <summary>Vector256.</summary>
    V256,
    /// <summary>Vector512.</summary>
    V512,
}
