namespace Strata.Core.Databases.MySql;

/// <summary>Which client wrote a SQL dump, as its first comment line says.</summary>
public enum MySqlDumpFlavor
{
    /// <summary><c>-- MariaDB dump …</c>: <c>mariadb-dump</c> (or MariaDB's <c>mysqldump</c>).</summary>
    MariaDb,

    /// <summary><c>-- MySQL dump …</c>: Oracle MySQL's <c>mysqldump</c>.</summary>
    MySql,
}
