namespace Strata.Core.Databases;

/// <summary>
/// One table a database dump holds, with the rows its data section carries — the unit a restore drill
/// compares with the restored database, and the manifest records at capture time.
/// </summary>
/// <param name="Schema">The schema (PostgreSQL) or database (MariaDB/MySQL) the table is in.</param>
/// <param name="Name">The table's name.</param>
/// <param name="Rows">Rows in the dump; null when the dump holds no countable data for the table (schema only, a partitioned parent, INSERT-format or undecoded data).</param>
public sealed record DumpTable(string Schema, string Name, long? Rows)
{
    /// <summary><c>schema.name</c>, as reports and drills name the table.</summary>
    public string QualifiedName => $"{Schema}.{Name}";
}
