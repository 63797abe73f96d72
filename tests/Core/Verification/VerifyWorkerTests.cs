using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Verification;

/// <summary>
/// Verification on the TestKit fakes: a real backup through the backup worker, then the store
/// damaged the ways stores and capture bugs damage backups, each failing with the right finding.
/// </summary>
public sealed class VerifyWorkerTests
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    [Fact]
    public async Task Handle_SoundBackup_RecordsVerified_WithCountsAndNoFindings()
    {
        var (record, _) = await BackUpAndVerifyAsync(configMaps: 3);

        Assert.Equal(BackupStatus.Verified, record.Status);
        var report = record.Verification!;
        Assert.True(report.Passed);
        Assert.Empty(report.Findings);
        Assert.Equal(record.ObjectCount, report.Counts!.Total);
        Assert.Equal(3, report.Counts.ByResource["configmaps"]);
        Assert.Equal(ArtifactLayout.ResourcesArchive, Assert.Single(report.Artifacts).Path);
        Assert.Equal("4", report.Artifacts[0].Facts["entries"]);
        Assert.Equal(["objects"], report.Artifacts[0].Checks);
    }

    [Fact]
    public async Task Handle_FlippedByte_FailsOnSha256_AndAlertsCritical()
    {
        var record = await BackUpAsync();
        Tamper(record, ArtifactLayout.ResourcesArchive, bytes => bytes[bytes.Length / 2] ^= 0x01);

        var (verified, result) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        var sha = Assert.Single(verified.Verification!.Errors, f => f.Check == "sha256");
        Assert.Equal((ArtifactLayout.ResourcesArchive, record.Artifacts[0].Sha256), (sha.Artifact, sha.Expected));
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Critical, "verification-failed", "verification-failed/nightly/prod"), (alert.Severity, alert.Kind, alert.DedupKey));
        Assert.Contains(alert.FailedItems!, d => d.Contains($"sha256: the stored bytes are not the bytes that were written (expected {record.Artifacts[0].Sha256}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_TruncatedArtifact_FailsOnSize_NamingTruncation()
    {
        var record = await BackUpAsync();
        Tamper(record, ArtifactLayout.ResourcesArchive, bytes => bytes.AsSpan(0, bytes.Length - 100).ToArray());

        var (verified, _) = await VerifyAsync(record);

        var size = Assert.Single(verified.Verification!.Errors, f => f.Check == "size");
        Assert.Contains("truncated", size.Message, StringComparison.Ordinal);
        Assert.Equal($"{record.Artifacts[0].Size:N0} bytes", size.Expected);
        Assert.Contains(verified.Verification.Errors, f => f.Check == "archive"); // the gzip stream ends early
    }

    [Fact]
    public async Task Handle_EntryMissing_ManifestHashesRewritten_FailsOnCounts()
    {
        // A capture bug that drops an object but records the count it meant to write.
        var record = await BackUpAsync(configMaps: 3);
        var dropped = "resources/core/v1/configmaps/namespaces/shop/settings-1.json";
        Rewrite(record, entries => entries.Remove(dropped));

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        Assert.DoesNotContain(verified.Verification!.Errors, f => f.Check is "sha256" or "size");
        Assert.Contains(verified.Verification.Errors, f => f is { Check: "counts", Message: "objects of resource configmaps", Expected: "3", Found: "2" });
        Assert.Contains(verified.Verification.Errors, f => f is { Check: "counts", Message: "objects of namespace shop", Expected: "3", Found: "2" });
    }

    [Fact]
    public async Task Handle_MiscountedManifest_FailsOnCounts()
    {
        var record = await BackUpAsync(configMaps: 3);
        RewriteManifest(record, m => m with
        {
            Counts = m.Counts with { Total = m.Counts.Total + 1, ByResource = new Dictionary<string, long>(m.Counts.ByResource) { ["configmaps"] = 4 } },
        });

        var (verified, _) = await VerifyAsync(record);

        Assert.Contains(verified.Verification!.Errors, f => f is { Check: "counts", Message: "objects in total" });
        Assert.Contains(verified.Verification.Errors, f => f is { Check: "counts", Expected: "4", Found: "3" });
    }

    [Fact]
    public async Task Handle_EntryDisagreesWithItsPath_FailsOnThatEntry()
    {
        var record = await BackUpAsync();
        var path = "resources/core/v1/configmaps/namespaces/shop/settings-0.json";
        Rewrite(record, entries => entries[path] = Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other","namespace":"shop"}}"""));

        var (verified, _) = await VerifyAsync(record);

        var entry = Assert.Single(verified.Verification!.Errors, f => f.Check == "entry");
        Assert.Equal((path, "settings-0", "other"), (entry.Entry, entry.Expected, entry.Found));
    }

    [Fact]
    public async Task Handle_EntryIsNotJson_FailsOnThatEntry()
    {
        var record = await BackUpAsync();
        var path = "resources/core/v1/configmaps/namespaces/shop/settings-2.json";
        Rewrite(record, entries => entries[path] = Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings-2" """));

        var (verified, _) = await VerifyAsync(record);

        var entry = Assert.Single(verified.Verification!.Errors, f => f.Check == "entry");
        Assert.Equal(path, entry.Entry);
        Assert.StartsWith("not a JSON object", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_ArtifactGoneFromTheStore_FailsOnPresence()
    {
        var record = await BackUpAsync();
        _plane.Store.Artifacts.Remove(record.Location + ArtifactLayout.ResourcesArchive);

        var (verified, _) = await VerifyAsync(record);

        Assert.Equal("presence", Assert.Single(verified.Verification!.Errors).Check);
    }

    [Fact]
    public async Task Handle_ManifestGone_FailsOnManifest()
    {
        var record = await BackUpAsync();
        _plane.Store.Artifacts.Remove(record.Location + ArtifactLayout.Manifest);

        var (verified, _) = await VerifyAsync(record);

        var finding = Assert.Single(verified.Verification!.Errors);
        Assert.Equal(("manifest", ArtifactLayout.Manifest), (finding.Check, finding.Artifact));
    }

    [Fact]
    public async Task Handle_ClusterShrankByMoreThanTheThreshold_WarnsAgainstTheLastVerified_AndStillVerifies()
    {
        var cluster = await _plane.AddClusterAsync("prod", configMaps: 30);
        var (first, _) = await BackUpAndVerifyAsync(existing: true);
        for (var i = 0; i < 25; i++)
        {
            cluster.Remove("configmaps", "shop", $"settings-{i}");
        }

        _plane.Clock.Advance(TimeSpan.FromHours(1));
        var (second, result) = await BackUpAndVerifyAsync(existing: true, id: "ci-2");

        Assert.Equal(BackupStatus.Verified, second.Status);
        Assert.Equal(first.Id, second.Verification!.BaselineBackupId);
        var drift = second.Verification.Warnings.ToList();
        Assert.Contains(drift, f => f.Check == "drift" && f.Message.StartsWith("objects of configmaps shrank by 83 %", StringComparison.Ordinal));
        Assert.Contains(drift, f => f.Check == "drift" && f.Message.StartsWith("objects in total shrank", StringComparison.Ordinal));
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Warning, "backup-drift"), (alert.Severity, alert.Kind));
    }

    [Fact]
    public async Task Handle_ShrinkWithinTheThreshold_NoWarning()
    {
        var cluster = await _plane.AddClusterAsync("prod", configMaps: 30);
        await BackUpAndVerifyAsync(existing: true);
        cluster.Remove("configmaps", "shop", "settings-0");
        _plane.Clock.Advance(TimeSpan.FromHours(1));

        var (second, result) = await BackUpAndVerifyAsync(existing: true, id: "ci-2");

        Assert.Empty(second.Verification!.Findings);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task Handle_UnknownBackup_IsRejected()
    {
        var request = new Envelope("v-1", "v-1", _plane.Clock.GetUtcNow(), new VerifyRequested("20261121-093000-abcdef", "prod", "nightly"));

        var result = await VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));

        Assert.Contains("not in the run history", result.Rejection, StringComparison.Ordinal);
    }

    private async Task<BackupRecord> BackUpAsync(int configMaps = 3, bool existing = false, string id = "ci-1")
    {
        if (!existing)
        {
            await _plane.AddClusterAsync("prod", configMaps);
        }

        var request = _plane.Request(id);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        return (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    private async Task<(BackupRecord, FunctionResult)> BackUpAndVerifyAsync(int configMaps = 3, bool existing = false, string id = "ci-1") =>
        await VerifyAsync(await BackUpAsync(configMaps, existing, id));

    private async Task<(BackupRecord, FunctionResult)> VerifyAsync(BackupRecord record)
    {
        var request = new Envelope("verify-" + record.Id, "ci", _plane.Clock.GetUtcNow(), new VerifyRequested(record.Id, record.Cluster, record.Policy));
        var result = await VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        Assert.Null(result.Rejection);
        return ((await _plane.History.FindBackupAsync(record.Id))!, result);
    }

    private void Tamper(BackupRecord record, string artifact, Func<byte[], byte[]> change) =>
        _plane.Store.Artifacts[record.Location + artifact] = change(_plane.Store.Artifacts[record.Location + artifact].ToArray());

    private void Tamper(BackupRecord record, string artifact, Action<byte[]> change) =>
        Tamper(record, artifact, bytes =>
        {
            change(bytes);
            return bytes;
        });

    /// <summary>Rewrites the objects archive and a manifest whose size and hash match it (the counts stay as they were).</summary>
    private void Rewrite(BackupRecord record, Action<SortedDictionary<string, byte[]>> change)
    {
        var key = record.Location + ArtifactLayout.ResourcesArchive;
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(new MemoryStream(_plane.Store.Artifacts[key]), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                using var content = new MemoryStream();
                entry.DataStream!.CopyTo(content);
                entries[entry.Name] = content.ToArray();
            }
        }

        change(entries);
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        var bytes = archive.ToArray();
        _plane.Store.Artifacts[key] = bytes;
        RewriteManifest(record, m => m with { Artifacts = [new ArtifactEntry(ArtifactLayout.ResourcesArchive, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)))] });
    }

    private void RewriteManifest(BackupRecord record, Func<BackupManifest, BackupManifest> change)
    {
        var key = record.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(_plane.Store.Artifacts[key], key);
        _plane.Store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(change(manifest), StrataJson.Default.BackupManifest);
    }
}
