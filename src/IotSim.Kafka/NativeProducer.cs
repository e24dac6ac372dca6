using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace IotSim.Kafka;

/// <summary>
/// A librdkafka producer handle driven through <see cref="RdKafka"/>: configuration checked property by property
/// with librdkafka's own messages, messages handed over in arrays (<c>rd_kafka_produce_batch</c>) or one by one
/// with headers (<c>rd_kafka_produceva</c>), payloads copied by librdkafka, a full queue waited out (never
/// dropped), and delivery reports counted in readings by an unmanaged callback. Not thread-safe: one writer.
/// </summary>
internal sealed unsafe class NativeProducer : IDisposable
{
    private readonly nint _rk;
    private readonly RdKafka.Counters[] _counterBox;
    private readonly RdKafka.Counters* _counters;
    private readonly Lock _handleLock = new();
    private bool _disposed;
    private readonly Dictionary<string, nint> _topics = new(StringComparer.Ordinal);
    private readonly RdKafka.VarUnion* _vus;
    private readonly nint _headers;
    private long _rejectedReadings;
    private int _rejectedError;

    /// <summary>Vus before the headers: topic, value, key, opaque (reading count), flags.</summary>
    private const int FixedVus = 5;

    private NativeProducer(nint rk, RdKafka.Counters[] counterBox, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _rk = rk;
        // The counters live in a pinned array owned by this object: readers on other threads (run reports) may read
        // them after Dispose, and the array lives as long as they hold the producer.
        _counterBox = counterBox;
        _counters = (RdKafka.Counters*)Unsafe.AsPointer(ref counterBox[0]);
        // The produceva template: fixed entries, then the headers.
        _vus = (RdKafka.VarUnion*)NativeMemory.AllocZeroed((nuint)((FixedVus + 1) * sizeof(RdKafka.VarUnion)));
        _vus[4] = RdKafka.VarUnion.Of(RdKafka.VTypeMsgFlags, RdKafka.MsgFlagCopy);
        if (headers.Count > 0)
        {
            _headers = RdKafka.HeadersNew((nuint)headers.Count);
            foreach (var (name, text) in headers)
            {
                byte[] n = Encoding.UTF8.GetBytes(name);
                byte[] v = Encoding.UTF8.GetBytes(text);
                fixed (byte* pn = n)
                fixed (byte* pv = v)
                {
                    RdKafka.HeaderAdd(_headers, pn, n.Length, pv, v.Length);
                }
            }
        }
    }

    /// <summary>
    /// Creates the producer. A property librdkafka refuses throws <see cref="ArgumentException"/> with librdkafka's
    /// message (naming the property and, for enumerations, the allowed values).
    /// </summary>
    public static NativeProducer Create(IEnumerable<KeyValuePair<string, string>> properties, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        nint conf = RdKafka.ConfNew();
        byte* error = stackalloc byte[512];
        foreach (var (name, value) in properties)
        {
            fixed (byte* n = Encoding.UTF8.GetBytes(name + "\0"))
            fixed (byte* v = Encoding.UTF8.GetBytes(value + "\0"))
            {
                if (RdKafka.ConfSet(conf, n, v, error, 512) != 0)
                {
                    RdKafka.ConfDestroy(conf);
                    throw new ArgumentException(Marshal.PtrToStringUTF8((nint)error));
                }
            }
        }
        RdKafka.Counters[] box = GC.AllocateArray<RdKafka.Counters>(1, pinned: true);
        RdKafka.ConfSetOpaque(conf, (nint)Unsafe.AsPointer(ref box[0]));
        RdKafka.ConfSetDrMsgCb(conf, &RdKafka.OnDelivery);
        RdKafka.ConfSetErrorCb(conf, &RdKafka.OnError);
        nint rk = RdKafka.New(RdKafka.Producer, conf, error, 512);
        if (rk == 0)
        {
            RdKafka.ConfDestroy(conf);
            throw new ArgumentException(Marshal.PtrToStringUTF8((nint)error));
        }
        return new NativeProducer(rk, box, headers);
    }

    /// <summary>Readings in messages the brokers acknowledged.</summary>
    public long DeliveredReadings => Interlocked.Read(ref _counters->DeliveredReadings);

    /// <summary>Readings in messages that failed: in a delivery report or refused when handed over.</summary>
    public long FailedReadings => Interlocked.Read(ref _counters->FailedReadings) + Interlocked.Read(ref _rejectedReadings);

    /// <summary>Messages librdkafka still holds (queued, in flight or awaiting their report).</summary>
    public int Outstanding
    {
        get
        {
            lock (_handleLock) return _disposed ? 0 : RdKafka.OutqLen(_rk);
        }
    }

    /// <summary>Why messages failed (the first failure), with the client's last error, or null.</summary>
    public string? FailureReason
    {
        get
        {
            int code = _counters->FirstFailure != 0 ? _counters->FirstFailure : _rejectedError;
            string? last = LastClientError;
            if (code == RdKafka.Fatal) return FatalReason() ?? RdKafka.ErrorText(code);
            return code == 0 ? last : RdKafka.ErrorText(code) + (last is null ? "" : $" (last client error: {last})");
        }
    }

