using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace IotSim.Cli.Tests;

/// <summary>A strict reader of the PNGs the charts write (8-bit RGB, no interlace), independent of the encoder: checks every CRC and undoes the row filters.</summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, byte[] Rgb, byte[] Filters)
    {
        public (byte R, byte G, byte B) Pixel(int x, int y)
        {
            int i = (y * Width + x) * 3;
            return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    public static Image Decode(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        int offset = 8;
        int width = 0, height = 0;
        var idat = new MemoryStream();
        var chunks = new List<string>();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            ReadOnlySpan<byte> typeAndData = png.AsSpan(offset + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.True(Crc32(typeAndData) == crc, $"CRC of {type}");
            ReadOnlySpan<byte> data = typeAndData[4..];
            chunks.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..13].ToArray());
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            offset += 12 + length;
        }
        Assert.Equal("IHDR", chunks[0]);
        Assert.Equal("IEND", chunks[^1]);
        Assert.Equal(png.Length, offset);

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        int stride = width * 3;
        byte[] bytes = raw.ToArray();
        Assert.Equal((stride + 1) * height, bytes.Length);
        var rgb = new byte[stride * height];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            byte filter = bytes[y * (stride + 1)];
            Assert.InRange(filter, (byte)0, (byte)4);
            filters[y] = filter;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                int p = a + b - c;
                int paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
                int predictor = filter switch { 1 => a, 2 => b, 3 => (a + b) / 2, 4 => paeth, _ => 0 };
                rgb[y * stride + i] = (byte)(bytes[y * (stride + 1) + 1 + i] + predictor);
            }
        }
        return new Image(width, height, rgb, filters);
    }

    /// <summary>CRC-32 bit by bit (no table), as PNG defines it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
