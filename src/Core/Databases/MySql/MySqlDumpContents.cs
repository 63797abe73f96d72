namespace Strata.Core.Databases.MySql;

/// <summary>
/// What a <c>mariadb-dump</c> / <c>mysqldump</c> script holds (<see cref="MySqlDumpScript.ReadAsync"/>):
/// the header's tool, server and database, every table it creates or fills with the rows its INSERT
/// statements carry, and whether it ends with the completion trailer (<c>-- Dump completed</c>) — the only
/// sign that a text dump was not cut short.
/// </summary>
public sealed record MySqlDumpContents
{
    /// <summary>MariaDB's or MySQL's client.</summary>
    public required MySqlDumpFlavor Flavor { get; init; }

    /// <summary>The client's version line after <c>dump</c>, e.g. <c>10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)</c>.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>The server's version (<c>-- Server version</c>), e.g. <c>10.11.19-MariaDB-0+deb12u1</c>.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The host the client connected to (<c>-- Host:</c>).</summary>
    public string? Host { get; init; }

    /// <summary>The database the header names (empty for <c>--all-databases</c> dumps).</summary>
    public string? Database { get; init; }

    /// <summary>Databases the script holds: its header's, and each one a <c>USE</c> statement switches to (<c>--databases</c>, <c>--all-databases</c>), sorted.</summary>
    public required IReadOnlyList<string> Databases { get; init; }

    /// <summary>Tables created or filled, sorted by database and name; <see cref="DumpTable.Schema"/> is the database. Rows are null for a table whose data the script does not dump (<c>--no-data</c>).</summary>
    public required IReadOnlyList<DumpTable> Tables { get; init; }

    /// <summary>INSERT (and REPLACE) statements read.</summary>
    public required long InsertStatements { get; init; }

    /// <summary>Whether the script ends with the completion trailer: false for a dump that was cut short.</summary>
    public required bool Completed { get; init; }

    /// <summary>The trailer's date, e.g. <c>2026-11-30  3:29:45</c> (absent with <c>--skip-dump-date</c>).</summary>
    public string? CompletedOn { get; init; }

    /// <summary>Rows over every table.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows ?? 0);
}
