using System.Globalization;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;

namespace Strata.Core.Verification;

/// <summary>
/// The etcd layer's check of <c>etcd/snapshot.db</c>: the whole artifact read once through the same checked read as
/// the drill's and the restore guide's (<see cref="EtcdSnapshotDownload.ReadAsync"/>) — the bbolt meta pages, the
/// length they announce, etcd's SHA-256 trailer — as the capture checked it. A snapshot that fails is an error naming what is wrong; one whose database hash is not
/// the one the manifest recorded is an error too (the record and the artifact disagree). The facts give the page size,
/// the database's bytes, the bbolt transaction, etcd's SHA-256 and the trailer's verdict.
/// </summary>
public sealed class EtcdSnapshotCheck : IArtifactCheck
{
    /// <inheritdoc />
    public string Name => "etcd";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) => artifact.Path == ArtifactLayout.EtcdSnapshotPath;

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var verdict = await EtcdSnapshotDownload.ReadAsync(content, null, cancellationToken);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!verdict.Intact)
        {
            findings.Error(Name, $"the snapshot is not intact: {verdict.Problem}", artifact.Path);
            facts["integrity"] = verdict.Problem!;
            return new ArtifactCheckResult(facts, ReadToEnd: true);
        }

        facts["page size"] = Number(verdict.PageSize);
        facts["database bytes"] = Number(verdict.DatabaseLength);
        facts["transaction id"] = verdict.TransactionId.ToString(CultureInfo.InvariantCulture);
        facts["etcd sha256"] = verdict.DatabaseSha256!;
        facts["trailer"] = "matches";
        if (manifest.Etcd?.Snapshot is not { } recorded || recorded.Path != artifact.Path)
        {
            findings.Error(Name, "the manifest has no etcd snapshot record of this artifact", artifact.Path);
        }
        else if (!string.Equals(recorded.DatabaseSha256, verdict.DatabaseSha256, StringComparison.OrdinalIgnoreCase))
        {
            findings.Error(Name, "etcd's SHA-256 of the stored database is not the one the manifest recorded at capture", artifact.Path,
                expected: recorded.DatabaseSha256, found: verdict.DatabaseSha256);
        }
        else if (recorded.PageSize != verdict.PageSize)
        {
            findings.Error(Name, "the stored database's page size is not the one the manifest recorded at capture", artifact.Path,
                expected: Number(recorded.PageSize), found: Number(verdict.PageSize));
        }

        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
