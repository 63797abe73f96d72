using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Serialization;
using Strata.Core.Volumes;

namespace Strata.Core.Verification;

/// <summary>
/// The volumes layer's check of <c>volumes/{ns}/{pvc}.json</c>: it parses as a <see cref="VolumeSnapshotArtifact"/> whose
/// record is the manifest's record of that path (the same claim, VolumeSnapshot, content and handle), and whose embedded
/// VolumeSnapshot is the one named and was <c>readyToUse</c> when it was captured; the record must hold the storage
/// system's snapshot handle and a content left <c>Retain</c> (else the data goes with its namespace). It proves what the store says of the
/// snapshot; that the snapshot is still there is the live check's (<see cref="VolumeSnapshotLiveCheck"/>).
/// </summary>
public sealed class VolumeRecordCheck : IArtifactCheck
{
    /// <summary>The most of the artifact read: three objects and a <c>backup_label</c> are a few kilobytes.</summary>
    public const int MaxBytes = 4 << 20;

    /// <inheritdoc />
    public string Name => "volume";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) =>
        artifact.Path.StartsWith(ArtifactLayout.VolumesFolder, StringComparison.Ordinal) && artifact.Path.EndsWith(".json", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        VolumeSnapshotArtifact stored;
        try
        {
            stored = await ReadAsync(content, cancellationToken);
        }
        catch (JsonException e)
        {
            findings.Error(Name, $"not a volume snapshot record: {e.Message}", artifact.Path);
            return new ArtifactCheckResult(facts, ReadToEnd: true); // the object counts do not rest on it
        }

        var record = stored.Record;
        var snapshot = new KubeObject(stored.VolumeSnapshot);
        facts["claim"] = record.Qualified;
        facts["snapshot"] = record.SnapshotName;
        facts["readyToUse"] = SnapshotStatus.IsReady(snapshot) ? "true" : "false";
        if (record.SnapshotHandle is { } handle)
        {
            facts["snapshotHandle"] = handle;
        }

        if (manifest.Volumes?.FirstOrDefault(v => v.Path == artifact.Path) is not { } recorded)
        {
            findings.Error(Name, "the manifest has no volume record of this artifact", artifact.Path);
        }
        else
        {
            Check(findings, artifact, "record.namespace", recorded.Namespace, record.Namespace);
            Check(findings, artifact, "record.claim", recorded.Claim, record.Claim);
            Check(findings, artifact, "record.snapshotName", recorded.SnapshotName, record.SnapshotName);
            Check(findings, artifact, "record.snapshotUid", recorded.SnapshotUid, record.SnapshotUid);
            Check(findings, artifact, "record.contentName", recorded.ContentName, record.ContentName);
            Check(findings, artifact, "record.snapshotHandle", recorded.SnapshotHandle, record.SnapshotHandle);
        }

        Captured(findings, artifact, "volumeSnapshot.apiVersion", VolumeSnapshotApi.ApiVersion, snapshot.ApiVersion);
        Captured(findings, artifact, "volumeSnapshot.kind", VolumeSnapshotApi.VolumeSnapshots.Kind, snapshot.Kind);
        Captured(findings, artifact, "volumeSnapshot.metadata.namespace", record.Namespace, snapshot.Namespace);
        Captured(findings, artifact, "volumeSnapshot.metadata.name", record.SnapshotName, snapshot.Name);
        if (record.SnapshotUid is not null)
        {
            Captured(findings, artifact, "volumeSnapshot.metadata.uid", record.SnapshotUid, snapshot.Uid);
        }

        if (record.ContentName is not null)
        {
            Captured(findings, artifact, "volumeSnapshot.status.boundVolumeSnapshotContentName", record.ContentName, SnapshotStatus.BoundContent(snapshot));
        }

        if (!SnapshotStatus.IsReady(snapshot))
        {
            findings.Error(Name, "the VolumeSnapshot was not readyToUse when it was captured" + (SnapshotStatus.Error(snapshot) is { } error ? $": {error}" : ""),
                artifact.Path, "volumeSnapshot.status.readyToUse", "true", SnapshotStatus.ReadyToUse(snapshot) is false ? "false" : "none");
        }

        if (record.SnapshotHandle is null)
        {
            findings.Error(Name, "the record holds no snapshot handle: the VolumeSnapshotContent was not read at capture, so nothing proves which storage snapshot holds the data, "
                + "nor that it outlives its VolumeSnapshot", artifact.Path, "record.snapshotHandle", "a handle", "none");
        }
        else if (record.DeletionPolicy != "Retain")
        {
            findings.Error(Name, $"the VolumeSnapshotContent was left with deletionPolicy {record.DeletionPolicy ?? "none"}: deleting the VolumeSnapshot, or its namespace, deletes the storage snapshot",
                artifact.Path, "record.deletionPolicy", "Retain", record.DeletionPolicy ?? "none");
        }

        if (stored.VolumeSnapshotContent is { } contentObject && record.ContentName is not null)
        {
            var bound = new KubeObject(contentObject);
            Captured(findings, artifact, "volumeSnapshotContent.metadata.name", record.ContentName, bound.Name);
            if (record.SnapshotHandle is not null)
            {
                Captured(findings, artifact, "volumeSnapshotContent.status.snapshotHandle", record.SnapshotHandle, bound.GetString("status.snapshotHandle"));
            }
        }

        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private static async Task<VolumeSnapshotArtifact> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new JsonException($"larger than {MaxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        var stored = JsonSerializer.Deserialize(buffer.ToArray(), StrataJson.Default.VolumeSnapshotArtifact) ?? throw new JsonException("the artifact is null");
        return stored switch
        {
            { Record: null } => throw new JsonException("it has no record"),
            { VolumeSnapshot: null } => throw new JsonException("it has no volumeSnapshot"),
            _ => stored,
        };
    }

    /// <summary>The artifact's record against the manifest's.</summary>
    private void Check(VerificationFindings findings, ArtifactEntry artifact, string field, string? expected, string? found) =>
        Compare(findings, artifact, field, expected, found, "is not what the manifest recorded");

    /// <summary>A captured object against the record.</summary>
    private void Captured(VerificationFindings findings, ArtifactEntry artifact, string field, string? expected, string? found) =>
        Compare(findings, artifact, field, expected, found, "is not the snapshot the record names");

    private void Compare(VerificationFindings findings, ArtifactEntry artifact, string field, string? expected, string? found, string disagreement)
    {
        if (!string.Equals(expected, found, StringComparison.Ordinal))
        {
            findings.Error(Name, $"{field} {disagreement}", artifact.Path, field, expected ?? "none", found ?? "none");
        }
    }
}
