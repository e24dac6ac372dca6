using System.Text;
using DuckDB.NET.Data;

namespace IotSim.Parquet.Tests;

/// <summary>The hand-written narrow writer's encodings, each read back by DuckDB.</summary>
public sealed class NarrowParquetWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iotsim-narrow-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// distinctTimes decides the time column's encoding: a few distinct times are a dictionary, one per row is plain.
    /// withNulls decides the value column's path: no NaN is one RLE run of levels and the values as they are.
    /// </summary>
    [Theory]
    [InlineData(3, false, "RLE_DICTIONARY")]
    [InlineData(3, true, "RLE_DICTIONARY")]
    [InlineData(5000, false, "PLAIN")]
    [InlineData(5000, true, "PLAIN")]
    public void Rows_ReadBackExactly_WithTheTimeEncodingTheirDistinctTimesCallFor(int distinctTimes, bool withNulls, string timeEncoding)
    {
        const int n = 5000;
        var random = new Random(distinctTimes + (withNulls ? 1 : 0));
        var rows = new NarrowParquetWriter.RowGroup(n)
        {
            Devices = [.. Enumerable.Range(0, 40).Select(d => Encoding.UTF8.GetBytes($"dev-{d}"))],
            Sensors = [.. Enumerable.Range(0, 7).Select(s => Encoding.UTF8.GetBytes($"s{s}"))],
            Labels = [[], "spike"u8.ToArray(), "drift"u8.ToArray()],
            Count = n,
        };
        long origin = 1_767_225_600_000_000; // 2026-01-01 in µs
        for (int i = 0; i < n; i++)
        {
            rows.TimeMicros[i] = origin + (distinctTimes == n ? i * 1000L : random.Next(distinctTimes) * 1_000_000L);
            rows.Device[i] = random.Next(40);
            rows.Sensor[i] = random.Next(7);
            rows.Value[i] = withNulls && i % 11 == 0 ? float.NaN : (float)(random.NextDouble() * 100);
            rows.Label[i] = random.Next(20) switch { 0 => 1, 1 => 2, _ => 0 };
        }
        string file = Path.Combine(_dir, "f.parquet");
        (long min, long max, long nulls) stats;
        using (var stream = File.Create(file))
        {
            var writer = new NarrowParquetWriter(stream, global::Parquet.CompressionMethod.Snappy, new Dictionary<string, string>());
            stats = writer.Write(rows);
            writer.Close();
        }
        Assert.Equal(rows.TimeMicros.Min(), stats.min);
        Assert.Equal(rows.TimeMicros.Max(), stats.max);
        Assert.Equal(rows.Value.Count(float.IsNaN), stats.nulls);
        Assert.Equal(withNulls, stats.nulls > 0);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using DuckDBCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT encodings FROM parquet_metadata('{file}') WHERE path_in_schema = 'time'";
        Assert.Contains(timeEncoding, (string)command.ExecuteScalar()!, StringComparison.Ordinal);
        command.CommandText = $"SELECT epoch_us(time), device_id, sensor, value, coalesce(anomaly, '') FROM read_parquet('{file}')";
        using var reader = command.ExecuteReader();
        int row = 0;
        while (reader.Read())
        {
            Assert.Equal(rows.TimeMicros[row], reader.GetInt64(0));
            Assert.Equal($"dev-{rows.Device[row]}", reader.GetString(1));
            Assert.Equal($"s{rows.Sensor[row]}", reader.GetString(2));
            if (float.IsNaN(rows.Value[row])) Assert.True(reader.IsDBNull(3));
            else Assert.Equal(rows.Value[row], reader.GetFloat(3));
            Assert.Equal(rows.Label[row] switch { 1 => "spike", 2 => "drift", _ => "" }, reader.GetString(4));
            row++;
        }
        Assert.Equal(n, row);
    }
}
