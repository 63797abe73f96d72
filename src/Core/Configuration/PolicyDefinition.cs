using Strata.Core.Backup;
using Strata.Core.Retention;
using Strata.Core.Scheduling;

namespace Strata.Core.Configuration;

/// <summary>What a policy protects, when, and how long it keeps it.</summary>
public sealed record PolicyDefinition
{
    /// <summary>The policy's name (storage keys, run history).</summary>
    public required string Name { get; init; }

    /// <summary>Which clusters: names, globs, or tags.</summary>
    public required IReadOnlyList<ClusterSelector> Clusters { get; init; }

    /// <summary>When backups run.</summary>
    public required CronSchedule Schedule { get; init; }

    /// <summary>The time zone of <see cref="Schedule"/>.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The recovery-point objective: a good backup must never be older than this.</summary>
    public TimeSpan? RecoveryPointObjective { get; init; }

    /// <summary>What each backup takes; the policy's GitOps mode is <see cref="BackupScope.SkipGitOpsManaged"/>.</summary>
    public BackupScope Scope { get; init; } = new();

    /// <summary>How long backups are kept.</summary>
    public RetentionRules Retention { get; init; } = new();

    /// <summary>Days each artifact is write-once (locked against deletion); 0 for none.</summary>
    public int WriteOnceDays { get; init; }

    /// <summary>How its backups are verified and drilled.</summary>
    public VerificationSettings Verification { get; init; } = new();

    /// <summary>The database servers whose databases each backup dumps (the databases layer).</summary>
    public IReadOnlyList<Databases.DatabaseTarget> Databases { get; init; } = [];

    /// <summary>Application backup commands run in pods (the application-dumps layer).</summary>
    public IReadOnlyList<Applications.ApplicationDump> Applications { get; init; } = [];

    /// <summary>The CloudNativePG Clusters each backup asks the operator to back up (the CloudNativePG layer).</summary>
    public IReadOnlyList<Databases.CloudNativePg.CloudNativePgTarget> CloudNativePG { get; init; } = [];

    /// <summary>The CSI snapshots of the claims in scope, and the hooks run around them (the volumes layer).</summary>
    public Volumes.VolumeSettings Volumes { get; init; } = Core.Volumes.VolumeSettings.Skip;

    /// <summary>The etcd snapshot and control-plane files each backup takes (the etcd layer); null: none.</summary>
    public Etcd.EtcdSettings? Etcd { get; init; }

    /// <summary>What its backups encrypt (<c>encrypt: none|secrets|all</c>); null: Secret values when keys are configured (<see cref="EncryptionSettings.ModeFor"/>).</summary>
    public Encryption.EncryptionMode? Encrypt { get; init; }

    /// <summary>
    /// The clusters its backups may be restored into when the control plane is asked (HTTP, queue, <c>--remote</c>):
    /// names, globs or tags, as <see cref="Clusters"/>; null: the policy's own clusters.
    /// </summary>
    public IReadOnlyList<ClusterSelector>? RestoreTargets { get; init; }

    /// <summary>The line in the file where the policy is defined.</summary>
    public int Line { get; init; }
}
