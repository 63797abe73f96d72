using System.Globalization;
using System.Text;

namespace Strata.Core.Databases;

/// <summary>
/// The PostgreSQL client commands Strata runs, wherever they run. Connection settings go in one libpq connection
/// string (<c>-d "host=… dbname=…"</c>, values quoted), so a database name with '=' or spaces is never taken for
/// something else; <c>-w</c> because no one is there to type a password; the password in <c>PGPASSWORD</c>.
/// </summary>
public static class PostgresTools
{
    /// <summary>The database the server-level commands connect to.</summary>
    public const string MaintenanceDatabase = "postgres";

    /// <summary>The environment variable libpq reads the password from.</summary>
    public const string PasswordVariable = "PGPASSWORD";

    private const string ListDatabasesSql = "select datname from pg_database where datallowconn and not datistemplate order by datname";

    /// <summary><c>pg_dump -Fc</c> of <paramref name="database"/> to stdout, in one consistent snapshot.</summary>
    public static DatabaseCommand Dump(DatabaseTarget target, string database, string? password) =>
        Command("pg_dump", password, ["--format=custom", "--no-password", .. target.SerializableDeferrable ? ["--serializable-deferrable"] : Array.Empty<string>(), "--dbname", ConnectionString(target, database)]);

    /// <summary><c>pg_dumpall --globals-only</c>: the roles and tablespaces every database's objects refer to, as SQL.</summary>
    public static DatabaseCommand DumpGlobals(DatabaseTarget target, string? password) =>
        Command("pg_dumpall", password, ["--globals-only", "--no-password", "--dbname", ConnectionString(target, MaintenanceDatabase)]);

    /// <summary>Every database that accepts connections, templates aside, one per line.</summary>
    public static DatabaseCommand ListDatabases(DatabaseTarget target, string? password) => Query(target, MaintenanceDatabase, ListDatabasesSql, password);

    /// <summary><paramref name="sql"/> through <c>psql</c>: unaligned and tab-separated (as MariaDB's client), tuples only, stopping at the first error.</summary>
    public static DatabaseCommand Query(DatabaseTarget target, string database, string sql, string? password) =>
        Command("psql", password, ["--no-password", "--no-psqlrc", "--tuples-only", "--no-align", "--field-separator", "\t", "--set", "ON_ERROR_STOP=1", "--dbname", ConnectionString(target, database), "--command", sql]);

    /// <summary>
    /// A long-lived <c>psql</c> on the maintenance database that reads statements from stdin as they are written
    /// (<see cref="PsqlConversation"/>): quiet, unaligned and tab-separated, tuples only, ending at the first error;
    /// it runs for at most <paramref name="timeLimit"/> where it runs.
    /// </summary>
    public static DatabaseCommand Session(DatabaseTarget target, string? password, TimeSpan timeLimit) =>
        Command("psql", password, ["--no-password", "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--field-separator", "\t", "--set", "ON_ERROR_STOP=1", "--dbname", ConnectionString(target, MaintenanceDatabase)])
        with { TimeLimit = timeLimit };

    /// <summary>
    /// <c>pg_restore</c> of a custom-format dump read from stdin (<paramref name="length"/> bytes) into <paramref name="database"/>.
    /// <paramref name="clean"/> drops what the dump recreates, in one transaction (a failure leaves the database as it was);
    /// <paramref name="scratch"/> restores for a drill: without owners, grants, subscriptions and publications, which need
    /// roles or rights the drill's server may lack and which would tie the scratch database to others.
    /// </summary>
    public static DatabaseCommand Restore(DatabaseTarget target, string database, long length, string? password, bool clean = false, bool scratch = false) =>
        Command("pg_restore", password, [
            "--no-password", "--exit-on-error", .. clean ? ["--clean", "--if-exists", "--single-transaction"] : Array.Empty<string>(),
            .. scratch ? ["--no-owner", "--no-privileges", "--no-subscriptions", "--no-publications"] : Array.Empty<string>(),
            "--dbname", ConnectionString(target, database)])
        with { StdinLength = length };

    /// <summary>The names of the output of <see cref="ListDatabases"/>.</summary>
    public static IReadOnlyList<string> ParseLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];

    /// <summary>A libpq connection string for <paramref name="database"/> on the target (no password: that goes in the environment).</summary>
    public static string ConnectionString(DatabaseTarget target, string database)
    {
        var builder = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is null)
            {
                return;
            }

            builder.Append(builder.Length == 0 ? "" : " ").Append(key).Append("='")
                .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append('\'');
        }

        Add("host", target.Host);
        Add("port", target.Port?.ToString(CultureInfo.InvariantCulture));
        Add("user", target.EffectiveUser);
        Add("dbname", database);
        Add("application_name", "strata");
        Add("connect_timeout", "15");
        return builder.ToString();
    }

    /// <summary>An SQL identifier, double-quoted (<c>"a""b"</c>).</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>An SQL string literal (<c>'it''s'</c>).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static DatabaseCommand Command(string program, string? password, IReadOnlyList<string> arguments) => new([program], arguments)
    {
        Secrets = password is null ? [] : [new(PasswordVariable, password)],
    };
}
