using System.Globalization;
using System.Text.Json.Serialization;
using Strata.Core.Freshness;
using Strata.Core.Kubernetes;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// One CloudNativePG base backup in a Strata backup, as the manifest records it: the <c>Backup</c> Strata asked the
/// operator for and how it ended, read from its <c>status</c> — Barman's backup id, the WAL and LSN range that makes it
/// consistent, where the operator stored it. Strata holds none of that data: only this record and the final
/// <c>Backup</c> object (<see cref="Path"/>).
/// </summary>
public sealed record CloudNativePgBackup
{
    /// <summary>The Cluster's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The Cluster's name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The <c>Backup</c>'s name.</summary>
    public required string BackupName { get; init; }

    /// <summary>The method (<c>barmanObjectStore</c>, <c>volumeSnapshot</c>, <c>plugin</c>): <c>status.method</c>, else <c>spec.method</c>.</summary>
    public string? Method { get; init; }

    /// <summary>The plugin that took it (<c>spec.pluginConfiguration.name</c>), for the plugin method.</summary>
    public string? Plugin { get; init; }

    /// <summary><c>status.phase</c> when Strata stopped waiting: <c>completed</c>, <c>failed</c>, or where it was at the timeout.</summary>
    public string? Phase { get; init; }

    /// <summary><c>status.backupId</c>: Barman's (or the plugin's) id of the backup.</summary>
    public string? BackupId { get; init; }

    /// <summary><c>status.beginWal</c>: the first WAL file the backup needs.</summary>
    public string? BeginWal { get; init; }

    /// <summary><c>status.endWal</c>: the last WAL file the backup needs to be consistent.</summary>
    public string? EndWal { get; init; }

    /// <summary><c>status.beginLSN</c>.</summary>
    [JsonPropertyName("beginLSN")]
    public string? BeginLsn { get; init; }

    /// <summary><c>status.endLSN</c>.</summary>
    [JsonPropertyName("endLSN")]
    public string? EndLsn { get; init; }

    /// <summary><c>status.startedAt</c>.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary><c>status.stoppedAt</c>.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary><c>status.destinationPath</c>: where the operator stored it (e.g. <c>s3://bucket/path</c>).</summary>
    public string? DestinationPath { get; init; }

    /// <summary><c>status.error</c> of a failed backup, or why Strata stopped waiting.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the Backup was found from an earlier attempt of the same Strata backup (a replayed run) rather than created.</summary>
    public bool Reused { get; init; }

    /// <summary>The artifact holding the final <c>Backup</c> object; null when it did not complete (nothing was committed).</summary>
    public string? Path { get; init; }

    /// <summary>The Cluster's WAL archiving as the backup found it.</summary>
    public WalArchivingStatus? Archiving { get; init; }

    /// <summary>The record of <paramref name="backup"/> (a <c>Backup</c> object) of <paramref name="target"/>.</summary>
    public static CloudNativePgBackup From(CloudNativePgTarget target, KubeObject backup) => new()
    {
        Namespace = target.Namespace,
        Cluster = target.Cluster,
        BackupName = backup.Name,
        Method = backup.GetString("status.method") ?? backup.GetString("spec.method"),
        Plugin = backup.GetString("spec.pluginConfiguration.name"),
        Phase = backup.GetString("status.phase"),
        BackupId = backup.GetString("status.backupId"),
        BeginWal = backup.GetString("status.beginWal"),
        EndWal = backup.GetString("status.endWal"),
        BeginLsn = backup.GetString("status.beginLSN"),
        EndLsn = backup.GetString("status.endLSN"),
        StartedAt = Time(backup.GetString("status.startedAt")),
        StoppedAt = Time(backup.GetString("status.stoppedAt")),
        DestinationPath = backup.GetString("status.destinationPath"),
        Error = backup.GetString("status.error"),
    };

    /// <summary>An RFC 3339 time as the API writes it; null when absent or unreadable.</summary>
    public static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
