namespace Strata.Core.Databases;

/// <summary>
/// The server functions that start and stop a non-exclusive online backup, by server version: the backup belongs to the
/// session that started it, so it must be stopped in that session, and the server aborts it when the session ends.
/// </summary>
/// <param name="Since">The first <c>server_version_num</c> the row applies to.</param>
/// <param name="StartFunction">The function that starts the backup.</param>
/// <param name="StartArguments">Its arguments after the label.</param>
/// <param name="StopFunction">The function that stops it.</param>
/// <param name="StopArguments">Its arguments.</param>
public sealed record PostgresBackupFunctions(int Since, string StartFunction, string StartArguments, string StopFunction, string StopArguments)
{
    /// <summary>The oldest server with non-exclusive backups (9.6); older ones have only exclusive backups, which a crash can leave behind.</summary>
    public const int MinimumVersion = 90600;

    /// <summary>Newest first; the reason for each row is beside it.</summary>
    private static readonly PostgresBackupFunctions[] Rows =
    [
        // 15 renamed the functions and removed exclusive backups; fast => true checkpoints at once instead of spreading it.
        new(150000, "pg_backup_start", "fast => true", "pg_backup_stop", "wait_for_archive => true"),

        // 10 added wait_for_archive to pg_stop_backup; exclusive => false keeps the backup in this session.
        new(100000, "pg_start_backup", "true, false", "pg_stop_backup", "false, true"),

        // 9.6 introduced non-exclusive backups; its pg_stop_backup(false) always waits for the WAL to be archived.
        new(MinimumVersion, "pg_start_backup", "true, false", "pg_stop_backup", "false"),
    ];

    /// <summary>The functions of a server at <paramref name="serverVersion"/>; null when it is older than <see cref="MinimumVersion"/>.</summary>
    public static PostgresBackupFunctions? For(int serverVersion) => Rows.FirstOrDefault(r => serverVersion >= r.Since);

    /// <summary>The statement that starts the backup labelled <paramref name="label"/> and prints its start LSN.</summary>
    public string Start(string label) => $"select {StartFunction}({PostgresTools.Literal(label)}, {StartArguments});";

    /// <summary>
    /// The statement that stops it and prints the stop LSN, the <c>backup_label</c> and the <c>tablespace_map</c> — the two
    /// files as hex of their UTF-8, so their line breaks cannot be taken for the ends of rows.
    /// </summary>
    public string Stop() =>
        $"select lsn, encode(convert_to(labelfile, 'UTF8'), 'hex'), encode(convert_to(coalesce(spcmapfile, ''), 'UTF8'), 'hex') from {StopFunction}({StopArguments});";

    /// <summary>For messages: <c>PostgreSQL 15.4</c> from <c>150004</c>, <c>PostgreSQL 9.5.25</c> from <c>90525</c>.</summary>
    public static string VersionText(int serverVersion) => serverVersion >= 100000
        ? $"PostgreSQL {serverVersion / 10000}.{serverVersion % 10000}"
        : $"PostgreSQL {serverVersion / 10000}.{serverVersion / 100 % 100}.{serverVersion % 100}";
}
