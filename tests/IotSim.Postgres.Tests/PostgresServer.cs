using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IotSim.Postgres.Tests;

/// <summary>
/// A real PostgreSQL server from Debian's postgresql-15 package, made by initdb in a temporary folder and started with
/// pg_ctl on a free loopback port (fsync off: the tests are about IotSim, not the disk). Root runs it as the
/// postgres user, as the server refuses to run as root. Local socket connections are trusted; TCP needs the
/// password of the postgres role (scram-sha-256), so wrong passwords can be tested.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Password = "iotsim-secret-pw";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "iotsim-pg-" + Guid.NewGuid().ToString("N"));

    public int Port { get; } = FreePort();

    private string Data => Path.Combine(_root, "data");

    /// <summary>A connection string for database <paramref name="database"/> over TCP with the password.</summary>
    public string ConnectionString(string database = "postgres", string password = Password) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={password};Database={database};Timeout=5;Command Timeout=60";

    public static string BinDir { get; } = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault() ?? ""
        : "";

    public async Task InitializeAsync()
    {
        if (BinDir.Length == 0) throw new InvalidOperationException("PostgreSQL is not installed: run scripts/install-deps.sh (postgresql-15)");
        Directory.CreateDirectory(_root);
        if (Environment.UserName == "root") await RunAsync("chown", "postgres", _root).ConfigureAwait(false);
        string pwfile = Path.Combine(_root, "pw");
        await File.WriteAllTextAsync(pwfile, Password).ConfigureAwait(false);
        if (Environment.UserName == "root") await RunAsync("chown", "postgres", pwfile).ConfigureAwait(false);
        await PgAsync("initdb", "-D", Data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile", pwfile, "-E", "UTF8").ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    public async Task StartAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_root, "log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50", "start").ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            string log = File.Exists(Path.Combine(_root, "log")) ? string.Join('\n', File.ReadAllLines(Path.Combine(_root, "log")).TakeLast(10)) : "(no log)";
            throw new InvalidOperationException(e.Message + "\nserver log:\n" + log, e);
        }
    }

    /// <summary>Starts the server unless it runs.</summary>
    public async Task EnsureRunningAsync()
    {
        if (!File.Exists(Path.Combine(Data, "postmaster.pid"))) await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server at once (<c>pg_ctl stop -m fast</c>): open sessions are cut.</summary>
    public Task StopAsync() => PgAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs SQL and returns the first column of every row, as text.</summary>
    public async Task<List<string?>> QueryAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var result = new List<string?>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            result.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return result;
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>A fresh database for one test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE {name}").ConfigureAwait(false);
        return name;
    }

    private static Task PgAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDir, tool), .. args])
            : RunAsync(Path.Combine(BinDir, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (string a in args) info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await output.ConfigureAwait(false)} {await error.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
