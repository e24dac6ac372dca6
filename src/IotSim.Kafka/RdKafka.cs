using System.Runtime.InteropServices;

namespace IotSim.Kafka;

/// <summary>
/// librdkafka's C producer API, bound by hand to the same native library Confluent.Kafka loads. Written by hand
/// because it is the hot path: Confluent.Kafka's managed <c>Produce</c> costs about 1 µs a message (a
/// <c>Message</c>, its byte arrays and a delivery handler per call), where <c>rd_kafka_produce_batch</c> takes a
/// whole array of messages in one call and delivery reports are counted by an unmanaged callback. Function
/// pointers are resolved once from the loaded library, so NativeAOT needs no marshalling stubs.
/// </summary>
internal static unsafe class RdKafka
{
    public const int Producer = 0;
    public const int PartitionUnassigned = -1;
    public const int MsgFlagCopy = 0x2;
    public const int QueueFull = -184; // RD_KAFKA_RESP_ERR__QUEUE_FULL
    public const int Fatal = -150; // RD_KAFKA_RESP_ERR__FATAL

    // rd_kafka_vtype_t
    public const int VTypeRkt = 2;
    public const int VTypeValue = 4;
    public const int VTypeKey = 5;
    public const int VTypeOpaque = 6;
    public const int VTypeMsgFlags = 7;
    public const int VTypeHeaders = 10;

    private static nint s_library;

    public static delegate* unmanaged<nint> ConfNew;
    public static delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int> ConfSet;
    public static delegate* unmanaged<nint, void> ConfDestroy;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, Message*, nint, void>, void> ConfSetDrMsgCb;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, int, byte*, nint, void>, void> ConfSetErrorCb;
    public static delegate* unmanaged<nint, nint, void> ConfSetOpaque;
    public static delegate* unmanaged<int, nint, byte*, nuint, nint> New;
    public static delegate* unmanaged<nint, void> Destroy;
    public static delegate* unmanaged<nint, byte*, nint, nint> TopicNew;
    public static delegate* unmanaged<nint, void> TopicDestroy;
    public static delegate* unmanaged<nint, int, int, Message*, int, int> ProduceBatch;
    public static delegate* unmanaged<nint, VarUnion*, nuint, nint> ProduceVa;
    public static delegate* unmanaged<nint, int> ErrorCode;
    public static delegate* unmanaged<nint, void> ErrorDestroy;
    public static delegate* unmanaged<nint, int, int> Poll;
    public static delegate* unmanaged<nint, int, int> Flush;
    public static delegate* unmanaged<nint, int> OutqLen;
    public static delegate* unmanaged<int, byte*> Err2Str;
    public static delegate* unmanaged<nint, byte*, nuint, int> FatalError;
    public static delegate* unmanaged<nuint, nint> HeadersNew;
    public static delegate* unmanaged<nint, byte*, nint, byte*, nint, int> HeaderAdd;
    public static delegate* unmanaged<nint, nint> HeadersCopy;
    public static delegate* unmanaged<nint, void> HeadersDestroy;

