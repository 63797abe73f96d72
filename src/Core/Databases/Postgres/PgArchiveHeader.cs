namespace Strata.Core.Databases.Postgres;

/// <summary>
/// The header of a custom-format archive, as pg_dump's <c>WriteHead</c> lays it out: <c>PGDMP</c>, the
/// archive version (major, minor, revision bytes), the integer and offset sizes, the format (1: custom),
/// the compression (a zlib level before 1.15, an algorithm byte from 1.15 on), the creation time as seven
/// integers of the dumping machine's local time, then the database name, the server's version and pg_dump's.
/// </summary>
internal sealed record PgArchiveHeader(
    int Major, int Minor, int Revision, int IntSize, int OffSize, PgDumpCompression Compression, int? CompressionLevel,
    DateTime? CreatedAt, string? Database, string? ServerVersion, string? PgDumpVersion)
{
    /// <summary>The oldest archive version read: 1.12, written by pg_dump 9.0 to 11.</summary>
    public const int OldestMinor = 12;

    /// <summary>The newest archive version read: 1.16, written by pg_dump 17 and 18.</summary>
    public const int NewestMinor = 16;

    private const byte CustomFormat = 1;

    /// <summary>The version as pg_restore prints it, e.g. <c>1.14-0</c>.</summary>
    public string Version => $"{Major}.{Minor}-{Revision}";

    /// <summary>Whether the archive version is at least 1.<paramref name="minor"/>.</summary>
    public bool AtLeast(int minor) => Minor >= minor;

    /// <summary>Reads the header; <see cref="InvalidDataException"/> when it is not a custom-format archive this reader knows.</summary>
    public static async Task<PgArchiveHeader> ReadAsync(PgArchiveInput input, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadFieldsAsync(input, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException(input.Received == 0
                ? "the dump is empty"
                : $"the header ends at byte {input.Received}, before the table of contents");
        }
    }

    private static async Task<PgArchiveHeader> ReadFieldsAsync(PgArchiveInput input, CancellationToken cancellationToken)
    {
        await input.RequireAsync(5, cancellationToken);
        if (!input.Buffered[..5].SequenceEqual("PGDMP"u8))
        {
            throw new InvalidDataException("not a pg_dump custom-format archive: it does not start with PGDMP");
        }

        input.Advance(5);
        int major = await input.ReadByteAsync(cancellationToken), minor = await input.ReadByteAsync(cancellationToken);
        int revision = await input.ReadByteAsync(cancellationToken);
        if (major != 1 || minor < OldestMinor || minor > NewestMinor)
        {
            throw new InvalidDataException(
                $"archive version {major}.{minor} is not one this reader knows (1.{OldestMinor} to 1.{NewestMinor}: pg_dump 9.0 to 18)");
        }

        int intSize = await input.ReadByteAsync(cancellationToken), offSize = await input.ReadByteAsync(cancellationToken);
        if (intSize is < 1 or > 8 || offSize is < 1 or > 8)
        {
            throw new InvalidDataException($"integer size {intSize} and offset size {offSize} at byte 8 are not sizes pg_dump writes");
        }

        input.IntSize = intSize;
        var format = await input.ReadByteAsync(cancellationToken);
        if (format != CustomFormat)
        {
            throw new InvalidDataException($"archive format {format} at byte 10 is not the custom format ({CustomFormat}): only pg_dump -Fc archives are read");
        }

        var (compression, level) = await ReadCompressionAsync(input, minor, cancellationToken);
        var time = new long[7];
        for (var i = 0; i < time.Length; i++)
        {
            time[i] = await input.ReadIntAsync(cancellationToken);
        }

        var database = await input.ReadStringAsync(64 * 1024, cancellationToken);
        var server = await input.ReadStringAsync(64 * 1024, cancellationToken);
        var pgDump = await input.ReadStringAsync(64 * 1024, cancellationToken);
        return new PgArchiveHeader(major, minor, revision, intSize, offSize, compression, level, LocalTime(time), database, server, pgDump);
    }

    private static async Task<(PgDumpCompression, int?)> ReadCompressionAsync(PgArchiveInput input, int minor, CancellationToken cancellationToken)
    {
        if (minor >= 15)
        {
            var at = input.Position;
            var algorithm = await input.ReadByteAsync(cancellationToken);
            return Enum.IsDefined((PgDumpCompression)algorithm)
                ? ((PgDumpCompression)algorithm, null)
                : throw new InvalidDataException($"compression algorithm {algorithm} at byte {at} is not one pg_dump writes");
        }

        // Before 1.15 the header holds a zlib level: -1 is zlib's default, 0 no compression.
        var level = (int)await input.ReadIntAsync(cancellationToken);
        return (level == 0 ? PgDumpCompression.None : PgDumpCompression.Gzip, level);
    }

    /// <summary>The <c>struct tm</c> fields (sec, min, hour, mday, mon from 0, year from 1900, isdst) as a wall-clock time; null when they are not one.</summary>
    private static DateTime? LocalTime(long[] tm)
    {
        try
        {
            return new DateTime((int)tm[5] + 1900, (int)tm[4] + 1, (int)tm[3], (int)tm[2], (int)tm[1], (int)Math.Min(tm[0], 59), DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
