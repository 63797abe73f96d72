using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MySqlConnector;
using Strata.Adapters.Hosting;
using Strata.Sandbox.Databases;
using Xunit;

namespace Strata.TestKit.Databases;

/// <summary>
/// A throwaway MariaDB server for one test class (an xunit class fixture; create a database per test):
/// <c>mariadb-install-db</c> into a temporary folder, <c>mariadbd</c> on a free loopback port with its socket
/// in the same folder, grant tables on (never <c>--skip-grant-tables</c>): <c>root</c> has a generated
/// password, so a wrong one is refused. Run as root, the server runs as the <c>mysql</c> OS user
/// (<c>--user=mysql</c>). Debian's <c>mariadb-server</c> provides it (<c>.ci/run</c> installs it); without it
/// the fixture fails, it never skips.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    /// <summary>The OS user the server runs as when the tests run as root.</summary>
    public const string OsUser = "mysql";

    private string? _folder;
    private Process? _server;

    /// <summary>The server's address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Its port.</summary>
    public int Port { get; private set; }

    /// <summary>The administrative user.</summary>
    public string User => "root";

    /// <summary>Its password, generated per server.</summary>
    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The server's Unix socket.</summary>
    public string SocketPath => Path.Combine(_folder ?? throw new InvalidOperationException("the server is not started"), "mysqld.sock");

    /// <summary>The path of a client program, e.g. <c>Tool("mariadb-dump")</c>; the name itself when it is not found.</summary>
    public static string Tool(string name) => ServerPrograms.Find(name) ?? name;

    /// <summary>The client environment (MYSQL_HOST, MYSQL_TCP_PORT) — without the password.</summary>
    public IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MYSQL_HOST"] = Host,
        ["MYSQL_TCP_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Arguments that point a client (<c>mariadb</c>, <c>mariadb-dump</c>) at this server as <see cref="User"/>, without the password.</summary>
    public IReadOnlyList<string> ClientArguments() => ["--no-defaults", $"--host={Host}", $"--port={Port}", "--protocol=tcp", $"--user={User}"];

    /// <summary>A MySqlConnector connection string for <paramref name="database"/> (unpooled).</summary>
    public string ConnectionString(string? database = null) => new MySqlConnectionStringBuilder
    {
        Server = Host,
        Port = (uint)Port,
        UserID = User,
        Password = Password,
        Database = database ?? "",
        Pooling = false,
        AllowUserVariables = true,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        var server = ServerPrograms.Find("mariadbd", "mysqld");
        var install = ServerPrograms.Find("mariadb-install-db", "mysql_install_db");
        if (server is null || install is null)
        {
            throw new InvalidOperationException("MariaDB is not installed: mariadbd or mariadb-install-db is missing (install Debian's mariadb-server, as .ci/run does)");
        }

        _folder = await ServerPrograms.CreateFolderAsync("strata-mariadb-", OsUser);
        var data = Path.Combine(_folder, "data");
        string[] asUser = ServerPrograms.RunningAsRoot ? [$"--user={OsUser}"] : [];
        await ServerPrograms.RunCheckedAsync(install, [
            "--no-defaults", $"--datadir={data}", .. asUser, "--auth-root-authentication-method=normal", "--skip-test-db",
        ]);

        Port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in (string[])
                 [
                     "--no-defaults", $"--datadir={data}", .. asUser, $"--port={Port}", "--bind-address=127.0.0.1", $"--socket={SocketPath}",
                     $"--pid-file={Path.Combine(_folder, "mariadbd.pid")}", $"--log-error={Path.Combine(_folder, "error.log")}",
                     "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0",
                 ])
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException($"could not start {server}");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await SetPasswordsAsync();
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        if (_folder is not null)
        {
            ServerPrograms.DeleteFolder(_folder);
        }

        return Task.CompletedTask;
    }

    /// <summary>A database name unique to one test.</summary>
    public static string UniqueDatabaseName(string prefix = "t") => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Creates an empty database.</summary>
    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"CREATE DATABASE {QuoteIdentifier(name)} CHARACTER SET utf8mb4", cancellationToken);

    /// <summary>Drops a database; nothing if there is none.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"DROP DATABASE IF EXISTS {QuoteIdentifier(name)}", cancellationToken);

    /// <summary>Fills <paramref name="database"/> with <see cref="MariaDbDataset"/>: <c>orders</c> gets <paramref name="rows"/> rows.</summary>
    public async Task SeedAsync(string database, int rows, CancellationToken cancellationToken = default)
    {
        foreach (var statement in MariaDbDataset.Statements(rows))
        {
            await ExecuteAsync(database, statement, cancellationToken);
        }
    }

    /// <summary>Runs one SQL statement (or several separated by ';', none defining a routine) in <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string? database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row of a query, converted to <typeparamref name="T"/>; default when there is none or it is NULL.</summary>
    public async Task<T?> QueryScalarAsync<T>(string? database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of every base table, by <c>database.table</c> (the names a dump's <c>DumpTable.QualifiedName</c> gives).</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(string database, CancellationToken cancellationToken = default)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(database, cancellationToken))
        {
            counts[$"{database}.{table}"] = await QueryScalarAsync<long>(database, $"SELECT COUNT(*) FROM {QuoteIdentifier(table)}", cancellationToken);
        }

        return counts;
    }

    /// <summary>
    /// Per table (<c>database.table</c>), the MD5 of its rows (values as invariant text, binary as hex, NULL as
    /// <c>\N</c>) ordered by every column — equal for two databases exactly when every table holds the same rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database, CancellationToken cancellationToken = default)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(database, cancellationToken);
        foreach (var table in await TablesAsync(database, cancellationToken))
        {
            var columns = await QueryScalarAsync<long>(database,
                $"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '{table.Replace("'", "''", StringComparison.Ordinal)}'",
                cancellationToken);
            var order = string.Join(", ", Enumerable.Range(1, (int)columns));
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using var command = new MySqlCommand($"SELECT * FROM {QuoteIdentifier(table)} ORDER BY {order}", connection) { CommandTimeout = 600 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(i == 0 ? "" : "\t").Append(reader.IsDBNull(i) ? "\\N" : Text(reader.GetValue(i)));
                }

                md5.AppendData(Encoding.UTF8.GetBytes(row.Append('\n').ToString()));
            }

            sums[$"{database}.{table}"] = Convert.ToHexStringLower(md5.GetHashAndReset());
        }

        return sums;
    }

    /// <summary>
    /// <c>mariadb-dump</c> of <paramref name="database"/> to standard output with <paramref name="options"/>
    /// (e.g. <c>--single-transaction</c>, <c>--routines</c>); its bytes, or an exception with its error output.
    /// The password goes in the environment (MYSQL_PWD), never on the command line.
    /// </summary>
    public async Task<byte[]> DumpAsync(string database, params string[] options)
    {
        var environment = new Dictionary<string, string>(Environment()) { ["MYSQL_PWD"] = Password };
        var arguments = options.Contains("--databases") || options.Contains("--all-databases") ? [.. ClientArguments(), .. options] : ClientArguments().Concat(options).Append(database);
        var (exitCode, output, errors) = await DatabaseTool.CaptureAsync(Tool("mariadb-dump"), arguments, environment);
        return exitCode == 0 ? output : throw new InvalidOperationException($"mariadb-dump exited with {exitCode}: {errors}");
    }

    /// <summary>Loads a SQL <paramref name="dump"/> into <paramref name="database"/> with the <c>mariadb</c> client, as a restore does.</summary>
    public async Task RestoreAsync(string database, byte[] dump)
    {
        var environment = new Dictionary<string, string>(Environment()) { ["MYSQL_PWD"] = Password };
        var (exitCode, _, errors) = await DatabaseTool.CaptureAsync(Tool("mariadb"), [.. ClientArguments(), database], environment, dump);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"mariadb exited with {exitCode}: {errors}");
        }
    }

    /// <summary>An identifier in backticks.</summary>
    public static string QuoteIdentifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static string Text(object value) => value switch
    {
        byte[] bytes => Convert.ToHexStringLower(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private async Task<MySqlConnection> OpenAsync(string? database, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task<List<string>> TablesAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Waits for the server to take connections (root has no password yet), then gives root its password on every loopback account (root@hostname is ignored with --skip-name-resolve).</summary>
    private async Task SetPasswordsAsync()
    {
        var initial = new MySqlConnectionStringBuilder { Server = Host, Port = (uint)Port, UserID = User, Pooling = false }.ConnectionString;
        var deadline = Stopwatch.StartNew();
        MySqlConnection connection;
        while (true)
        {
            connection = new MySqlConnection(initial);
            try
            {
                await connection.OpenAsync();
                break;
            }
            catch (MySqlException e)
            {
                await connection.DisposeAsync();
                if (_server is not { HasExited: false } || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    var log = Path.Combine(_folder!, "error.log");
                    throw new InvalidOperationException($"MariaDB did not start on port {Port}: {e.Message}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}", e);
                }

                await Task.Delay(100);
            }
        }

        await using (connection)
        {
            var hosts = new List<string>();
            await using (var query = new MySqlCommand("SELECT host FROM mysql.user WHERE user = 'root' AND host IN ('localhost', '127.0.0.1', '::1')", connection))
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    hosts.Add(reader.GetString(0));
                }
            }

            var password = Password.Replace("'", "''", StringComparison.Ordinal);
            foreach (var host in hosts)
            {
                await using var alter = new MySqlCommand($"ALTER USER 'root'@'{host.Replace("'", "''", StringComparison.Ordinal)}' IDENTIFIED BY '{password}'", connection);
                await alter.ExecuteNonQueryAsync();
            }
        }
    }
}
