namespace Strata.Core.Databases;

/// <summary>
/// What a dump holds, read from the dump's own bytes (a custom-format archive's table of contents and data blocks, a
/// SQL dump's statements): so the counts are those of the dump's snapshot, and a drill compares the restored tables
/// with them exactly.
/// </summary>
public sealed record DumpContents
{
    /// <summary>Entries in the archive's table of contents (every object, data block and comment).</summary>
    public int Entries { get; init; }

    /// <summary>The schemas the dump creates.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];

    /// <summary>Every table with data, and its rows (null where the dump has no data Strata can count).</summary>
    public IReadOnlyList<DumpTable> Tables { get; init; } = [];

    /// <summary>Large objects (PostgreSQL <c>lo</c>) in the dump.</summary>
    public long LargeObjects { get; init; }

    /// <summary>Rows in all tables.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows ?? 0);
}
