namespace Strata.Core.Databases;

/// <summary>One database drilled: the dump restored into a scratch database, the queries run there, and the time it took.</summary>
public sealed record DatabaseDrillResult
{
    /// <summary>The database target.</summary>
    public required string Target { get; init; }

    /// <summary>The database the dump is of.</summary>
    public required string Database { get; init; }

    /// <summary>The scratch database restored into.</summary>
    public required string Scratch { get; init; }

    /// <summary>
    /// The server it was restored on and where the tools ran: <c>db/main (pod db/postgres-0 (container postgres))</c>, or
    /// <c>db/main's drill server (…)</c> for a <c>drill.server</c>; null when no server was reached.
    /// </summary>
    public string? RanIn { get; init; }

    /// <summary>Whether the restore and every query passed.</summary>
    public required bool Passed { get; init; }

    /// <summary>Seconds the restore took.</summary>
    public double? RestoreSeconds { get; init; }

    /// <summary>The measured recovery time: seconds from the restore's start to the last query passing; null when it did not pass.</summary>
    public double? RtoSeconds { get; init; }

    /// <summary>Each query and what it found.</summary>
    public IReadOnlyList<DrillQueryResult> Queries { get; init; } = [];

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the scratch database was dropped afterwards.</summary>
    public bool Dropped { get; init; }
}
