using System.Globalization;

namespace Strata.Core.Databases;

/// <summary>
/// The MariaDB and MySQL client commands Strata runs. Dumps take one database without <c>--databases</c>, so the dump
/// has no <c>USE</c> and restores into any schema (a drill's scratch one); <c>--single-transaction</c> gives InnoDB
/// tables one consistent snapshot without locking; the password in <c>MYSQL_PWD</c>, never on the command line. A
/// database name is never a bare argument (<c>--</c> before it, or <c>--database=</c>): a name such as
/// <c>-edrop database x</c> would be read as an option.
/// </summary>
public static class MySqlTools
{
    /// <summary>The environment variable the MariaDB and MySQL clients read the password from.</summary>
    public const string PasswordVariable = "MYSQL_PWD";

    /// <summary>Schemas of the server itself, never dumped as user data.</summary>
    public static readonly IReadOnlySet<string> SystemSchemas = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "information_schema", "performance_schema", "mysql", "sys",
    };

    /// <summary>The dump of <paramref name="database"/> to stdout, tables, routines, triggers and events, in one snapshot.</summary>
    public static DatabaseCommand Dump(DatabaseTarget target, string database, string? password) =>
        Command(DumpPrograms(target.Engine), target, password, [
            "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
            // MySQL with GTIDs would write SET @@GLOBAL.GTID_PURGED and SQL_LOG_BIN=0: a restore on a server with those
            // GTIDs fails, and one on a primary never reaches its replicas. MariaDB's dump has no such option.
            .. target.Engine == DatabaseEngine.MySql ? ["--set-gtid-purged=OFF"] : Array.Empty<string>(),
            "--", database]);

    /// <summary>Every user database of the server, one per line.</summary>
    public static DatabaseCommand ListDatabases(DatabaseTarget target, string? password) => Query(target, null, "SHOW DATABASES", password);

    /// <summary><paramref name="sql"/> through the client: tab-separated, no column names.</summary>
    public static DatabaseCommand Query(DatabaseTarget target, string? database, string sql, string? password) =>
        Command(ClientPrograms(target.Engine), target, password, ["--connect-timeout=15", "--batch", "--raw", "--skip-column-names", "--execute", sql, .. database is null ? Array.Empty<string>() : [$"--database={database}"]]);

    /// <summary>The client reading a dump from stdin (<paramref name="length"/> bytes) into <paramref name="database"/>.</summary>
    public static DatabaseCommand Restore(DatabaseTarget target, string database, long length, string? password) =>
        Command(ClientPrograms(target.Engine), target, password, ["--connect-timeout=15", "--batch", $"--database={database}"]) with { StdinLength = length };

    /// <summary>The names of a <see cref="ListDatabases"/> output, system schemas left out.</summary>
    public static IReadOnlyList<string> UserDatabases(string output) =>
        [.. PostgresTools.ParseLines(output).Where(n => !SystemSchemas.Contains(n))];

    /// <summary>An identifier in backquotes.</summary>
    public static string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static IReadOnlyList<string> DumpPrograms(DatabaseEngine engine) => engine == DatabaseEngine.MariaDb ? ["mariadb-dump", "mysqldump"] : ["mysqldump"];

    private static IReadOnlyList<string> ClientPrograms(DatabaseEngine engine) => engine == DatabaseEngine.MariaDb ? ["mariadb", "mysql"] : ["mysql"];

    private static DatabaseCommand Command(IReadOnlyList<string> programs, DatabaseTarget target, string? password, IReadOnlyList<string> arguments)
    {
        List<string> connection = [$"--user={target.EffectiveUser}"];
        if (target.Host is { } host)
        {
            connection.Add($"--host={host}");
            connection.Add("--protocol=TCP");
        }

        if (target.Port is { } port)
        {
            connection.Add($"--port={port.ToString(CultureInfo.InvariantCulture)}");
        }

        return new DatabaseCommand(programs, [.. connection, .. arguments])
        {
            Secrets = password is null ? [] : [new(PasswordVariable, password)],
        };
    }
}
