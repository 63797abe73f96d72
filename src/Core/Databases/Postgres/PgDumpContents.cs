namespace Strata.Core.Databases.Postgres;

/// <summary>
/// What a <c>pg_dump -Fc</c> archive holds, read from its header, table of contents and data blocks
/// (<see cref="PgDumpArchive.ReadAsync"/>): who made it from what, which schemas and tables it has and how
/// many rows each table's data carries, how many large objects, and whether every data block the table of
/// contents announces is there.
/// </summary>
public sealed record PgDumpContents
{
    /// <summary>The archive format's version as pg_restore prints it, e.g. <c>1.14-0</c> (pg_dump 12 to 15).</summary>
    public required string FormatVersion { get; init; }

    /// <summary>The dumped server's version, e.g. <c>15.18 (Debian 15.18-0+deb12u1)</c>.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The version of the pg_dump that wrote the archive.</summary>
    public string? PgDumpVersion { get; init; }

    /// <summary>The dumped database's name.</summary>
    public string? Database { get; init; }

    /// <summary>When pg_dump started the archive, in the dumping machine's local time (the format keeps no zone).</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>How the data blocks are compressed.</summary>
    public required PgDumpCompression Compression { get; init; }

    /// <summary>The zlib level recorded by archives before 1.15 (-1: zlib's default); null from 1.15 on.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>The client encoding of the dump's data, e.g. <c>UTF8</c>.</summary>
    public string? Encoding { get; init; }

    /// <summary>Entries in the table of contents (an archive with none is not a dump of anything).</summary>
    public required int Entries { get; init; }

    /// <summary>Schema names, sorted: SCHEMA entries and the schemas tables sit in.</summary>
    public required IReadOnlyList<string> Schemas { get; init; }

    /// <summary>Tables (TABLE and TABLE DATA entries), sorted by schema and name, with the rows their data holds.</summary>
    public required IReadOnlyList<DumpTable> Tables { get; init; }

    /// <summary>Large objects in the data blocks.</summary>
    public required long LargeObjects { get; init; }

    /// <summary>Data blocks read.</summary>
    public required int DataBlocks { get; init; }

    /// <summary>Whether rows were counted: false when the data's compression (LZ4, Zstandard) is not decoded here.</summary>
    public required bool RowsCounted { get; init; }

    /// <summary>Entries the table of contents lists with data whose block never came (the archive ends before them), e.g. <c>TABLE DATA public.orders (dump id 3345)</c>.</summary>
    public required IReadOnlyList<string> MissingData { get; init; }

    /// <summary>Whether every announced data block was read to its end.</summary>
    public bool DataComplete => MissingData.Count == 0;

    /// <summary>Rows over every table whose rows were counted.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows ?? 0);
}
