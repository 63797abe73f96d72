using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Etcd;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.TestKit.Etcd;

/// <summary>
/// A backup holding an etcd snapshot, written into a store as the etcd layer would leave it (the artifact, then the
/// manifest with <see cref="BackupManifest.Etcd"/> and the object counts), for the drill and the restore guide.
/// </summary>
public static class EtcdBackups
{
    /// <summary>The members of a three-member kubeadm control plane.</summary>
    public static IReadOnlyList<EtcdMemberRecord> ThreeMembers { get; } =
    [
        new("8e9e05c52164694d", "cp-1", ["https://10.0.0.11:2380"], ["https://10.0.0.11:2379"], false),
        new("91bc3c398fb3c146", "cp-2", ["https://10.0.0.12:2380"], ["https://10.0.0.12:2379"], false),
        new("fd422379fda50e48", "cp-3", ["https://10.0.0.13:2380", "https://192.168.0.13:2380"], ["https://10.0.0.13:2379"], false),
    ];

    /// <summary>The manifest of backup <paramref name="backupId"/> whose etcd snapshot is <paramref name="snapshot"/>.</summary>
    public static BackupManifest Manifest(
        string backupId, byte[] snapshot, IReadOnlyDictionary<string, long> objects, IReadOnlyList<EtcdMemberRecord>? members = null,
        string cluster = "prod", string policy = "nightly") => new()
    {
        FormatVersion = ArtifactFormat.Version,
        Tool = new ToolInfo("strata", "test"),
        BackupId = backupId,
        Cluster = cluster,
        Policy = policy,
        ServerVersion = "v1.31.4",
        Scope = new BackupScope().ToSummary(),
        StartedAt = new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero),
        CompletedAt = new DateTimeOffset(2026, 11, 21, 2, 31, 0, TimeSpan.Zero),
        Status = BackupStatus.Succeeded,
        Counts = new ObjectCounts(objects.Values.Sum(), objects, new Dictionary<string, long>()),
        GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
        Artifacts = [new ArtifactEntry(ArtifactLayout.EtcdSnapshotPath, snapshot.Length, Sha256(snapshot))],
        Etcd = new EtcdLayerRecord
        {
            Snapshot = new EtcdSnapshotRecord
            {
                Path = ArtifactLayout.EtcdSnapshotPath,
                Size = snapshot.Length,
                Sha256 = Sha256(snapshot),
                DatabaseSha256 = Convert.ToHexStringLower(snapshot.AsSpan(snapshot.Length - EtcdSnapshotIntegrity.TrailerLength)),
                PageSize = BoltSnapshots.PageSize,
                Endpoint = "https://10.0.0.12:2379",
                MemberId = "91bc3c398fb3c146",
                MemberName = "cp-2",
                ClusterId = "cdf818194e3a8c32",
                Revision = 48_213,
                RaftTerm = 4,
                RaftIndex = 51_877,
                DbSize = snapshot.Length - EtcdSnapshotIntegrity.TrailerLength,
                EtcdVersion = "3.5.12",
                Members = members ?? ThreeMembers,
                StartedAt = new DateTimeOffset(2026, 11, 21, 2, 30, 50, TimeSpan.Zero),
                Duration = TimeSpan.FromSeconds(2),
            },
        },
    };

    /// <summary>Lowercase hex SHA-256 of <paramref name="bytes"/>, as manifests record an artifact's.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>Writes the snapshot and then the manifest under the backup's prefix; returns the prefix.</summary>
    public static async Task<string> StoreAsync(IArtifactStore store, BackupManifest manifest, byte[] snapshot, CancellationToken cancellationToken = default)
    {
        var prefix = ArtifactLayout.BackupPrefix(manifest.Cluster, manifest.Policy, manifest.BackupId);
        await using (var writer = await store.CreateAsync(ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath), cancellationToken))
        {
            await writer.Content.WriteAsync(snapshot, cancellationToken);
            await writer.CommitAsync(cancellationToken);
        }

        await ManifestFile.WriteAsync(store, prefix, manifest, cancellationToken: cancellationToken);
        return prefix;
    }
}