    /// <summary>The last error librdkafka reported for the client (brokers down, authentication...), or null.</summary>
    public string? LastClientError
    {
        get
        {
            int length = Volatile.Read(ref _counters->ErrorLength);
            return length == 0 ? null : Encoding.UTF8.GetString(new ReadOnlySpan<byte>(_counters->LastError, length));
        }
    }

    /// <summary>The topic handle of <paramref name="name"/> (created once).</summary>
    public nint Topic(string name)
    {
        if (_topics.TryGetValue(name, out nint rkt)) return rkt;
        fixed (byte* n = Encoding.UTF8.GetBytes(name + "\0"))
        {
            rkt = RdKafka.TopicNew(_rk, n, 0);
        }
        if (rkt == 0) throw new ArgumentException($"librdkafka refuses topic '{name}'");
        _topics[name] = rkt;
        return rkt;
    }

    /// <summary>
    /// Hands <paramref name="messages"/> (payloads and keys copied by librdkafka, <c>Private</c> = reading count) to
    /// topic <paramref name="rkt"/>, waiting while the queue is full. Messages librdkafka refuses for another reason
    /// (too large, fatal error) are counted as failed.
    /// </summary>
    public void ProduceBatch(nint rkt, Span<RdKafka.Message> messages, CancellationToken cancellationToken)
    {
        fixed (RdKafka.Message* all = messages)
        {
            int from = 0;
            while (from < messages.Length)
            {
                int count = messages.Length - from;
                int good = RdKafka.ProduceBatch(rkt, RdKafka.PartitionUnassigned, RdKafka.MsgFlagCopy, all + from, count);
                if (good == count) break;
                // A full queue fails the rest of the array (librdkafka stops at the first QUEUE_FULL): serve delivery
                // reports to make room and go on from the first refused message. Other errors are per message.
                int next = from + count;
                for (int i = from; i < from + count; i++)
                {
                    int err = all[i].Err;
                    if (err == RdKafka.QueueFull)
                    {
                        next = i;
                        break;
                    }
                    if (err != 0) Reject(err, all[i].Private);
                }
                from = next;
                if (from < messages.Length)
                {
                    RdKafka.Poll(_rk, 10);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        RdKafka.Poll(_rk, 0);
    }

    /// <summary>Hands one message over with the producer's headers, waiting while the queue is full.</summary>
    public void Produce(nint rkt, ReadOnlySpan<byte> value, ReadOnlySpan<byte> key, long readings, CancellationToken cancellationToken)
    {
        fixed (byte* v = value)
        fixed (byte* k = key)
        {
            RdKafka.VarUnion* vus = _vus;
            vus[0] = RdKafka.VarUnion.Of(RdKafka.VTypeRkt, rkt);
            vus[1] = RdKafka.VarUnion.Of(RdKafka.VTypeValue, (nint)v, value.Length);
            vus[2] = key.IsEmpty ? RdKafka.VarUnion.Of(RdKafka.VTypeKey, 0, 0) : RdKafka.VarUnion.Of(RdKafka.VTypeKey, (nint)k, key.Length);
            vus[3] = RdKafka.VarUnion.Of(RdKafka.VTypeOpaque, (nint)readings);
            while (true)
            {
                // librdkafka takes ownership of a message's headers when it accepts the message: each gets a copy.
                nint copy = _headers == 0 ? 0 : RdKafka.HeadersCopy(_headers);
                vus[5] = RdKafka.VarUnion.Of(RdKafka.VTypeHeaders, copy);
                nint error = RdKafka.ProduceVa(_rk, vus, (nuint)(FixedVus + (copy == 0 ? 0 : 1)));
                if (error == 0) break;
                if (copy != 0) RdKafka.HeadersDestroy(copy);
                int code = RdKafka.ErrorCode(error);
                RdKafka.ErrorDestroy(error);
                if (code != RdKafka.QueueFull)
                {
                    Reject(code, (nint)readings);
                    break;
                }
                RdKafka.Poll(_rk, 10);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Serves delivery reports without waiting.</summary>
    public void Poll() => RdKafka.Poll(_rk, 0);

    /// <summary>Waits up to <paramref name="timeout"/> for every message's delivery report; returns how many are still outstanding.</summary>
    public int Flush(TimeSpan timeout)
    {
        RdKafka.Flush(_rk, (int)Math.Min(timeout.TotalMilliseconds, int.MaxValue));
        return Outstanding;
    }

    private void Reject(int err, nint readings)
    {
        _rejectedReadings += readings;
        if (_rejectedError == 0) _rejectedError = err;
    }

    private string? FatalReason()
    {
        byte* text = stackalloc byte[512];
        lock (_handleLock)
        {
            return _disposed || RdKafka.FatalError(_rk, text, 512) == 0 ? null : Marshal.PtrToStringUTF8((nint)text);
        }
    }

    public void Dispose()
    {
        lock (_handleLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (nint rkt in _topics.Values) RdKafka.TopicDestroy(rkt);
        _topics.Clear();
        RdKafka.Destroy(_rk);
        if (_headers != 0) RdKafka.HeadersDestroy(_headers);
        NativeMemory.Free(_vus);
        GC.KeepAlive(_counterBox);
    }
}
