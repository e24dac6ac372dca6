using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using IotSim.Core.Encoders;

namespace IotSim.Core.Tests.Encoders;

public sealed class ByteWriterTests
{
    private static string Fixed(float value, int precision, int pad = 0)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ByteWriter(output);
        ref byte dst = ref writer.Reserve(ByteWriter.MaxValueBytes + pad);
        int end = ByteWriter.FormatFixed(ref dst, 0, value, ByteWriter.Scale(precision), precision, pad);
        Assert.True(end > 0);
        writer.Advance(end);
        writer.Flush();
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData(450.12f, 2, "450.12")]
    [InlineData(-0.05f, 2, "-0.05")]
    [InlineData(0.05f, 2, "0.05")]
    [InlineData(0f, 2, "0.00")]
    [InlineData(-0f, 1, "0.0")]
    [InlineData(7f, 0, "7")]
    [InlineData(-7f, 0, "-7")]
    [InlineData(0f, 0, "0")]
    [InlineData(10f, 0, "10")]
    [InlineData(100f, 0, "100")]
    [InlineData(-1234567f, 0, "-1234567")]
    [InlineData(0.000001f, 6, "0.000001")]
    [InlineData(-0.5f, 3, "-0.500")]
    [InlineData(99.99f, 2, "99.99")]
    [InlineData(2500f, 1, "2500.0")]
    public void TryWriteFixed_KnownValues(float value, int precision, string expected) =>
        Assert.Equal(expected, Fixed(value, precision));

    [Fact]
    public void TryWriteFixed_RandomValues_MatchDecimalFormatting()
    {
        var random = new Random(5);
        for (int precision = 0; precision <= 6; precision++)
        {
            for (int i = 0; i < 20_000; i++)
            {
                // Values as the kernels produce them: already rounded to the precision, any magnitude up to 1e7.
                double magnitude = Math.Pow(10, random.Next(-3, 8));
                float value = (float)(Math.Round((random.NextDouble() * 2 - 1) * magnitude * Math.Pow(10, precision)) / Math.Pow(10, precision));
                Assert.Equal(EncoderTestKit.Fixed(value, precision), Fixed(value, precision));
            }
        }
    }

    [Fact]
    public void TryWriteFixed_PadsOnTheLeft()
    {
        Assert.Equal("    450.12", Fixed(450.12f, 2, 10));
        Assert.Equal("     -3", Fixed(-3f, 0, 7));
        Assert.Equal("12345.5", Fixed(12345.5f, 1, 4));
    }

    [Theory]
    [InlineData(float.NaN, 2, 0, "null")]
    [InlineData(float.PositiveInfinity, 0, 6, "  null")]
    [InlineData(float.NegativeInfinity, 1, 0, "null")]
    [InlineData(float.MaxValue, 2, 0, "340282346638528859811704183484516925440.00")]
    [InlineData(-1e19f, 0, 0, "-9999999980506447872")]
    public void FormatFixed_NonFiniteOrHuge_RefusesAndTheFallbackWrites(float value, int precision, int pad, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ByteWriter(output);
        ref byte dst = ref writer.Reserve(ByteWriter.MaxValueBytes + pad);
        Assert.Equal(-1, ByteWriter.FormatFixed(ref dst, 0, value, ByteWriter.Scale(precision), precision, pad));
        writer.Advance(ByteWriter.FormatUnusual(ref dst, 0, value, precision, pad, "null"u8.ToArray()));
        writer.Flush();
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(5e9f, 0, "5000000000")]
    [InlineData(-123456.789f, 6, "-123456.789062")]
    [InlineData(4294967296f, 0, "4294967296")]
    public void FormatFixed_ScaledBeyond32Bits_UsesTheWidePath(float value, int precision, string expected) =>
        Assert.Equal(expected, Fixed(value, precision));

    [Fact]
    public void CountDigits_EveryPowerOfTenBoundary()
    {
        Assert.Equal(1, ByteWriter.CountDigits(0));
        ulong power = 1;
        for (int digits = 1; digits <= 19; digits++)
        {
            Assert.Equal(digits, ByteWriter.CountDigits(power));
            Assert.Equal(digits, ByteWriter.CountDigits(power * 10 - 1));
            power *= 10;
        }
        Assert.Equal(20, ByteWriter.CountDigits(ulong.MaxValue));
    }

    [Fact]
    public void Write_GrowsAcrossSpans_AndKeepsOrder()
    {
        var output = new ArrayBufferWriter<byte>(16);
        var writer = new ByteWriter(output);
        var expected = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            string piece = i.ToString(CultureInfo.InvariantCulture) + ";";
            writer.Write(Encoding.UTF8.GetBytes(piece));
            expected.Append(piece);
        }
        writer.Flush();
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void IsoTimestamp_MatchesDateTimeFormatting()
    {
        var random = new Random(3);
        long[] samples = [0, -1, 1, 86_399_999, 86_400_000, -86_400_001, 1_767_225_600_000, 253_402_300_799_999, -62_135_596_800_000];
        var buffer = new byte[IsoTimestamp.Length];
        foreach (long ms in samples.Concat(Enumerable.Range(0, 10_000).Select(_ => random.NextInt64(-62_135_596_800_000, 253_402_300_800_000))))
        {
            IsoTimestamp.Format(ms, buffer);
            Assert.Equal(EncoderTestKit.Iso(DateTimeOffset.FromUnixTimeMilliseconds(ms)), Encoding.ASCII.GetString(buffer));
        }
    }

    [Fact]
    public void BinaryHelpers_MatchBinaryPrimitives_AcrossBufferGrowth()
    {
        // A PostgreSQL-COPY-like row layout repeated until the writer has grown over several spans.
        var random = new Random(11);
        var output = new ArrayBufferWriter<byte>(16);
        var expected = new List<byte>();
        var writer = new ByteWriter(output);
        Span<byte> scratch = stackalloc byte[8];
        for (int row = 0; row < 2000; row++)
        {
            short s = (short)random.Next(short.MinValue, short.MaxValue + 1);
            int i = random.Next(int.MinValue, int.MaxValue);
            long l = random.NextInt64(long.MinValue, long.MaxValue);
            float f = (float)(random.NextDouble() * 2e6 - 1e6);
            double d = random.NextDouble() * 2e9 - 1e9;
            ref byte dst = ref writer.Reserve(64);
            int pos = ByteWriter.Int16BigEndian(ref dst, 0, s);
            pos = ByteWriter.Int32BigEndian(ref dst, pos, i);
            pos = ByteWriter.Int64BigEndian(ref dst, pos, l);
            pos = ByteWriter.SingleBigEndian(ref dst, pos, f);
            pos = ByteWriter.DoubleBigEndian(ref dst, pos, d);
            pos = ByteWriter.Int32LittleEndian(ref dst, pos, i);
            pos = ByteWriter.Int64LittleEndian(ref dst, pos, l);
            pos = ByteWriter.SingleLittleEndian(ref dst, pos, f);
            pos = ByteWriter.DoubleLittleEndian(ref dst, pos, d);
            writer.Advance(pos);

            BinaryPrimitives.WriteInt16BigEndian(scratch, s);
            expected.AddRange(scratch[..2]);
            BinaryPrimitives.WriteInt32BigEndian(scratch, i);
            expected.AddRange(scratch[..4]);
            BinaryPrimitives.WriteInt64BigEndian(scratch, l);
            expected.AddRange(scratch[..8]);
            BinaryPrimitives.WriteSingleBigEndian(scratch, f);
            expected.AddRange(scratch[..4]);
            BinaryPrimitives.WriteDoubleBigEndian(scratch, d);
            expected.AddRange(scratch[..8]);
            BinaryPrimitives.WriteInt32LittleEndian(scratch, i);
            expected.AddRange(scratch[..4]);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, l);
            expected.AddRange(scratch[..8]);
            BinaryPrimitives.WriteSingleLittleEndian(scratch, f);
            expected.AddRange(scratch[..4]);
            BinaryPrimitives.WriteDoubleLittleEndian(scratch, d);
            expected.AddRange(scratch[..8]);
        }
        writer.Flush();
        Assert.Equal(expected.Count, output.WrittenCount);
        Assert.True(output.WrittenSpan.SequenceEqual(expected.ToArray()));
    }
}
