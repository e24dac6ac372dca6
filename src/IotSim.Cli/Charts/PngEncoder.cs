using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace IotSim.Cli.Charts;

/// <summary>
/// Encodes 8-bit RGB images as PNG: signature, IHDR, one zlib IDAT (each row with the filter of the smallest sum of
/// absolute differences, as libpng chooses) and IEND. Output depends on the pixels alone.
/// </summary>
internal static class PngEncoder
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] s_crcTable = CrcTable();

    /// <summary>The PNG of a <paramref name="width"/> × <paramref name="height"/> image whose pixels are <paramref name="rgb"/> (3 bytes each, rows top to bottom).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int stride = width * 3;
        if (rgb.Length != (long)stride * height) throw new ArgumentException("the pixels do not match the size", nameof(rgb));

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var candidate = new byte[5][];
            for (int f = 0; f < 5; f++) candidate[f] = new byte[stride + 1];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = rgb.Slice(y * stride, stride);
                ReadOnlySpan<byte> up = y == 0 ? default : rgb.Slice((y - 1) * stride, stride);
                int best = 0;
                long bestCost = long.MaxValue;
                for (int f = 0; f < 5; f++)
                {
                    long cost = Filter(f, row, up, candidate[f]);
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        best = f;
                    }
                }
                zlib.Write(candidate[best]);
            }
        }
        WriteChunk(png, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Writes filter byte <paramref name="type"/> and the filtered row into <paramref name="output"/>; returns the sum of absolute (signed) bytes.</summary>
    private static long Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, Span<byte> output)
    {
        output[0] = (byte)type;
        long cost = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= 3 ? row[i - 3] : 0;
            int b = up.IsEmpty ? 0 : up[i];
            int c = i >= 3 && !up.IsEmpty ? up[i - 3] : 0;
            int predictor = type switch
            {
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            byte v = (byte)(row[i] - predictor);
            output[i + 1] = v;
            int signed = (sbyte)v;
            cost += signed < 0 ? -signed : signed;
        }
        return cost;
    }

    /// <summary>The Paeth predictor of PNG's filter type 4.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        png.Write(head);
        png.Write(data);
        uint crc = Crc32(0xFFFFFFFFu, head[4..]);
        crc = Crc32(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        png.Write(tail);
    }

    /// <summary>The CRC-32 (ISO 3309, as PNG uses) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => Crc32(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] CrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
