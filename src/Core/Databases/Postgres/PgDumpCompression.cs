namespace Strata.Core.Databases.Postgres;

/// <summary>
/// How a custom-format archive compresses its data blocks, numbered as pg_dump numbers its algorithms
/// (the header byte of archive version 1.15 and later; earlier archives store a zlib level, 0 meaning none).
/// </summary>
public enum PgDumpCompression
{
    /// <summary>Plain data chunks (<c>-Z0</c>).</summary>
    None = 0,

    /// <summary>One zlib stream per data block or large object (the default before PostgreSQL 16, and <c>-Z gzip</c>).</summary>
    Gzip = 1,

    /// <summary>LZ4 frames (<c>-Z lz4</c>, PostgreSQL 16 and later): read, but not decoded, so rows are not counted.</summary>
    Lz4 = 2,

    /// <summary>Zstandard frames (<c>-Z zstd</c>, PostgreSQL 16 and later): read, but not decoded, so rows are not counted.</summary>
    Zstd = 3,
}
