namespace Strata.Core.Databases;

/// <summary>A table in a dump and the rows its data holds.</summary>
/// <param name="Schema">The schema (PostgreSQL) or database (MariaDB); null where the dump names none.</param>
/// <param name="Name">The table.</param>
/// <param name="Rows">Rows in the dump.</param>
public sealed record TableRows(string? Schema, string Name, long Rows)
{
    /// <summary><c>schema.table</c>.</summary>
    public string Qualified => Schema is null ? Name : $"{Schema}.{Name}";
}
