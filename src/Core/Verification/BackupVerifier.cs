using System.Globalization;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Verification;

/// <summary>
/// Reads a committed backup back from the store and checks it: the manifest is there and readable;
/// every artifact it lists is in the store, not empty, of the recorded size and SHA-256; each
/// artifact's content passes the checks of its layer (<see cref="IArtifactCheck"/>); the objects
/// found equal the manifest's counts; given a connection to the backup's cluster, the volume snapshots it recorded are
/// still there and ready (<see cref="VolumeSnapshotLiveCheck"/>). Every artifact is streamed once, never held whole in memory.
/// The backup is opened first (<see cref="BackupOpening"/>): an invalid signature, or an encrypted backup whose data key
/// none of <c>keyring</c>'s keys unwraps, fails verification before any hash in the manifest is trusted; a manifest not
/// signed by the keyring's signer is an error (<c>unsigned</c>) when it has one, else recorded (one signed by a key it
/// cannot check is a warning); encrypted artifacts are read as
/// their plaintext, and every encrypted Secret value must decrypt.
/// </summary>
public sealed class BackupVerifier(IArtifactStore store, IReadOnlyList<IArtifactCheck> checks, TimeProvider time, Keyring? keyring = null)
{
    private readonly Keyring _keyring = keyring ?? Keyring.None;

    /// <summary>
    /// The checks of the layers Strata has: the objects archive; PostgreSQL dumps and SQL dump scripts (MariaDB/MySQL,
    /// pg_dumpall globals), their rows compared with those the manifest recorded while the dump streamed; CloudNativePG Backups;
    /// volume snapshot records; the etcd snapshot (bbolt header, length, etcd's SHA-256 trailer, the recorded hash); control-plane files.
    /// </summary>
    public static IReadOnlyList<IArtifactCheck> LayerChecks { get; } =
        [new ObjectArchiveCheck(), new PgDumpCheck(RecordedTables), new SqlDumpCheck(RecordedTables), new Databases.CloudNativePg.CloudNativePgBackupCheck(), new VolumeRecordCheck(),
            new EtcdSnapshotCheck(), new ControlPlaneFilesCheck()];

    /// <summary>The tables and rows the manifest recorded for a dump when it was taken (null for an older manifest, or an unreadable dump).</summary>
    public static IReadOnlyList<Databases.DumpTable>? RecordedTables(ArtifactEntry artifact, BackupManifest manifest) =>
        manifest.Databases?.FirstOrDefault(d => d.Path == artifact.Path)?.Contents?.Tables;

    /// <summary>A verifier with every layer's checks.</summary>
    public BackupVerifier(IArtifactStore store, TimeProvider time)
        : this(store, LayerChecks, time)
    {
    }

    /// <summary>
    /// Verifies the backup of <paramref name="backup"/>; with a <paramref name="baseline"/> (the last verified backup of
    /// the same policy and cluster), also reports drift beyond <paramref name="driftThreshold"/> (<see cref="DriftCheck"/>).
    /// <paramref name="cluster"/> connects to the backup's cluster for the live checks; it is called only when the manifest
    /// has volume snapshots to look at, and without it they are reported unchecked (a warning, and
    /// <see cref="VerificationReport.UncheckedSnapshots"/>: such a report does not prove the backup).
    /// </summary>
    public async Task<VerificationReport> VerifyAsync(
        BackupRecord backup, VerificationReport? baseline = null, double driftThreshold = DriftCheck.DefaultThreshold,
        Func<CancellationToken, Task<IClusterWriter>>? cluster = null, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var findings = new VerificationFindings();
        using var opened = await OpenAsync(backup, findings, cancellationToken);
        var manifest = opened?.Manifest;
        var artifactStore = opened?.Artifacts ?? store;
        IReadOnlyList<IArtifactCheck> layerChecks = opened is { SecretValuesEncrypted: true, DataKey: { } secretsKey }
            ? [.. checks.Select(c => c is ObjectArchiveCheck ? new ObjectArchiveCheck(secretsKey) : c)]
            : checks;

        var artifacts = new List<ArtifactVerification>();
        ObjectCounts? found = null;
        var live = VolumeSnapshotLiveCheckResult.None;
        if (manifest is not null)
        {
            var stored = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var info in artifactStore.ListAsync(backup.Location, cancellationToken))
            {
                stored[info.Key] = info.Size;
            }

            var complete = true;
            var tallies = new List<ObjectCounts>();
            foreach (var artifact in manifest.Artifacts)
            {
                var (verification, counts, readToEnd) = await VerifyArtifactAsync(artifactStore, layerChecks, backup.Location, artifact, manifest, stored, findings, cancellationToken);
                artifacts.Add(verification);
                complete &= readToEnd;
                if (counts is not null)
                {
                    tallies.Add(counts);
                }
            }

            if (manifest.Artifacts.Count == 0)
            {
                findings.Error("manifest", "the manifest lists no artifacts", ArtifactLayout.Manifest);
            }

            if (complete && tallies.Count > 0)
            {
                found = Sum(tallies);
                CompareCounts(manifest.Counts, found, findings);
            }

            live = await VolumeSnapshotLiveCheck.CheckAsync(manifest, cluster, findings, cancellationToken);
            artifacts = [.. artifacts.Select(a => live.Notes.TryGetValue(a.Path, out var note)
                ? a with { Facts = new Dictionary<string, string>(a.Facts, StringComparer.Ordinal) { [VolumeSnapshotLiveCheck.LiveFact] = note } }
                : a)];
        }

