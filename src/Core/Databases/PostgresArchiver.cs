using System.Globalization;
using Strata.Core.Freshness;

namespace Strata.Core.Databases;

/// <summary>
/// A PostgreSQL server's WAL archiver, read from <c>pg_stat_archiver</c> (any role may read it) and <c>archive_mode</c>
/// with one <c>psql</c> query through the target's executor. Times come back as epoch seconds, so no time zone or
/// <c>DateStyle</c> setting of the server changes how they read, and the server's own <c>now()</c> comes with them.
/// </summary>
public static class PostgresArchiver
{
    /// <summary>The query: one row, tab-separated (psql's unaligned output, as Strata runs it), empty for nulls.</summary>
    public const string Sql = "select current_setting('archive_mode'), archived_count, last_archived_wal, extract(epoch from last_archived_time), "
        + "failed_count, last_failed_wal, extract(epoch from last_failed_time), extract(epoch from stats_reset), extract(epoch from now()) from pg_stat_archiver";

    /// <summary>Reads the archiver of <paramref name="database"/>; <see cref="DatabaseTargetException"/> with the tool's words when it cannot.</summary>
    public static async Task<WalArchiverReading> ReadAsync(ConnectedDatabase database, CancellationToken cancellationToken = default)
    {
        var output = await new PostgresSession(database).QueryAsync(null, Sql, cancellationToken);
        try
        {
            return Parse(output);
        }
        catch (FormatException e)
        {
            throw new DatabaseTargetException($"{database}: pg_stat_archiver could not be read: {e.Message}", e);
        }
    }

    /// <summary>Reads and judges the archiver of <paramref name="database"/> against <paramref name="objective"/>.</summary>
    public static async Task<WalArchivingStatus> StatusAsync(ConnectedDatabase database, TimeSpan? objective, CancellationToken cancellationToken = default)
    {
        var reading = await ReadAsync(database, cancellationToken);
        var judgment = WalArchiving.Judge(reading, objective);
        return new WalArchivingStatus { Namespace = database.Target.Namespace, Name = database.Target.Name, Reading = reading, State = judgment.State, Reason = judgment.Reason };
    }

    /// <summary>The reading in <paramref name="output"/> (the output of <see cref="Sql"/>); <see cref="FormatException"/> when it is not one.</summary>
    public static WalArchiverReading Parse(string output)
    {
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Length > 0)
            ?? throw new FormatException("the query returned no row");
        var fields = line.Split('\t');
        if (fields.Length != 9)
        {
            throw new FormatException($"expected 9 fields, found {fields.Length}");
        }

        return new WalArchiverReading
        {
            Source = WalArchiverSource.PgStatArchiver,
            ArchiveMode = Text(fields[0]),
            ArchivedCount = Count(fields[1]),
            LastArchivedWal = Text(fields[2]),
            LastArchivedAt = Epoch(fields[3]),
            FailedCount = Count(fields[4]),
            LastFailedWal = Text(fields[5]),
            LastFailedAt = Epoch(fields[6]),
            StatsResetAt = Epoch(fields[7]),
            ReadAt = Epoch(fields[8]) ?? throw new FormatException("the server's now() is missing"),
        };
    }

    private static string? Text(string field) => field.Length == 0 ? null : field;

    private static long? Count(string field) => field.Length == 0 ? null
        : long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new FormatException($"'{field}' is not a count");

    private static DateTimeOffset? Epoch(string field) => field.Length == 0 ? null
        : decimal.TryParse(field, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : throw new FormatException($"'{field}' is not a time in epoch seconds");
}
