using System.Diagnostics.CodeAnalysis;

namespace IotSim.Core.Encoders;

/// <summary>
/// UTF-8 text stored with at least <see cref="Padding"/> spare bytes after it, so
/// <see cref="ByteWriter.Copy(ref byte, int, in PaddedBytes)"/> can copy it in whole vectors without a length tail.
/// Experimental (<c>IOTSIM001</c>).
/// </summary>
/// <param name="Data">The UTF-8 bytes followed by at least <see cref="Padding"/> spare bytes.</param>
/// <param name="Length">The length of the text in bytes.</param>
[Experimental("IOTSIM001")]
public readonly record struct PaddedBytes(byte[] Data, int Length)
{
    /// <summary>Spare bytes after the text (source) and needed after the write position (destination).</summary>
    public const int Padding = 32;

    /// <summary>The UTF-8 of <paramref name="text"/>, padded.</summary>
    public static PaddedBytes From(string text)
    {
        byte[] utf8 = TextEscaping.Utf8(text);
        var data = new byte[utf8.Length + Padding];
        utf8.CopyTo(data, 0);
        return new PaddedBytes(data, utf8.Length);
    }
}
