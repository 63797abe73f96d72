using Strata.Core.Backup;
using Strata.Core.Results;
using Strata.Core.Runs;

namespace Strata.Core.Artifacts;

/// <summary>
/// <c>manifest.json</c>: written last, it is the backup's commit marker. It says what was asked
/// for, what was captured (counts, every artifact's size and SHA-256), what was left out and why,
/// and every problem per item.
/// </summary>
public sealed record BackupManifest
{
    /// <summary><see cref="ArtifactFormat.Version"/> at the time of writing.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The tool that wrote it.</summary>
    public required ToolInfo Tool { get; init; }

    /// <summary>Backup id.</summary>
    public required string BackupId { get; init; }

    /// <summary>Cluster name.</summary>
    public required string Cluster { get; init; }

    /// <summary>Policy name.</summary>
    public required string Policy { get; init; }

    /// <summary>The API server's version.</summary>
    public required string ServerVersion { get; init; }

    /// <summary>What was asked for.</summary>
    public required BackupScopeSummary Scope { get; init; }

    /// <summary>When capture started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When capture ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Succeeded or PartiallyFailed (a failed capture writes no manifest).</summary>
    public required BackupStatus Status { get; init; }

    /// <summary>Objects captured.</summary>
    public required ObjectCounts Counts { get; init; }

    /// <summary>Objects left out by item rules, counted per reason.</summary>
    public IReadOnlyDictionary<string, long> ExcludedObjects { get; init; } = new Dictionary<string, long>();

    /// <summary>Resource types left out, and why.</summary>
    public IReadOnlyList<SkippedResource> ExcludedResources { get; init; } = [];

    /// <summary>What Argo CD and Flux manage.</summary>
    public required GitOpsSummary GitOps { get; init; }

    /// <summary>Every artifact but the manifest.</summary>
    public required IReadOnlyList<ArtifactEntry> Artifacts { get; init; }

    /// <summary>The database dumps (the databases layer); null when the policy dumps none.</summary>
    public IReadOnlyList<Databases.DatabaseDump>? Databases { get; init; }

    /// <summary>The application dumps (<c>applications:</c> of the policy); null when there are none.</summary>
    public IReadOnlyList<Applications.ApplicationDumpRecord>? Applications { get; init; }

    /// <summary>The CloudNativePG base backups Strata asked for (the CloudNativePG layer); null when the policy protects no Cluster.</summary>
    public IReadOnlyList<Databases.CloudNativePg.CloudNativePgBackup>? CloudNativePG { get; init; }

    /// <summary>The WAL archivers of database targets with <c>archiving: true</c>, as read during the backup; null when there are none.</summary>
    public IReadOnlyList<Freshness.WalArchivingStatus>? WalArchiving { get; init; }

    /// <summary>The volume snapshots (the volumes layer); null when the policy snapshots no volume.</summary>
    public IReadOnlyList<Volumes.VolumeSnapshotRecord>? Volumes { get; init; }

    /// <summary>The claims in scope that no snapshot protects, and why; null when the policy snapshots no volume.</summary>
    public IReadOnlyList<Volumes.UnprotectedVolume>? UnprotectedVolumes { get; init; }

    /// <summary>The etcd layer: the snapshot and the control-plane files, or why they do not apply; null when the policy has no <c>etcd:</c>.</summary>
    public Etcd.EtcdLayerRecord? Etcd { get; init; }

    /// <summary>How the backup was encrypted, with its wrapped data key; null when nothing is encrypted.</summary>
    public Encryption.EncryptionRecord? Encryption { get; init; }

    /// <summary>Every problem, per item.</summary>
    public IReadOnlyList<Problem> Problems { get; init; } = [];
}
