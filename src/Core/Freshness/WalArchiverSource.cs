namespace Strata.Core.Freshness;

/// <summary>Where a WAL archiver's state was read.</summary>
public enum WalArchiverSource
{
    /// <summary>A CloudNativePG Cluster's status: its <c>ContinuousArchiving</c> condition and <c>lastSuccessfulBackup</c>.</summary>
    CloudNativePg,

    /// <summary>PostgreSQL's <c>pg_stat_archiver</c> view and <c>archive_mode</c>, read with <c>psql</c> (an <c>archive_command</c> or <c>archive_library</c> setup).</summary>
    PgStatArchiver,
}
