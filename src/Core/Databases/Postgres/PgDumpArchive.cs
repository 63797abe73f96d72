namespace Strata.Core.Databases.Postgres;

/// <summary>
/// Reads a PostgreSQL custom-format archive (<c>pg_dump -Fc</c>) forward only, as pg_dump writes it to a
/// pipe — header, table of contents (data offsets unset), then every data block to the end — in flat
/// memory whatever its size, following the format of pg_dump's <c>pg_backup_archiver.c</c> and
/// <c>pg_backup_custom.c</c> for archive versions 1.12 to 1.16 (pg_dump 9.0 to 18). Zlib data is decoded
/// and checked, and each table's COPY rows are counted; LZ4 and Zstandard data is walked but not decoded.
/// <see cref="WalkAsync"/> reads the same framing without decoding any data: for a dump whose rows were
/// already counted from the same bytes, it checks the archive's structure without the cost of inflating it.
/// </summary>
public static class PgDumpArchive
{
    /// <summary>
    /// Reads <paramref name="content"/> to its end. A dump cut at a block boundary reads as
    /// <see cref="PgDumpContents.DataComplete"/> false; anything else malformed or cut short is an
    /// <see cref="InvalidDataException"/> that says what broke and at which byte.
    /// </summary>
    public static Task<PgDumpContents> ReadAsync(Stream content, CancellationToken cancellationToken = default) =>
        ReadArchiveAsync(content, decodeData: true, cancellationToken);

    /// <summary>
    /// Reads <paramref name="content"/> to its end like <see cref="ReadAsync(Stream, CancellationToken)"/>, but walks
    /// every data block's length-prefixed chunks without decoding them: the header, the table of contents, one
    /// well-formed block per entry with data (in its place, of the right kind, ending with its zero-length chunk, large
    /// objects ending with oid 0) and nothing after the last block are checked; rows are not counted
    /// (<see cref="PgDumpContents.RowsCounted"/> false) and a zlib payload's own checksum is not.
    /// </summary>
    public static Task<PgDumpContents> WalkAsync(Stream content, CancellationToken cancellationToken = default) =>
        ReadArchiveAsync(content, decodeData: false, cancellationToken);

    private static async Task<PgDumpContents> ReadArchiveAsync(Stream content, bool decodeData, CancellationToken cancellationToken)
    {
        using var input = new PgArchiveInput(content);
        var header = await PgArchiveHeader.ReadAsync(input, cancellationToken);
        var toc = await PgTableOfContents.ReadAsync(input, header, cancellationToken);
        var data = await PgDataSection.ReadAsync(input, header, toc, decodeData, cancellationToken);
        var counted = decodeData && header.Compression is PgDumpCompression.None or PgDumpCompression.Gzip;
        return new PgDumpContents
        {
            FormatVersion = header.Version,
            ServerVersion = header.ServerVersion,
            PgDumpVersion = header.PgDumpVersion,
            Database = header.Database,
            CreatedAt = header.CreatedAt,
            Compression = header.Compression,
            CompressionLevel = header.CompressionLevel,
            Encoding = toc.Encoding,
            Entries = toc.Count,
            Schemas = [.. toc.Schemas],
            Tables = [.. toc.Tables.Select(t => new DumpTable(t.Key.Schema, t.Key.Name, t.Value?.Rows))],
            LargeObjects = data.LargeObjects,
            DataBlocks = data.Blocks,
            RowsCounted = counted,
            MissingData = [.. toc.DataEntries.Values.Where(e => !e.Read).OrderBy(e => e.DumpId).Select(e => e.ToString())],
        };
    }
}
