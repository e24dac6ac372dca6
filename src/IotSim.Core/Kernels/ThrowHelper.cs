using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace IotSim.Core.Kernels;

/// <summary>Throws out of line so hot loops stay small.</summary>
[StackTraceHidden]
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ArgumentOutOfRange(string name) => throw new ArgumentOutOfRangeException(name);

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);
}
