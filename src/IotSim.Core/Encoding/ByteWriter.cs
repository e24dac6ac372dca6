using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace IotSim.Core.Encoders;

/// <summary>
/// Hand-written hot path: the allocation-free byte writer every IotSim encoder is built on, text (CSV, JSON Lines)
/// and binary (PostgreSQL COPY, frames) alike. It writes over an <see cref="IBufferWriter{T}"/> and caches a
/// reference to the current span (MemoryPack style); growth is a separate non-inlined method.
/// </summary>
/// <remarks>
/// <para>The pattern: reserve the most a unit (a row, a device's readings) can take once with <see cref="Reserve"/>,
/// write through the static cursor helpers (<see cref="Copy(ref byte, int, byte[])"/>, <see cref="FormatFixed"/>,
/// <see cref="Int32BigEndian"/>, ...) with a local position the JIT keeps in a register, then <see cref="Advance"/>
/// by the bytes written. <see cref="Flush"/> commits to the output. The helpers do not check bounds: writing past
/// what was reserved corrupts memory, so size reservations from the helpers' documented maxima.</para>
/// <para>Experimental (<c>IOTSIM001</c>): the API may still change.</para>
/// </remarks>
[Experimental("IOTSIM001")]
public ref struct ByteWriter
{
    /// <summary>Upper bound of the bytes <see cref="FormatFixed"/> or <see cref="FormatUnusual"/> write for one value, padding aside.</summary>
    public const int MaxValueBytes = 48;

    private const int MinGrowth = 4096;

    private static readonly double[] s_scale = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    private static readonly ulong[] s_pow10 =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ];

    private static readonly string[] s_fixedFormats = ["F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"];

    private readonly IBufferWriter<byte> _output;
    private ref byte _start;
    private int _length;
    private int _pos;

    /// <summary>A writer that appends to <paramref name="output"/>.</summary>
    public ByteWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _start = ref Unsafe.NullRef<byte>();
    }

    /// <summary>Digit pairs "00".."99", two bytes per pair.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>10^<paramref name="precision"/> as a double, for precisions 0..9.</summary>
    public static double Scale(int precision) => s_scale[precision];

    /// <summary>Makes sure <paramref name="size"/> bytes can be written and returns a reference to the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Reserve(int size)
    {
        if (_length - _pos < size)
        {
            Grow(size);
        }
        return ref Unsafe.Add(ref _start, _pos);
    }

    /// <summary>Marks <paramref name="count"/> bytes after the last <see cref="Reserve"/> as written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        Debug.Assert((uint)count <= (uint)(_length - _pos));
        _pos += count;
    }

    /// <summary>Copies <paramref name="bytes"/>, growing as needed.</summary>
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref Reserve(bytes.Length), bytes.Length));
        _pos += bytes.Length;
    }

    /// <summary>Commits the written bytes to the output.</summary>
    public void Flush()
    {
        if (_pos > 0)
        {
            _output.Advance(_pos);
        }
        _start = ref Unsafe.NullRef<byte>();
        _length = 0;
        _pos = 0;
    }

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="dst"/> + <paramref name="pos"/>; returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(ref byte dst, int pos, byte[] bytes)
    {
        Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, pos), ref MemoryMarshal.GetArrayDataReference(bytes), (uint)bytes.Length);
        return pos + bytes.Length;
    }

    /// <summary>
    /// Copies <paramref name="text"/> in whole vectors, so up to <see cref="PaddedBytes.Padding"/> bytes past its end
    /// are overwritten too (room for them must be reserved; later writes overwrite them). Returns the new position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(ref byte dst, int pos, in PaddedBytes text)
    {
        ref byte source = ref MemoryMarshal.GetArrayDataReference(text.Data);
        ref byte target = ref Unsafe.Add(ref dst, pos);
        nuint length = (uint)text.Length;
        Debug.Assert(text.Data.Length >= text.Length + PaddedBytes.Padding);
        if (Vector256.IsHardwareAccelerated)
        {
            nuint i = 0;
            do
            {
                Vector256.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
                i += 32;
            }
            while (i < length);
        }
        else
        {
            nuint i = 0;
            do
            {
                Vector128.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
                i += 16;
            }
            while (i < length);
        }
        return pos + text.Length;
    }

    /// <summary>Copies the first <paramref name="count"/> bytes of <paramref name="bytes"/>; returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(ref byte dst, int pos, byte[] bytes, int count)
    {
        Debug.Assert((uint)count <= (uint)bytes.Length);
        Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, pos), ref MemoryMarshal.GetArrayDataReference(bytes), (uint)count);
        return pos + count;
    }

    /// <summary>
    /// Writes <paramref name="value"/> as fixed-point text with <paramref name="precision"/> decimals from the scaled
    /// integer <c>round(value · scale)</c>, right-aligned to <paramref name="padWidth"/> with spaces, at
    /// <paramref name="dst"/> + <paramref name="pos"/>. Returns the new position, or −1 (nothing written) for NaN,
    /// infinities and magnitudes beyond 9·10^18 scaled, which go to <see cref="FormatUnusual"/>. Needs
    /// <see cref="MaxValueBytes"/> + <paramref name="padWidth"/> bytes of room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FormatFixed(ref byte dst, int pos, float value, double scale, int precision, int padWidth)
    {
        double d = value * scale;
        // Also true for NaN: the comparison fails.
        if (!(Math.Abs(d) < 9e18))
        {
            return -1;
        }
        // In range, so the native conversion (no saturation fix-ups) is exact.
        long scaled = double.ConvertToIntegerNative<long>(Math.Round(d));
        int negative = (int)((ulong)scaled >> 63);
        ulong u = (ulong)((scaled ^ -negative) + negative);
        if (u > uint.MaxValue)
        {
            return FormatFixed64(ref dst, pos, u, negative, precision, padWidth);
        }
        // 32-bit path (every scaled reading below 4.29e9): the usual precisions divide by constants, i.e. multiply.
        uint v = (uint)u;
        uint integer = precision switch
        {
            0 => v,
            1 => v / 10,
            2 => v / 100,
            3 => v / 1000,
            _ => v / (uint)s_pow10[precision],
        };
        uint fraction = v - integer * (uint)s_pow10[precision];
        int integerDigits = CountDigits(integer);
        int length = negative + integerDigits + (precision > 0 ? precision + 1 : 0);
        if (length < padWidth)
        {
            Unsafe.InitBlockUnaligned(ref Unsafe.Add(ref dst, pos), (byte)' ', (uint)(padWidth - length));
            pos += padWidth - length;
        }
        ref byte start = ref Unsafe.Add(ref dst, pos);
        start = (byte)'-';
        WriteDigits(ref Unsafe.Add(ref start, negative + integerDigits), integer, integerDigits);
        if (precision > 0)
        {
            Unsafe.Add(ref start, negative + integerDigits) = (byte)'.';
            WriteDigits(ref Unsafe.Add(ref start, length), fraction, precision);
        }
        return pos + length;
    }

    /// <summary>
    /// The out-of-line fallback of <see cref="FormatFixed"/>: <paramref name="nullToken"/> for NaN and infinities,
    /// invariant "F" formatting for huge finite values. Returns the new position.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int FormatUnusual(ref byte dst, int pos, float value, int precision, int padWidth, byte[] nullToken)
    {
        Span<byte> text = stackalloc byte[MaxValueBytes];
        int length;
        if (float.IsFinite(value))
        {
            ((double)value).TryFormat(text, out length, s_fixedFormats[precision], CultureInfo.InvariantCulture);
        }
        else
        {
            nullToken.CopyTo(text);
            length = nullToken.Length;
        }
        Span<byte> target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, pos), Math.Max(length, padWidth));
        target[..^length].Fill((byte)' ');
        text[..length].CopyTo(target[^length..]);
        return pos + target.Length;
    }

    /// <summary>Writes <paramref name="value"/> as decimal digits, zero-padded to at least <paramref name="minDigits"/>; returns the digit count.</summary>
    public static int FormatPadded(uint value, int minDigits, Span<byte> destination)
    {
        int digits = Math.Max(CountDigits(value), minDigits);
        for (int i = digits - 1; i >= 0; i--)
        {
            uint q = value / 10;
            destination[i] = (byte)('0' + (int)(value - q * 10));
            value = q;
        }
        return digits;
    }

    /// <summary>Writes <paramref name="value"/> in network byte order (2 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int16BigEndian(ref byte dst, int pos, short value)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, pos), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);
        return pos + sizeof(short);
    }

    /// <summary>Writes <paramref name="value"/> in network byte order (4 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int32BigEndian(ref byte dst, int pos, int value)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, pos), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);
        return pos + sizeof(int);
    }

    /// <summary>Writes <paramref name="value"/> in network byte order (8 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int64BigEndian(ref byte dst, int pos, long value)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, pos), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);
        return pos + sizeof(long);
    }

    /// <summary>Writes the IEEE 754 bits of <paramref name="value"/> in network byte order (4 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SingleBigEndian(ref byte dst, int pos, float value) =>
        Int32BigEndian(ref dst, pos, BitConverter.SingleToInt32Bits(value));

    /// <summary>Writes the IEEE 754 bits of <paramref name="value"/> in network byte order (8 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DoubleBigEndian(ref byte dst, int pos, double value) =>
        Int64BigEndian(ref dst, pos, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Writes <paramref name="value"/> in little-endian order (4 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int32LittleEndian(ref byte dst, int pos, int value)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, pos), BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));
        return pos + sizeof(int);
    }

    /// <summary>Writes <paramref name="value"/> in little-endian order (8 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int64LittleEndian(ref byte dst, int pos, long value)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, pos), BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));
        return pos + sizeof(long);
    }

    /// <summary>Writes the IEEE 754 bits of <paramref name="value"/> in little-endian order (4 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SingleLittleEndian(ref byte dst, int pos, float value) =>
        Int32LittleEndian(ref dst, pos, BitConverter.SingleToInt32Bits(value));

    /// <summary>Writes the IEEE 754 bits of <paramref name="value"/> in little-endian order (8 bytes); returns the new position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DoubleLittleEndian(ref byte dst, int pos, double value) =>
        Int64LittleEndian(ref dst, pos, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Decimal digits of <paramref name="value"/> (1 for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountDigits(ulong value)
    {
        // floor(log10) estimated from the bit length (1233/4096 ≈ log10 2), corrected with one table lookup.
        int estimate = ((64 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) * 1233) >> 12;
        return estimate + 1 - ((value | 1) < Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_pow10), estimate) ? 1 : 0);
    }

    /// <summary>Writes the last <paramref name="count"/> digits of <paramref name="value"/>, zero-padded, ending just before <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(ref byte end, uint value, int count)
    {
        ref byte pairs = ref MemoryMarshal.GetReference(DigitPairs);
        while (count >= 2)
        {
            uint q = value / 100;
            uint pair = value - q * 100;
            end = ref Unsafe.Subtract(ref end, 2);
            Unsafe.WriteUnaligned(ref end, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref pairs, (nint)(pair * 2))));
            value = q;
            count -= 2;
        }
        if (count > 0)
        {
            Unsafe.Subtract(ref end, 1) = (byte)('0' + value % 10);
        }
    }

    /// <summary>The rare 64-bit case of <see cref="FormatFixed"/>, one digit at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatFixed64(ref byte dst, int pos, ulong u, int negative, int precision, int padWidth)
    {
        int digits = Math.Max(CountDigits(u), precision + 1);
        int length = negative + digits + (precision > 0 ? 1 : 0);
        if (length < padWidth)
        {
            Unsafe.InitBlockUnaligned(ref Unsafe.Add(ref dst, pos), (byte)' ', (uint)(padWidth - length));
            pos += padWidth - length;
        }
        ref byte start = ref Unsafe.Add(ref dst, pos);
        start = (byte)'-';
        int i = length - 1;
        for (int k = 0; k < precision; k++)
        {
            ulong q = u / 10;
            Unsafe.Add(ref start, i--) = (byte)('0' + (int)(u - q * 10));
            u = q;
        }
        if (precision > 0)
        {
            Unsafe.Add(ref start, i--) = (byte)'.';
        }
        for (; i >= negative; i--)
        {
            ulong q = u / 10;
            Unsafe.Add(ref start, i) = (byte)('0' + (int)(u - q * 10));
            u = q;
        }
        return pos + length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (_pos > 0)
        {
            _output.Advance(_pos);
        }
        Span<byte> span = _output.GetSpan(Math.Max(size, MinGrowth));
        _start = ref MemoryMarshal.GetReference(span);
        _length = span.Length;
        _pos = 0;
    }
}