    /// <summary>Resolves the functions from the loaded library <paramref name="lib"/> (once).</summary>
    public static void Bind(nint lib)
    {
        if (s_library != 0) return;
        ConfNew = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "rd_kafka_conf_new");
        ConfSet = (delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int>)NativeLibrary.GetExport(lib, "rd_kafka_conf_set");
        ConfDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_conf_destroy");
        ConfSetDrMsgCb = (delegate* unmanaged<nint, delegate* unmanaged<nint, Message*, nint, void>, void>)NativeLibrary.GetExport(lib, "rd_kafka_conf_set_dr_msg_cb");
        ConfSetErrorCb = (delegate* unmanaged<nint, delegate* unmanaged<nint, int, byte*, nint, void>, void>)NativeLibrary.GetExport(lib, "rd_kafka_conf_set_error_cb");
        ConfSetOpaque = (delegate* unmanaged<nint, nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_conf_set_opaque");
        New = (delegate* unmanaged<int, nint, byte*, nuint, nint>)NativeLibrary.GetExport(lib, "rd_kafka_new");
        Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_destroy");
        TopicNew = (delegate* unmanaged<nint, byte*, nint, nint>)NativeLibrary.GetExport(lib, "rd_kafka_topic_new");
        TopicDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_topic_destroy");
        ProduceBatch = (delegate* unmanaged<nint, int, int, Message*, int, int>)NativeLibrary.GetExport(lib, "rd_kafka_produce_batch");
        ProduceVa = (delegate* unmanaged<nint, VarUnion*, nuint, nint>)NativeLibrary.GetExport(lib, "rd_kafka_produceva");
        ErrorCode = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "rd_kafka_error_code");
        ErrorDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_error_destroy");
        Poll = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(lib, "rd_kafka_poll");
        Flush = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(lib, "rd_kafka_flush");
        OutqLen = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "rd_kafka_outq_len");
        Err2Str = (delegate* unmanaged<int, byte*>)NativeLibrary.GetExport(lib, "rd_kafka_err2str");
        FatalError = (delegate* unmanaged<nint, byte*, nuint, int>)NativeLibrary.GetExport(lib, "rd_kafka_fatal_error");
        HeadersNew = (delegate* unmanaged<nuint, nint>)NativeLibrary.GetExport(lib, "rd_kafka_headers_new");
        HeaderAdd = (delegate* unmanaged<nint, byte*, nint, byte*, nint, int>)NativeLibrary.GetExport(lib, "rd_kafka_header_add");
        HeadersCopy = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(lib, "rd_kafka_headers_copy");
        HeadersDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "rd_kafka_headers_destroy");
        s_library = lib;
    }

    /// <summary>librdkafka's text for an error code.</summary>
    public static string ErrorText(int code) => Marshal.PtrToStringUTF8((nint)Err2Str(code)) ?? $"error {code}";

    /// <summary><c>rd_kafka_message_t</c> (x64 and arm64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Message
    {
        public int Err;
        public nint Rkt;
        public int Partition;
        public byte* Payload;
        public nuint Len;
        public byte* Key;
        public nuint KeyLen;
        public long Offset;
        public nint Private;
    }

    /// <summary><c>rd_kafka_vu_t</c>: a type tag and a 64-byte value union.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 72)]
    public struct VarUnion
    {
        [FieldOffset(0)] public int Type;
        [FieldOffset(8)] public nint A;
        [FieldOffset(16)] public nint B;
        [FieldOffset(24)] public nint C;

        public static VarUnion Of(int type, nint a, nint b = 0, nint c = 0) => new() { Type = type, A = a, B = b, C = c };
    }

    /// <summary>Counters shared with the delivery-report callback (in native memory, so the callback needs no handle).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Counters
    {
        public long DeliveredReadings;
        public long FailedReadings;
        public int FirstFailure;
        public int ErrorLength;
        public fixed byte LastError[512];
    }

    /// <summary>
    /// Delivery report: <c>_private</c> carries the message's reading count (1 for a reading per message, more for
    /// device rows and frames), counted into delivered or failed.
    /// </summary>
    [UnmanagedCallersOnly]
    public static void OnDelivery(nint rk, Message* message, nint opaque)
    {
        var counters = (Counters*)opaque;
        long readings = message->Private;
        if (message->Err == 0)
        {
            Interlocked.Add(ref counters->DeliveredReadings, readings);
        }
        else
        {
            Interlocked.CompareExchange(ref counters->FirstFailure, message->Err, 0);
            Interlocked.Add(ref counters->FailedReadings, readings);
        }
    }

    /// <summary>Client-level errors (brokers down, authentication, fatal idempotence errors): the last reason is kept for reports.</summary>
    [UnmanagedCallersOnly]
    public static void OnError(nint rk, int err, byte* reason, nint opaque)
    {
        var counters = (Counters*)opaque;
        ReadOnlySpan<byte> text = reason is null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(reason);
        int length = Math.Min(text.Length, 511);
        text[..length].CopyTo(new Span<byte>(counters->LastError, 512));
        Volatile.Write(ref counters->ErrorLength, length);
    }
}
