using Strata.Core.Artifacts;
using Strata.Core.Databases;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Freshness;

namespace Strata.Core.Backup;

/// <summary>What a layer committed: its artifacts (for the manifest's list) and its own records.</summary>
/// <param name="Artifacts">Every artifact the layer committed.</param>
public sealed record LayerCapture(IReadOnlyList<ArtifactEntry> Artifacts)
{
    /// <summary>The dumps of the databases layer.</summary>
    public IReadOnlyList<DatabaseDump> Databases { get; init; } = [];

    /// <summary>The application dumps.</summary>
    public IReadOnlyList<Applications.ApplicationDumpRecord> Applications { get; init; } = [];

    /// <summary>The base backups of the CloudNativePG layer.</summary>
    public IReadOnlyList<CloudNativePgBackup> CloudNativePG { get; init; } = [];

    /// <summary>The WAL archivers of database targets, as read during the backup.</summary>
    public IReadOnlyList<WalArchivingStatus> WalArchiving { get; init; } = [];

    /// <summary>The volume snapshots of the volumes layer.</summary>
    public IReadOnlyList<Volumes.VolumeSnapshotRecord> Volumes { get; init; } = [];

    /// <summary>The claims in scope the volumes layer could not protect, and why.</summary>
    public IReadOnlyList<Volumes.UnprotectedVolume> UnprotectedVolumes { get; init; } = [];

    /// <summary>What the etcd layer took (snapshot, control-plane files) or why it did not apply; null without an etcd layer.</summary>
    public Etcd.EtcdLayerRecord? Etcd { get; init; }

    /// <summary>Nothing captured.</summary>
    public static LayerCapture Empty { get; } = new([]);

    /// <summary>This capture and <paramref name="other"/> together.</summary>
    public LayerCapture Merge(LayerCapture other) => new([.. Artifacts, .. other.Artifacts])
    {
        Databases = [.. Databases, .. other.Databases],
        Applications = [.. Applications, .. other.Applications],
        CloudNativePG = [.. CloudNativePG, .. other.CloudNativePG],
        WalArchiving = [.. WalArchiving, .. other.WalArchiving],
        Volumes = [.. Volumes, .. other.Volumes],
        UnprotectedVolumes = [.. UnprotectedVolumes, .. other.UnprotectedVolumes],
        Etcd = other.Etcd ?? Etcd,
    };
}
