using System.Text;
using IotSim.Cli;

namespace IotSim.Postgres.Tests;

/// <summary><c>iotsim run</c> with a postgres sink: secrets from the environment, exit codes, nothing printed that holds the password.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCommandTests(PostgresServer server)
{
    private static async Task<(int Code, string Error)> RunAsync(string yaml, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string path = Path.Combine(Path.GetTempPath(), "iotsim-pg-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(path, yaml);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            using var console = new MemoryStream();
            int code = await CliApp.RunAsync(["run", path, .. args], output, error, console, environment: name => environment.GetValueOrDefault(name));
            return (code, error + output.ToString() + Encoding.UTF8.GetString(console.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private string Yaml(string database, string extra = "") => $"""
        fleet: {"{"} industries: [environmental], devices: 10, interval: 1s {"}"}
        time: {"{"} start: 2026-02-01T00:00:00Z, duration: 1m {"}"}
        sinks:
          - type: postgres
            connection: "Host=127.0.0.1;Port={server.Port};Username=postgres;Password=${"{"}PGPASS{"}"};Database={database}"
        {extra}
        """;

    [Fact]
    public async Task Run_WithThePasswordFromTheEnvironment_WritesEveryReading()
    {
        string db = await server.CreateDatabaseAsync();
        var (code, text) = await RunAsync(Yaml(db), new Dictionary<string, string> { ["PGPASS"] = PostgresServer.Password });
        Assert.Equal(0, code);
        Assert.Matches(@"postgres\s+3,000\s+3,000\s+0\s+0", text);
        Assert.Equal(["3000"], await server.QueryAsync("SELECT count(*) FROM readings", db));
        Assert.DoesNotContain(PostgresServer.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnUnsetVariable_IsBadInput_NamingTheVariable()
    {
        string db = await server.CreateDatabaseAsync();
        var (code, text) = await RunAsync(Yaml(db), new Dictionary<string, string>());
        Assert.Equal(2, code);
        Assert.Contains("sinks[0].connection", text, StringComparison.Ordinal);
        Assert.Contains("the environment variable PGPASS is not set", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAWrongPassword_ExitsOne_WithoutPrintingIt()
    {
        string db = await server.CreateDatabaseAsync();
        var (code, text) = await RunAsync(Yaml(db), new Dictionary<string, string> { ["PGPASS"] = "wrong-secret-123" });
        Assert.Equal(1, code);
        Assert.Contains("authentication failed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAMismatchedTable_IsBadInput_AndWritesNothing()
    {
        string db = await server.CreateDatabaseAsync();
        await server.ExecuteAsync("CREATE TABLE readings (time timestamptz, device text)", db);
        var (code, text) = await RunAsync(Yaml(db), new Dictionary<string, string> { ["PGPASS"] = PostgresServer.Password });
        Assert.Equal(2, code);
        Assert.Contains("column device_id (text) is missing", text, StringComparison.Ordinal);
        Assert.Equal(["0"], await server.QueryAsync("SELECT count(*) FROM readings", db));
    }
}
