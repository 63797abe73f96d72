using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.Serialization;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// What a backup holds about its claims' snapshots, by source claim: the manifest's record with its verified artifact
/// (<c>volumes/{ns}/{pvc}.json</c>, read through the same size and SHA-256 check as every other artifact), and the claims
/// no snapshot protects.
/// </summary>
internal sealed class SnapshotInventory
{
    private SnapshotInventory(
        string backupId, string? cluster, Dictionary<(string, string), RecordedSnapshot> recorded, Dictionary<(string, string), UnprotectedVolume> unprotected)
    {
        BackupId = backupId;
        Cluster = cluster;
        Recorded = recorded;
        Unprotected = unprotected;
    }

    /// <summary>The backup.</summary>
    public string BackupId { get; }

    /// <summary>The cluster it was taken on, when known.</summary>
    public string? Cluster { get; }

    /// <summary>The snapshot of each claim (namespace, claim) in the backup.</summary>
    public IReadOnlyDictionary<(string Namespace, string Claim), RecordedSnapshot> Recorded { get; }

    /// <summary>The claims in the backup's scope that no snapshot protects.</summary>
    public IReadOnlyDictionary<(string Namespace, string Claim), UnprotectedVolume> Unprotected { get; }

    /// <summary>The VolumeSnapshotContents the volume layer's snapshots were bound to.</summary>
    public IEnumerable<string> ContentNames => Recorded.Values.Select(r => r.Record.ContentName).OfType<string>();

    /// <summary>
    /// The inventory of <paramref name="manifest"/> (empty without one); <paramref name="verified"/> holds the bytes of the
    /// volume artifacts that matched the manifest, by path.
    /// </summary>
    public static SnapshotInventory From(string backupId, string? cluster, BackupManifest? manifest, IReadOnlyDictionary<string, byte[]> verified)
    {
        var recorded = new Dictionary<(string, string), RecordedSnapshot>();
        foreach (var record in manifest?.Volumes ?? [])
        {
            var key = (record.Namespace, record.Claim);
            if (recorded.TryGetValue(key, out var earlier) && IsUsable(earlier.Record))
            {
                continue; // a retried snapshot of the same claim: the first usable one stands
            }

            recorded[key] = Read(record, verified);
        }

        var unprotected = new Dictionary<(string, string), UnprotectedVolume>();
        foreach (var volume in manifest?.UnprotectedVolumes ?? [])
        {
            unprotected.TryAdd((volume.Namespace, volume.Claim), volume);
        }

        return new SnapshotInventory(backupId, cluster, recorded, unprotected);
    }

    /// <summary>Whether a volume artifact's bytes are kept while it is verified (they are read again after the check).</summary>
    public static bool Keeps(ArtifactEntry artifact) =>
        artifact.Path.StartsWith(ArtifactLayout.VolumesFolder, StringComparison.Ordinal) && artifact.Size <= MaxArtifactBytes;

    /// <summary>A volume artifact is a few kilobytes of JSON; a larger one is not read into memory.</summary>
    public const long MaxArtifactBytes = 4 << 20;

    /// <summary>
    /// Whether the backup's snapshot of a claim can be restored from: committed (its record has an artifact) and ready.
    /// An error the backup recorded against such a snapshot — a post hook that failed with <c>onError: Fail</c> after the
    /// snapshot was cut — does not take its data away: the claim is restored from it, and the error passed on as a warning.
    /// An empty claim in its place would look restored and not be.
    /// </summary>
    public static bool IsUsable(VolumeSnapshotRecord record) => record.Path is not null && record.ReadyToUse;

    private static RecordedSnapshot Read(VolumeSnapshotRecord record, IReadOnlyDictionary<string, byte[]> verified)
    {
        if (!IsUsable(record))
        {
            return new RecordedSnapshot(record, null, null);
        }

        if (!verified.TryGetValue(record.Path!, out var bytes))
        {
            return new RecordedSnapshot(record, null,
                $"its record {record.Path} is not among the manifest's checked artifacts (or is larger than {MaxArtifactBytes / (1 << 20)} MiB)");
        }

        try
        {
            var artifact = JsonSerializer.Deserialize(bytes, StrataJson.Default.VolumeSnapshotArtifact);
            return artifact is null ? new RecordedSnapshot(record, null, $"its record {record.Path} is empty")
                : artifact.Record.SnapshotHandle != record.SnapshotHandle
                    ? new RecordedSnapshot(record, artifact, $"its record {record.Path} names snapshot handle {artifact.Record.SnapshotHandle}, the manifest {record.SnapshotHandle}")
                    : new RecordedSnapshot(record, artifact, null);
        }
        catch (JsonException e)
        {
            return new RecordedSnapshot(record, null, $"its record {record.Path} is unreadable: {e.Message}");
        }
    }
}
