using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Verification;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// The CloudNativePG layer's check of <c>cnpg/{namespace}/{cluster}/backup.json</c>: it parses as one
/// <c>postgresql.cnpg.io/v1</c> <c>Backup</c> of the Cluster and namespace its path names, whose <c>status.phase</c>
/// is <c>completed</c>, and it agrees with the manifest's record (the same Backup, the same backup id). What the
/// operator stored is not Strata's to read; this proves that the backup Strata recorded as taken was taken.
/// </summary>
public sealed class CloudNativePgBackupCheck : IArtifactCheck
{
    /// <summary>The most of the artifact read: a Backup object is a few kilobytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <inheritdoc />
    public string Name => "cloudnativepg";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) =>
        artifact.Path.StartsWith(ArtifactLayout.CloudNativePgFolder, StringComparison.Ordinal) && artifact.Path.EndsWith("/backup.json", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        KubeObject backup;
        try
        {
            var buffer = new MemoryStream();
            await CopyAtMostAsync(content, buffer, MaxBytes, cancellationToken);
            backup = new KubeObject(JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw new JsonException("not a JSON object"));
        }
        catch (JsonException e)
        {
            findings.Error(Name, $"not a Backup object: {e.Message}", artifact.Path);
            return new ArtifactCheckResult(facts, ReadToEnd: true); // read whole (or to the limit); the object counts do not rest on it
        }

        var phase = backup.GetString("status.phase");
        facts["phase"] = phase ?? "none";
        if (backup.GetString("status.backupId") is { } id)
        {
            facts["backupId"] = id;
        }

        Check(findings, artifact, "apiVersion", CloudNativePgApi.ApiVersion, backup.ApiVersion);
        Check(findings, artifact, "kind", CloudNativePgApi.Backups.Kind, backup.Kind);
        Check(findings, artifact, "status.phase", CloudNativePgApi.Completed, phase);
        var record = manifest.CloudNativePG?.FirstOrDefault(r => r.Path == artifact.Path);
        if (record is null)
        {
            findings.Error(Name, "the manifest has no CloudNativePG record of this artifact", artifact.Path);
        }
        else
        {
            Check(findings, artifact, "metadata.namespace", record.Namespace, backup.Namespace);
            Check(findings, artifact, "spec.cluster.name", record.Cluster, backup.GetString("spec.cluster.name"));
            Check(findings, artifact, "metadata.name", record.BackupName, backup.Name);
            Check(findings, artifact, "status.backupId", record.BackupId, backup.GetString("status.backupId"));
        }

        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private void Check(VerificationFindings findings, ArtifactEntry artifact, string field, string? expected, string? found)
    {
        if (!string.Equals(expected, found, StringComparison.Ordinal))
        {
            findings.Error(Name, $"{field} is not what the backup recorded", artifact.Path, field, expected ?? "none", found ?? "none");
        }
    }

    private static async Task CopyAtMostAsync(Stream source, Stream destination, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (destination.Length + read > limit)
            {
                throw new JsonException($"larger than {limit} bytes");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
