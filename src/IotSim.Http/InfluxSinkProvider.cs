using IotSim.Core.Scenarios;
using IotSim.Core.Sinks;

namespace IotSim.Http;

/// <summary>The <c>influx</c> sink type: register it with <c>registry.Register(new InfluxSinkProvider())</c>.</summary>
public sealed class InfluxSinkProvider : ISinkProvider
{
    private const string Key = "sinks[].";

#pragma warning disable CS1591 // The descriptions document each option.
    public static readonly OptionSpec Url = new() { Key = Key + "url", Kind = OptionKind.Text, MaxLength = 4096, Description = "Base URL of the server, e.g. http://127.0.0.1:8086 (InfluxDB), http://127.0.0.1:8428 (VictoriaMetrics), http://127.0.0.1:9000 (QuestDB)." };
    public static readonly OptionSpec Flavor = new() { Default = "influxdb1", Noun = "server type", Key = Key + "server", Kind = OptionKind.Choice, Choices = ["influxdb1", "influxdb2", "victoriametrics", "questdb"], Description = "influxdb1: /write?db=; influxdb2 (also 3.x): /api/v2/write?org=&bucket= with a token; victoriametrics and questdb: /write." };
    public static readonly OptionSpec Database = new() { Default = "iotsim", Key = Key + "database", Kind = OptionKind.Name, Description = "InfluxDB 1.x database (created at start unless create_database is false)." };
    public static readonly OptionSpec CreateDatabase = new() { Default = "true", Key = Key + "create_database", Kind = OptionKind.Boolean, Description = "InfluxDB 1.x: CREATE DATABASE at start (idempotent)." };
    public static readonly OptionSpec Org = new() { Key = Key + "org", Kind = OptionKind.Text, MaxLength = 256, Description = "InfluxDB 2.x/3.x organisation." };
    public static readonly OptionSpec Bucket = new() { Key = Key + "bucket", Kind = OptionKind.Text, MaxLength = 256, Description = "InfluxDB 2.x/3.x bucket." };
    public static readonly OptionSpec Token = new() { Key = Key + "token", Kind = OptionKind.Text, MaxLength = 4096, Description = "InfluxDB 2.x/3.x token (a bearer token for other servers); write ${NAME} to read it from the environment. Never printed." };
    public static readonly OptionSpec Username = new() { Key = Key + "username", Kind = OptionKind.Text, MaxLength = 256, Description = "InfluxDB 1.x user (basic authentication)." };
    public static readonly OptionSpec Password = new() { Key = Key + "password", Kind = OptionKind.Text, MaxLength = 4096, Description = "InfluxDB 1.x password; ${NAME} reads it from the environment. Never printed." };
    public static readonly OptionSpec Precision = new() { Default = "ns", Noun = "precision", Key = Key + "precision", Kind = OptionKind.Choice, Choices = ["ns", "us", "ms", "s"], Description = "Timestamp unit of the points." };
    public static readonly OptionSpec Measurement = new() { Default = "industry", Key = Key + "measurement", Kind = OptionKind.Name, Description = "industry (one measurement per industry), sensor_type, or a fixed measurement name; wide rows use the fleet's one industry, else 'readings', unless a name is given." };
    public static readonly OptionSpec Gzip = new() { Default = "false", Key = Key + "gzip", Kind = OptionKind.Boolean, Description = "Gzip request bodies (Content-Encoding: gzip)." };
    public static readonly OptionSpec Timeout = new() { Default = "30s", Key = Key + "timeout", Kind = OptionKind.Duration, MinDuration = TimeSpan.FromMilliseconds(100), MaxDuration = TimeSpan.FromHours(1), Description = "How long one request may take." };
#pragma warning restore CS1591

    /// <inheritdoc/>
    public string Type => "influx";

    /// <inheritdoc/>
    public string Description => "InfluxDB line protocol over HTTP to InfluxDB 1.x/2.x/3.x, VictoriaMetrics or QuestDB; parallel requests, gzip; 429/503 honour Retry-After, other 4xx fail at once with the server's message; a retried batch resumes after its last accepted request.";

    /// <inheritdoc/>
    public IReadOnlyList<OptionSpec> Options { get; } = [Url, Flavor, Database, CreateDatabase, Org, Bucket, Token, Username, Password, Precision, Measurement, Gzip, Timeout];

    /// <inheritdoc/>
    public SinkCapabilities Capabilities { get; } = new(Ordered: false, ParallelWriters: true, []);

    /// <inheritdoc/>
    public IReadingSink Create(SinkOptions options, SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        string url = options.Setting("url") ?? throw context.Error(options, "url", "an influx sink needs the server's url, e.g. url: http://127.0.0.1:8086");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw context.Error(options, "url", $"'{Core.Util.Excerpt.Of(url)}' is not an http:// or https:// URL");
        }
        InfluxFlavor flavor = SinkSettings.Choice(options, context, Flavor) switch
        {
            "influxdb2" => InfluxFlavor.InfluxDB2,
            "victoriametrics" => InfluxFlavor.VictoriaMetrics,
            "questdb" => InfluxFlavor.QuestDB,
            _ => InfluxFlavor.InfluxDB1,
        };
        var typed = new InfluxSinkOptions
        {
            Name = options.Name ?? Type,
            Url = uri,
            Flavor = flavor,
            Database = options.Setting("database") ?? "iotsim",
            CreateDatabase = SinkSettings.Boolean(options, context, CreateDatabase) ?? true,
            Org = options.Setting("org"),
            Bucket = options.Setting("bucket"),
            Token = SinkSettings.Secret(options, context, Token),
            Username = options.Setting("username"),
            Password = SinkSettings.Secret(options, context, Password),
            Precision = SinkSettings.Choice(options, context, Precision) ?? "ns",
            Measurement = options.Setting("measurement") ?? "industry",
            Gzip = SinkSettings.Boolean(options, context, Gzip) ?? false,
            ReadingsPerRequest = options.BatchSize ?? 50_000,
            Timeout = SinkSettings.Duration(options, context, Timeout) ?? TimeSpan.FromSeconds(30),
        };
        if (flavor == InfluxFlavor.InfluxDB2 && (typed.Org is null || typed.Bucket is null))
        {
            throw context.Error(options, typed.Org is null ? "org" : "bucket", "server: influxdb2 needs org and bucket (and a token)");
        }
        return new InfluxSink(typed);
    }
}
