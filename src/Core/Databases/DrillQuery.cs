namespace Strata.Core.Databases;

/// <summary>
/// A check a database drill runs in the restored scratch database (<c>drill.queries</c> of a database target):
/// an SQL query whose first value must meet <see cref="Expect"/>, or <see cref="EqualsBackup"/>: every table's
/// row count equals the rows the dump held.
/// </summary>
public sealed record DrillQuery
{
    /// <summary>The database the query is about (of those the target dumps); null when the target dumps one.</summary>
    public string? Database { get; init; }

    /// <summary>The query; null with <see cref="EqualsBackup"/>.</summary>
    public string? Sql { get; init; }

    /// <summary>What its first value must be: <c>&gt;= 1000</c>, <c>= ok</c>, <c>!= 0</c>, or a bare value (equal to).</summary>
    public ExpectedValue? Expect { get; init; }

    /// <summary>Every table's rows equal those the dump held (read from the dump when it was taken).</summary>
    public bool EqualsBackup { get; init; }

    /// <summary>For reports.</summary>
    public string Describe() => EqualsBackup ? "row counts equal the backup's" : $"{Sql} → {Expect}";
}