        var report = new VerificationReport
        {
            BackupId = backup.Id,
            StartedAt = startedAt,
            CompletedAt = startedAt,
            Artifacts = artifacts,
            Counts = found,
            UncheckedSnapshots = live.Unchecked,
            Signature = opened?.Signature,
        };
        if (baseline is not null && manifest is not null)
        {
            DriftCheck.Compare(report, baseline, driftThreshold, findings);
        }

        return report with
        {
            CompletedAt = time.GetUtcNow(),
            Findings = findings.Kept,
            OmittedFindings = findings.Omitted,
            ErrorCount = findings.Errors,
            BaselineBackupId = baseline?.BackupId,
        };
    }

    /// <summary>
    /// Opens the backup (its signature, its data key), recording what is wrong as findings: null when it cannot be read
    /// on, its artifacts unchecked — no hash of a manifest whose signature fails is worth comparing.
    /// </summary>
    private async Task<OpenedBackup?> OpenAsync(BackupRecord backup, VerificationFindings findings, CancellationToken cancellationToken)
    {
        // Signed manifests are required where manifests are signed, and for a backup the run history records as signed.
        var requireSignature = _keyring.Signer is not null || backup.SignedBy is not null;
        OpenedBackup? opened;
        try
        {
            opened = await BackupOpening.OpenAsync(store, backup.Location, _keyring, requireSignature: false, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            findings.Error("manifest", e.Message, ArtifactLayout.Manifest);
            return null;
        }
        catch (BackupTrustException e)
        {
            findings.Error(e.Reason == BackupTrustReason.InvalidSignature ? "signature" : "key", e.Message,
                e.Reason == BackupTrustReason.InvalidSignature ? ArtifactLayout.ManifestSignature : ArtifactLayout.Manifest);
            return null;
        }

        if (opened is null)
        {
            findings.Error("manifest", "the backup has no manifest: it never completed", ArtifactLayout.Manifest);
            return null;
        }

        if (opened.Manifest.BackupId != backup.Id)
        {
            findings.Error("manifest", "the manifest belongs to another backup", ArtifactLayout.Manifest, expected: backup.Id, found: opened.Manifest.BackupId);
        }

        // Where manifests are signed, one that is not (or not by the key held) fails; where they are not, an unsigned
        // manifest is the norm and is only recorded (the report's Signature), while one signed by a key this verifier
        // cannot check is worth a warning.
        var message = $"{opened.Signature.Detail}: its hashes are not proven to be the ones written";
        if (requireSignature && opened.Signature.State != SignatureState.Valid)
        {
            findings.Error(opened.Signature.State == SignatureState.Unverifiable ? "signature" : "unsigned",
                backup.SignedBy is { } signedBy ? $"{message}, and the run history records it as signed by {signedBy}" : $"{message}, and manifests are signed by {_keyring.Signer!.Name}",
                ArtifactLayout.ManifestSignature);
        }
        else if (opened.Signature.State == SignatureState.UnknownKey)
        {
            findings.Warning("unsigned", message, ArtifactLayout.ManifestSignature);
        }

        return opened;
    }

    private static async Task<(ArtifactVerification, ObjectCounts?, bool ReadToEnd)> VerifyArtifactAsync(
        IArtifactStore store, IReadOnlyList<IArtifactCheck> checks, string prefix, ArtifactEntry artifact, BackupManifest manifest, Dictionary<string, long> stored,
        VerificationFindings findings, CancellationToken cancellationToken)
    {
        var key = ArtifactLayout.ArtifactKey(prefix, artifact.Path);
        var check = checks.FirstOrDefault(c => c.AppliesTo(artifact));
        IReadOnlyList<string> names = check is null ? [] : [check.Name];
        if (!stored.ContainsKey(key))
        {
            findings.Error("presence", "the manifest lists it, the store does not have it", artifact.Path);
            return (new ArtifactVerification(artifact.Path, null, null, names, new Dictionary<string, string>()), null, false);
        }

        if (artifact.Size == 0)
        {
            findings.Error("empty", "the manifest records an empty artifact: nothing was captured into it", artifact.Path);
        }

        await using var source = await store.OpenReadAsync(key, cancellationToken);
        var hashing = new HashingStream(source);
        ArtifactCheckResult result;
        try
        {
            result = check is null
                ? new ArtifactCheckResult(new Dictionary<string, string>(), ReadToEnd: true)
                : await check.CheckAsync(artifact, hashing, manifest, findings, cancellationToken);

            // Whatever the check left unread still counts for size and hash.
            await hashing.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (ArtifactDecryptionException e)
        {
            // Truncated, reordered, swapped or altered ciphertext: the plaintext cannot be trusted, or even read on.
            findings.Error("decryption", e.Message, artifact.Path);
            return (new ArtifactVerification(artifact.Path, null, null, names, new Dictionary<string, string>()), null, false);
        }

        var size = hashing.BytesHashed;
        var sha256 = hashing.Sha256Hex;
        if (size == 0 && artifact.Size != 0)
        {
            findings.Error("empty", "the stored artifact is empty", artifact.Path, Bytes(artifact.Size), "0 bytes");
        }
        else if (size != artifact.Size)
        {
            findings.Error("size", size < artifact.Size ? "the stored artifact is shorter than recorded (truncated)" : "the stored artifact is longer than recorded",
                artifact.Path, expected: Bytes(artifact.Size), found: Bytes(size));
        }

        if (!string.Equals(sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            findings.Error("sha256", "the stored bytes are not the bytes that were written", artifact.Path, expected: artifact.Sha256, found: sha256);
        }

        return (new ArtifactVerification(artifact.Path, size, sha256, names, result.Facts), result.Counts, result.ReadToEnd);
    }

    private static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    private static ObjectCounts Sum(List<ObjectCounts> tallies)
    {
        if (tallies.Count == 1)
        {
            return tallies[0];
        }

        static SortedDictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> parts)
        {
            var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, n) in parts.SelectMany(p => p))
            {
                merged[key] = merged.GetValueOrDefault(key) + n;
            }

            return merged;
        }

        return new ObjectCounts(tallies.Sum(t => t.Total), Merge(tallies.Select(t => t.ByResource)), Merge(tallies.Select(t => t.ByNamespace)));
    }

    /// <summary>Every resource and namespace count the manifest records must equal what the archives hold.</summary>
    private static void CompareCounts(ObjectCounts expected, ObjectCounts found, VerificationFindings findings)
    {
        if (expected.Total != found.Total)
        {
            findings.Error("counts", "objects in total", ArtifactLayout.Manifest, expected: Count(expected.Total), found: Count(found.Total));
        }

        Compare("resource", expected.ByResource, found.ByResource);
        Compare("namespace", expected.ByNamespace, found.ByNamespace);

        void Compare(string what, IReadOnlyDictionary<string, long> manifest, IReadOnlyDictionary<string, long> archive)
        {
            foreach (var key in manifest.Keys.Union(archive.Keys).Order(StringComparer.Ordinal))
            {
                var e = manifest.GetValueOrDefault(key);
                var f = archive.GetValueOrDefault(key);
                if (e != f)
                {
                    findings.Error("counts", $"objects of {what} {key}", ArtifactLayout.Manifest, expected: Count(e), found: Count(f));
                }
            }
        }
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
