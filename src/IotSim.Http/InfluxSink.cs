using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using IotSim.Core.Encoders;
using IotSim.Core.Simulation;
using IotSim.Core.Sinks;

namespace IotSim.Http;

/// <summary>Which server an influx sink writes to: it decides the write path and the credentials.</summary>
public enum InfluxFlavor
{
    /// <summary>InfluxDB 1.x: <c>POST /write?db=…</c>.</summary>
    InfluxDB1,

    /// <summary>InfluxDB 2.x and 3.x: <c>POST /api/v2/write?org=…&amp;bucket=…</c> with <c>Authorization: Token …</c>.</summary>
    InfluxDB2,

    /// <summary>VictoriaMetrics: <c>POST /write</c>.</summary>
    VictoriaMetrics,

    /// <summary>QuestDB: <c>POST /write</c>.</summary>
    QuestDB,
}

/// <summary>Settings of an <see cref="InfluxSink"/>.</summary>
public sealed record InfluxSinkOptions
{
    /// <summary>Name in reports.</summary>
    public string Name { get; init; } = "influx";

    /// <summary>Base URL of the server, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>The server type.</summary>
    public InfluxFlavor Flavor { get; init; } = InfluxFlavor.InfluxDB1;

    /// <summary>InfluxDB 1.x database.</summary>
    public string Database { get; init; } = "iotsim";

    /// <summary>InfluxDB 1.x: create the database at start (CREATE DATABASE is idempotent).</summary>
    public bool CreateDatabase { get; init; } = true;

    /// <summary>InfluxDB 2.x/3.x organisation.</summary>
    public string? Org { get; init; }

    /// <summary>InfluxDB 2.x/3.x bucket.</summary>
    public string? Bucket { get; init; }

    /// <summary>InfluxDB 2.x/3.x token, or a bearer token for a proxy (secret: never printed).</summary>
    public string? Token { get; init; }

    /// <summary>InfluxDB 1.x user name and password (secret), sent as basic authentication when set.</summary>
    public string? Username { get; init; }

    /// <inheritdoc cref="Username"/>
    public string? Password { get; init; }

    /// <summary>Timestamp unit: ns, us, ms or s.</summary>
    public string Precision { get; init; } = "ns";

    /// <summary>Measurement: <c>industry</c>, <c>sensor_type</c> or a fixed name.</summary>
    public string Measurement { get; init; } = "industry";

    /// <summary>Gzip the request bodies.</summary>
    public bool Gzip { get; init; }

    /// <summary>Readings per request.</summary>
    public int ReadingsPerRequest { get; init; } = 50_000;

    /// <summary>Request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait a 429/503 Retry-After is honoured with.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Writes InfluxDB line protocol over HTTP, in requests of about <see cref="InfluxSinkOptions.ReadingsPerRequest"/>
/// readings (gzip optional). Concurrent writers (the runner's parallelism) each send their own requests. A 2xx
/// answer delivers the request's readings; 429 and 503 wait as the server's Retry-After asks and are retried; any
/// other 4xx fails the sink at once with the server's message (retrying would repeat it); other failures are
/// retried. A retried batch resumes after its last accepted request, so nothing is sent twice.
/// </summary>
public sealed class InfluxSink : IReadingSink
{
    private readonly InfluxSinkOptions _options;
    private readonly ConcurrentDictionary<long, int> _acceptedRequests = new();
    private readonly ConcurrentBag<LineProtocolWriter> _writers = [];
    private readonly HttpClient _http;
    private readonly Uri _writeUri;
    private Fleet? _fleet;
    private long _delivered;

