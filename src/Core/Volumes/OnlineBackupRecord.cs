namespace Strata.Core.Volumes;

/// <summary>
/// A PostgreSQL online backup around volume snapshots (<c>pg_backup_start(label, fast)</c> … snapshots …
/// <c>pg_backup_stop()</c>, in one session): the files <c>pg_backup_stop</c> returned, which recovery from the snapshot
/// needs in the data directory, and the WAL range it must replay (from the archive) to be consistent.
/// </summary>
public sealed record OnlineBackupRecord
{
    /// <summary>The database target (<c>ns/name</c> in the policy's <c>databases:</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The label given to <c>pg_backup_start</c>.</summary>
    public required string Label { get; init; }

    /// <summary>Where the session ran: <c>pod shop/postgres-0 (container postgres)</c>, <c>this host</c>.</summary>
    public string? RanIn { get; init; }

    /// <summary>The server's version (<c>server_version_num</c>).</summary>
    public int? ServerVersion { get; init; }

    /// <summary>The LSN <c>pg_backup_start</c> returned: where WAL replay begins.</summary>
    public string? StartLsn { get; init; }

    /// <summary>The LSN <c>pg_backup_stop</c> returned: replay must reach it for the snapshot to be consistent.</summary>
    public string? StopLsn { get; init; }

    /// <summary>When <c>pg_backup_start</c> returned.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When <c>pg_backup_stop</c> returned.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The <c>backup_label</c> file's content, as <c>pg_backup_stop</c> returned it (<c>labelfile</c>); null when the backup did not stop.</summary>
    public string? BackupLabel { get; init; }

    /// <summary>The <c>tablespace_map</c> file's content (<c>spcmapfile</c>); null or empty when the server has no tablespaces beside the default ones.</summary>
    public string? TablespaceMap { get; init; }
}
