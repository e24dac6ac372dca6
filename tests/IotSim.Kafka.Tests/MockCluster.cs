using System.Runtime.InteropServices;
using System.Text;

namespace IotSim.Kafka.Tests;

/// <summary>
/// librdkafka's mock cluster: real Kafka-protocol brokers inside librdkafka, started through its C API (the same
/// library Confluent.Kafka loads), listening on 127.0.0.1. Producers and consumers connect to <see cref="Bootstraps"/>.
/// </summary>
public sealed unsafe class MockCluster : IDisposable
{
    private readonly nint _library;
    private readonly nint _handle;
    private readonly nint _cluster;

    public MockCluster()
    {
        KafkaSink.LoadNativeLibrary();
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so");
        _library = NativeLibrary.Load(path);
        var confNew = (delegate* unmanaged<nint>)NativeLibrary.GetExport(_library, "rd_kafka_conf_new");
        var kafkaNew = (delegate* unmanaged<int, nint, byte*, nuint, nint>)NativeLibrary.GetExport(_library, "rd_kafka_new");
        var clusterNew = (delegate* unmanaged<nint, int, nint>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_new");
        var bootstraps = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_bootstraps");
        byte* error = stackalloc byte[512];
        _handle = kafkaNew(0, confNew(), error, 512);
        if (_handle == 0) throw new InvalidOperationException("rd_kafka_new: " + Marshal.PtrToStringUTF8((nint)error));
        _cluster = clusterNew(_handle, 3);
        if (_cluster == 0) throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        Bootstraps = Marshal.PtrToStringUTF8(bootstraps(_cluster))!;
    }

    public string Bootstraps { get; }

    /// <summary>Creates a topic (the mock broker keeps about 5 MiB per partition, so tests use several).</summary>
    public void CreateTopic(string topic, int partitions)
    {
        var create = (delegate* unmanaged<nint, byte*, int, int, int>)NativeLibrary.GetExport(_library, "rd_kafka_mock_topic_create");
        byte[] name = Encoding.UTF8.GetBytes(topic + "\0");
        fixed (byte* p = name)
        {
            int err = create(_cluster, p, partitions, 1);
            if (err != 0) throw new InvalidOperationException($"rd_kafka_mock_topic_create: error {err}");
        }
    }

    /// <summary>Takes broker <paramref name="id"/> (1-based) down or brings it up (<c>rd_kafka_mock_broker_set_down/up</c>).</summary>
    public void SetBroker(int id, bool up)
    {
        var set = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(_library, up ? "rd_kafka_mock_broker_set_up" : "rd_kafka_mock_broker_set_down");
        int err = set(_cluster, id);
        if (err != 0) throw new InvalidOperationException($"rd_kafka_mock_broker_set_{(up ? "up" : "down")}({id}): error {err}");
    }

    public void Dispose()
    {
        ((delegate* unmanaged<nint, void>)NativeLibrary.GetExport(_library, "rd_kafka_mock_cluster_destroy"))(_cluster);
        ((delegate* unmanaged<nint, void>)NativeLibrary.GetExport(_library, "rd_kafka_destroy"))(_handle);
    }
}
