namespace Strata.Core.Databases;

/// <summary>Which database server a target runs, and so which client tools dump and restore it.</summary>
public enum DatabaseEngine
{
    /// <summary>PostgreSQL: <c>pg_dump -Fc</c> per database, <c>pg_dumpall --globals-only</c> for roles, <c>pg_restore</c>.</summary>
    PostgreSql,

    /// <summary>MariaDB: <c>mariadb-dump</c> (or <c>mysqldump</c> where only that is installed), restored with <c>mariadb</c>.</summary>
    MariaDb,

    /// <summary>MySQL: <c>mysqldump</c>, restored with <c>mysql</c>.</summary>
    MySql,
}