    /// <summary>A sink with <paramref name="options"/>; <paramref name="handler"/> replaces the default HTTP handler (tests, proxies).</summary>
    public InfluxSink(InfluxSinkOptions options, HttpMessageHandler? handler = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = new HttpClient(handler ?? new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.Timeout,
        };
        string precision = Uri.EscapeDataString(options.Precision);
        string path = options.Flavor switch
        {
            InfluxFlavor.InfluxDB1 => $"write?db={Uri.EscapeDataString(options.Database)}&precision={precision}",
            InfluxFlavor.InfluxDB2 => $"api/v2/write?org={Uri.EscapeDataString(options.Org ?? "")}&bucket={Uri.EscapeDataString(options.Bucket ?? "")}&precision={precision}",
            _ => $"write?precision={precision}",
        };
        _writeUri = new Uri(BaseOf(options.Url), path);
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <inheritdoc/>
    public long? ConfirmedReadings => Interlocked.Read(ref _delivered);

    /// <inheritdoc/>
    public string? Location => $"{Redacted}: {ConfirmedReadings:N0} readings accepted";

    /// <summary>The write URL without credentials or query.</summary>
    public string Redacted => new UriBuilder(_writeUri) { UserName = "", Password = "", Query = "" }.Uri.GetLeftPart(UriPartial.Path);

    private static Uri BaseOf(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    /// <inheritdoc/>
    public async ValueTask OpenAsync(Fleet fleet, CancellationToken cancellationToken)
    {
        _fleet = fleet ?? throw new ArgumentNullException(nameof(fleet));
        try
        {
            if (_options.Flavor == InfluxFlavor.InfluxDB1 && _options.CreateDatabase)
            {
                using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseOf(_options.Url), "query"))
                {
                    Content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{_options.Database.Replace("\"", "\\\"", StringComparison.Ordinal)}\"")]),
                };
                Authorize(create);
                using HttpResponseMessage r = await _http.SendAsync(create, cancellationToken).ConfigureAwait(false);
                if (!r.IsSuccessStatusCode) throw await FailureAsync(r, "CREATE DATABASE", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                string probe = _options.Flavor is InfluxFlavor.VictoriaMetrics ? "health" : "ping";
                using var ping = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseOf(_options.Url), probe));
                Authorize(ping);
                using HttpResponseMessage r = await _http.SendAsync(ping, cancellationToken).ConfigureAwait(false);
                if ((int)r.StatusCode >= 500) throw new IOException($"{Name}: {_options.Url.GetLeftPart(UriPartial.Authority)} answers {(int)r.StatusCode} {r.ReasonPhrase}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{Name}: cannot reach {_options.Url.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{Name}: {_options.Url.GetLeftPart(UriPartial.Authority)} did not answer within {_options.Timeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Fleet fleet = _fleet ?? throw new InvalidOperationException($"{Name}: WriteAsync before OpenAsync");
        if (!_writers.TryTake(out LineProtocolWriter? writer)) writer = new LineProtocolWriter(fleet, _options.Measurement, _options.Precision);
        var body = new ArrayBufferWriter<byte>(1 << 20);
        try
        {
            int done = _acceptedRequests.GetValueOrDefault(batch.Sequence);
            int request = 0;
            long readings = 0;
            for (int i = 0; i < batch.SegmentCount; i++)
            {
                BatchSegment segment = batch.Segments[i];
                int per = fleet.Groups[segment.Group].SensorsPerDevice;
                // Small device steps, so a request ends close to the reading limit.
                int step = Math.Max(1, Math.Min(4096, _options.ReadingsPerRequest) / per) * per;
                for (int from = 0; from < segment.ChannelCount; from += step)
                {
                    readings += writer.Write(batch, segment, from, Math.Min(step, segment.ChannelCount - from), body);
                    if (readings >= _options.ReadingsPerRequest)
                    {
                        await SendAsync(batch.Sequence, request++, done, body, readings, cancellationToken).ConfigureAwait(false);
                        readings = 0;
                    }
                }
            }
            if (body.WrittenCount > 0) await SendAsync(batch.Sequence, request, done, body, readings, cancellationToken).ConfigureAwait(false);
            _acceptedRequests.TryRemove(batch.Sequence, out _);
        }
        finally
        {
            _writers.Add(writer);
        }
    }

    private async Task SendAsync(long sequence, int request, int done, ArrayBufferWriter<byte> body, long readings, CancellationToken cancellationToken)
    {
        try
        {
            if (request < done) return; // accepted before this batch was retried
            await PostAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _acceptedRequests[sequence] = request + 1;
            Interlocked.Add(ref _delivered, readings);
        }
        finally
        {
            body.ResetWrittenCount();
        }
    }

    private async Task PostAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        HttpContent content;
        if (_options.Gzip)
        {
            var compressed = new MemoryStream(lines.Length / 4 + 1024);
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            }
            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(lines);
        }
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, _writeUri) { Content = content };
        Authorize(message);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{Name}: {Redacted}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{Name}: {Redacted} did not answer within {_options.Timeout.TotalSeconds:0.#} s", e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return;
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                TimeSpan wait = RetryAfter(response) ?? TimeSpan.Zero;
                if (wait > TimeSpan.Zero) await Task.Delay(wait < _options.MaxRetryAfter ? wait : _options.MaxRetryAfter, cancellationToken).ConfigureAwait(false);
                throw new IOException($"{Name}: {Redacted} answered {(int)response.StatusCode} (busy{(wait > TimeSpan.Zero ? $", waited {wait.TotalSeconds:0.#} s as Retry-After asked" : "")})");
            }
            throw await FailureAsync(response, "write", cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } r ? r.Delta ?? (r.Date is { } date ? date - DateTimeOffset.UtcNow : null) : null;

    /// <summary>4xx: the server will refuse the same request again (permanent); 5xx: worth a retry.</summary>
    private async Task<Exception> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        body = body.Length > 500 ? body[..500] + "…" : body;
        string message = $"{Name}: {what} to {Redacted} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body.Trim()}";
        return (int)response.StatusCode is >= 400 and < 500 ? new PermanentSinkException(message) : new IOException(message);
    }

    private void Authorize(HttpRequestMessage message)
    {
        if (_options.Token is { Length: > 0 } token)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue(_options.Flavor == InfluxFlavor.InfluxDB2 ? "Token" : "Bearer", token);
        }
        else if (_options.Username is { Length: > 0 } user)
        {
            string pair = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{_options.Password}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
