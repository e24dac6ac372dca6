using System.Runtime.InteropServices;
using System.Text;

namespace IotSim.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka-protocol brokers inside librdkafka, listening on 127.0.0.1, for
/// tests and trials without a Kafka installation (<c>iotsim kafka-mock</c>). Each partition keeps only a few MiB
/// (older batches are dropped), so it measures producers, not retention. Started through librdkafka's C API
/// (<c>rd_kafka_mock_cluster_new</c>) in the library the sink loads.
/// </summary>
public sealed unsafe class KafkaMockCluster : IDisposable
{
    private readonly nint _library;
    private readonly nint _handle;
    private readonly nint _cluster;
    private bool _disposed;

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers.</summary>
    public KafkaMockCluster(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        KafkaSink.LoadNativeLibrary();
        _library = KafkaSink.NativeLibraryHandle;
        var kafkaNew = (delegate* unmanaged<int, nint, byte*, nuint, nint>)NativeLibrary.GetExport(_library, "rd_kafka_new");
        var clusterNew = (delegate* unmanaged<nint, int, nint>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_new");
        var bootstraps = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_bootstraps");
        byte* error = stackalloc byte[512];
        nint conf = RdKafka.ConfNew();
        // The handle only hosts the cluster: no warning that it has no bootstrap servers of its own.
        fixed (byte* name = "log_level\0"u8)
        fixed (byte* level = "3\0"u8)
        {
            RdKafka.ConfSet(conf, name, level, error, 512);
        }
        _handle = kafkaNew(RdKafka.Producer, conf, error, 512);
        if (_handle == 0)
        {
            RdKafka.ConfDestroy(conf);
            throw new InvalidOperationException("rd_kafka_new: " + Marshal.PtrToStringUTF8((nint)error));
        }
        _cluster = clusterNew(_handle, brokers);
        if (_cluster == 0)
        {
            RdKafka.Destroy(_handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        Bootstraps = Marshal.PtrToStringUTF8(bootstraps(_cluster))!;
    }

    /// <summary>bootstrap.servers of the cluster.</summary>
    public string Bootstraps { get; }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions (topics are also created on first use, with 4).</summary>
    public void CreateTopic(string topic, int partitions)
    {
        var create = (delegate* unmanaged<nint, byte*, int, int, int>)NativeLibrary.GetExport(_library, "rd_kafka_mock_topic_create");
        fixed (byte* p = Encoding.UTF8.GetBytes(topic + "\0"))
        {
            int err = create(_cluster, p, partitions, 1);
            if (err != 0) throw new InvalidOperationException($"rd_kafka_mock_topic_create({topic}): {RdKafka.ErrorText(err)}");
        }
    }

    /// <summary>Takes broker <paramref name="id"/> (1-based) down or brings it up (<c>rd_kafka_mock_broker_set_down/up</c>).</summary>
    public void SetBroker(int id, bool up)
    {
        var set = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(_library, up ? "rd_kafka_mock_broker_set_up" : "rd_kafka_mock_broker_set_down");
        int err = set(_cluster, id);
        if (err != 0) throw new InvalidOperationException($"rd_kafka_mock_broker_set_{(up ? "up" : "down")}({id}): {RdKafka.ErrorText(err)}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ((delegate* unmanaged<nint, void>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_destroy"))(_cluster);
        RdKafka.Destroy(_handle);
    }
}
