namespace Strata.Core.Databases;

/// <summary>The commands of each engine, chosen in one place.</summary>
public static class DumpTools
{
    /// <summary>The extension of the engine's dumps: <c>.dump</c> (PostgreSQL custom format), <c>.sql</c> (MariaDB, MySQL).</summary>
    public static string Extension(DatabaseEngine engine) => engine == DatabaseEngine.PostgreSql ? ".dump" : ".sql";

    /// <summary>The dump of one database to stdout.</summary>
    public static DatabaseCommand Dump(DatabaseTarget target, string database, string? password) => target.Engine switch
    {
        DatabaseEngine.PostgreSql => PostgresTools.Dump(target, database, password),
        _ => MySqlTools.Dump(target, database, password),
    };

    /// <summary>Every user database of the server, one name per line.</summary>
    public static DatabaseCommand ListDatabases(DatabaseTarget target, string? password) => target.Engine switch
    {
        DatabaseEngine.PostgreSql => PostgresTools.ListDatabases(target, password),
        _ => MySqlTools.ListDatabases(target, password),
    };
}
