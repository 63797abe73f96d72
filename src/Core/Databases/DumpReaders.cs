namespace Strata.Core.Databases;

/// <summary>The <see cref="IDumpReader"/> of each engine's dumps.</summary>
/// <param name="postgres">Reads pg_dump's custom format.</param>
/// <param name="mysql">Reads mariadb-dump / mysqldump SQL.</param>
public sealed class DumpReaders(IDumpReader? postgres, IDumpReader? mysql)
{
    /// <summary>Strata's readers.</summary>
    public static DumpReaders Default { get; } = new(new PostgresDumpReader(), new MySqlDumpReader());

    /// <summary>The reader of <paramref name="engine"/>'s dumps, if Strata has one.</summary>
    public IDumpReader? For(DatabaseEngine engine) => engine == DatabaseEngine.PostgreSql ? postgres : mysql;
}
