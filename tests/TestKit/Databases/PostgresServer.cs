using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Strata.Sandbox.Databases;
using Xunit;

namespace Strata.TestKit.Databases;

/// <summary>
/// A throwaway PostgreSQL 15 server for one test class (an xunit class fixture; create a database per test):
/// <c>initdb</c> into a temporary folder, started with <c>pg_ctl</c> on a free loopback port, TCP only with
/// scram-sha-256 password authentication for the superuser <c>postgres</c> (the password is generated, so a
/// wrong one is refused), its socket in the same folder. Run as root, the server runs as the <c>postgres</c>
/// OS user (initdb refuses root). The binaries come from <c>$STRATA_POSTGRES_BIN</c>, else
/// <c>/usr/lib/postgresql/15/bin</c>; without them the fixture fails, it never skips.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The major version the fixture runs (Debian's <c>postgresql-15</c>).</summary>
    public const string MajorVersion = ThrowawayPostgres.MajorVersion;

    /// <summary>The OS user the server runs as when the tests run as root.</summary>
    public const string OsUser = ThrowawayPostgres.OsUser;

    private ThrowawayPostgres? _server;

    private ThrowawayPostgres Server => _server ?? throw new InvalidOperationException("the server is not started");

    /// <summary>The server's address.</summary>
    public string Host => Server.Host;

    /// <summary>Its port.</summary>
    public int Port => Server.Port;

    /// <summary>The superuser.</summary>
    public string User => Server.User;

    /// <summary>The superuser's password, generated per server.</summary>
    public string Password => Server.Password;

    /// <summary>The folder of the server's programs (initdb, pg_ctl, pg_dump, pg_restore, psql).</summary>
    public string BinDirectory { get; } = ThrowawayPostgres.DefaultBinDirectory;

    /// <summary>The folder holding the server's Unix socket.</summary>
    public string SocketDirectory => Server.Folder;

    /// <summary>The path of one of the server's programs, e.g. <c>Tool("pg_dump")</c>.</summary>
    public string Tool(string name) => Path.Combine(BinDirectory, name);

    /// <summary>
    /// The libpq environment for a client of this server (PGHOST, PGPORT, PGUSER and, given a database,
    /// PGDATABASE) — without the password, which a caller passes as PGPASSWORD itself (or withholds).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(string? database = null)
    {
        var environment = Server.Environment();
        if (database is not null)
        {
            environment["PGDATABASE"] = database;
        }

        return environment;
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> (unpooled, so a database can be dropped at once).</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Server settings beyond the defaults (<c>archive_mode=on</c>), for a fixture that derives from this one's use.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync(BinDirectory, Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A database name unique to one test.</summary>
    public static string UniqueDatabaseName(string prefix = "t") => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Creates an empty database.</summary>
    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("postgres", $"CREATE DATABASE {QuoteIdentifier(name)}", cancellationToken);

    /// <summary>Drops a database, disconnecting whoever is in it; nothing if there is none.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)", cancellationToken);

    /// <summary>Fills <paramref name="database"/> with <see cref="PostgresDataset"/>: <c>sales.orders</c> gets <paramref name="rows"/> rows.</summary>
    public Task SeedAsync(string database, int rows, CancellationToken cancellationToken = default) =>
        ExecuteAsync(database, PostgresDataset.Sql(rows), cancellationToken);

    /// <summary>Runs SQL (several statements allowed) in <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row of a query; default when there is none or it is NULL.</summary>
    public async Task<T?> QueryScalarAsync<T>(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteScalarAsync(cancellationToken) is T value ? value : default;
    }

    /// <summary>Rows of every ordinary table outside the system schemas, by <c>schema.table</c> (the names a dump's <c>DumpTable.QualifiedName</c> gives).</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(string database, CancellationToken cancellationToken = default)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (schema, table) in await TablesAsync(database, cancellationToken))
        {
            counts[$"{schema}.{table}"] = await QueryScalarAsync<long>(database, $"SELECT count(*) FROM {QuoteIdentifier(schema)}.{QuoteIdentifier(table)}", cancellationToken);
        }

        return counts;
    }

    /// <summary>The key of <see cref="ChecksumsAsync"/> under which the database's large objects are summed up.</summary>
    public const string LargeObjectsKey = "(large objects)";

    /// <summary>
    /// Per table (<c>schema.table</c>), the MD5 of its rows as text in byte order, and under <see cref="LargeObjectsKey"/>
    /// the large objects (<see cref="LargeObjectsAsync"/>) — equal for two databases exactly when every table holds the
    /// same rows and every large object the same bytes under the same OID. Streamed, so a large table costs no memory.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database, CancellationToken cancellationToken = default)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal) { [LargeObjectsKey] = await LargeObjectsAsync(database, cancellationToken) };
        await using var connection = await OpenAsync(database, cancellationToken);
        foreach (var (schema, table) in await TablesAsync(database, cancellationToken))
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var sql = $"SELECT t::text FROM {QuoteIdentifier(schema)}.{QuoteIdentifier(table)} t ORDER BY t::text COLLATE \"C\"";
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                md5.AppendData(Encoding.UTF8.GetBytes(reader.GetString(0) + "\n"));
            }

            sums[$"{schema}.{table}"] = Convert.ToHexStringLower(md5.GetHashAndReset());
        }

        return sums;
    }

    /// <summary>
    /// <c>pg_dump</c> of <paramref name="database"/> to standard output (a pipe, as Strata streams it) with
    /// <paramref name="options"/> (e.g. <c>-Fc</c>, <c>-Z0</c>); its bytes, or an exception with its error output.
    /// </summary>
    public Task<byte[]> PgDumpAsync(string database, params string[] options) =>
        ClientAsync("pg_dump", [.. options, database]);

    /// <summary><c>pg_restore</c> of a custom-format <paramref name="dump"/> (given on standard input) into the existing <paramref name="database"/>.</summary>
    public Task RestoreAsync(string database, byte[] dump) => ClientAsync("pg_restore", ["--no-owner", "--exit-on-error", "-d", database], dump);

    /// <summary><c>pg_dumpall --globals-only</c> (roles and tablespaces) to standard output; its bytes.</summary>
    public Task<byte[]> PgDumpAllGlobalsAsync() => ClientAsync("pg_dumpall", ["--globals-only"]);

    /// <summary>Large objects in <paramref name="database"/>.</summary>
    public async Task<long> LargeObjectCountAsync(string database, CancellationToken cancellationToken = default) =>
        await QueryScalarAsync<long>(database, "SELECT count(*) FROM pg_largeobject_metadata", cancellationToken);

    /// <summary>
    /// The large objects of <paramref name="database"/> summed up: <c>3 large objects, md5 …</c>, the MD5 over each one's OID
    /// and the MD5 of its bytes, by OID (a table refers to a large object by its OID, which pg_restore keeps).
    /// </summary>
    public async Task<string> LargeObjectsAsync(string database, CancellationToken cancellationToken = default)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var count = 0;
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT oid::text, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid", connection) { CommandTimeout = 600 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            md5.AppendData(Encoding.UTF8.GetBytes($"{reader.GetString(0)} {reader.GetString(1)}\n"));
            count++;
        }

        return $"{count} large objects, md5 {Convert.ToHexStringLower(md5.GetHashAndReset())}";
    }

    /// <summary>
    /// Lets <paramref name="user"/> (a superuser without a password, created when missing) sign in over the server's Unix
    /// socket with no password at all (<c>local all USER trust</c>, as a database image trusts its own socket): what
    /// "the pod's own local auth" is. TCP stays scram-only.
    /// </summary>
    public async Task TrustLocalAsync(string user, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("postgres", $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {QuoteLiteral(user)}) THEN CREATE ROLE {QuoteIdentifier(user)} LOGIN SUPERUSER; END IF; END $$", cancellationToken);
        var hba = Path.Combine(SocketDirectory, "data", "pg_hba.conf");
        var line = $"local all {user} trust";
        var rules = await File.ReadAllTextAsync(hba, cancellationToken);
        if (!rules.Split('\n').Contains(line, StringComparer.Ordinal))
        {
            // The first matching line decides: the trust line goes first. Written in place, so the file keeps its owner.
            await File.WriteAllTextAsync(hba, line + "\n" + rules, cancellationToken);
        }

        await QueryScalarAsync<bool>("postgres", "SELECT pg_reload_conf()", cancellationToken);
    }

    /// <summary>The libpq environment of a client in the server's own pod: the Unix socket (PGHOST is its folder), PGPORT and PGUSER <paramref name="user"/>.</summary>
    public IReadOnlyDictionary<string, string> LocalEnvironment(string user) =>
        new Dictionary<string, string>(Environment()) { ["PGHOST"] = SocketDirectory, ["PGUSER"] = user };

    /// <summary>The server's log (with <c>log_statement</c> in <see cref="Settings"/>, the statements it ran).</summary>
    public Task<string> LogAsync(CancellationToken cancellationToken = default) =>
        File.ReadAllTextAsync(Path.Combine(SocketDirectory, "server.log"), cancellationToken);

    /// <summary>A string literal in single quotes.</summary>
    public static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An identifier in double quotes.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<byte[]> ClientAsync(string program, IEnumerable<string> arguments, byte[]? input = null)
    {
        var environment = new Dictionary<string, string>(Environment()) { ["PGPASSWORD"] = Password };
        var (exitCode, output, errors) = await DatabaseTool.CaptureAsync(Tool(program), arguments, environment, input);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{program} exited with {exitCode}: {errors}");
    }

    private async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task<List<(string Schema, string Table)>> TablesAsync(string database, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
            ORDER BY 1, 2
            """;
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }

        return tables;
    }
}
