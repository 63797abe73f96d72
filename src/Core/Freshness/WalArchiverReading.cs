namespace Strata.Core.Freshness;

/// <summary>
/// A WAL archiver's state as read, for <see cref="WalArchiving.Judge"/> and the manifest. The fields of one
/// <see cref="Source"/> are filled in; the others stay null.
/// </summary>
public sealed record WalArchiverReading
{
    /// <summary>Where it was read.</summary>
    public required WalArchiverSource Source { get; init; }

    /// <summary>When it was read, on the clock of what was read (the database server's <c>now()</c>), so that ages are not skewed by the runner's clock.</summary>
    public required DateTimeOffset ReadAt { get; init; }

    /// <summary>PostgreSQL's <c>archive_mode</c>: <c>on</c>, <c>always</c> or <c>off</c>.</summary>
    public string? ArchiveMode { get; init; }

    /// <summary><c>pg_stat_archiver.archived_count</c>: WAL files archived since the statistics were reset.</summary>
    public long? ArchivedCount { get; init; }

    /// <summary><c>pg_stat_archiver.last_archived_wal</c>.</summary>
    public string? LastArchivedWal { get; init; }

    /// <summary><c>pg_stat_archiver.last_archived_time</c>.</summary>
    public DateTimeOffset? LastArchivedAt { get; init; }

    /// <summary><c>pg_stat_archiver.failed_count</c>: failed attempts since the statistics were reset.</summary>
    public long? FailedCount { get; init; }

    /// <summary><c>pg_stat_archiver.last_failed_wal</c>.</summary>
    public string? LastFailedWal { get; init; }

    /// <summary><c>pg_stat_archiver.last_failed_time</c>.</summary>
    public DateTimeOffset? LastFailedAt { get; init; }

    /// <summary><c>pg_stat_archiver.stats_reset</c>: when the counters began.</summary>
    public DateTimeOffset? StatsResetAt { get; init; }

    /// <summary>The Cluster's <c>ContinuousArchiving</c> condition: <c>True</c>, <c>False</c>, or null when it has none.</summary>
    public string? Condition { get; init; }

    /// <summary>The condition's reason (<c>ContinuousArchivingFailing</c>).</summary>
    public string? ConditionReason { get; init; }

    /// <summary>The condition's message: the archiver's error while it fails.</summary>
    public string? ConditionMessage { get; init; }

    /// <summary>The condition's <c>lastTransitionTime</c>.</summary>
    public DateTimeOffset? ConditionSince { get; init; }

    /// <summary>The Cluster's <c>status.lastSuccessfulBackup</c> (not set for plugin backups).</summary>
    public DateTimeOffset? LastSuccessfulBackupAt { get; init; }

    /// <summary>The Cluster's <c>status.firstRecoverabilityPoint</c>: the earliest point it can be recovered to.</summary>
    public DateTimeOffset? FirstRecoverabilityPoint { get; init; }
}
