using System.Security.Cryptography;
using System.Text.Json;
using Strata.Adapters.Hosting;
using Strata.Core.Artifacts;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Etcd;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.Core.Tests.ControlPlane;
using Strata.Core.Verification;
using Strata.TestKit.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The etcd layer as the backup worker runs it (a policy with <c>etcd:</c>), and its snapshot verified from the store
/// (<see cref="EtcdSnapshotCheck"/>): intact passes with its facts; flipped, truncated, or not the database the
/// manifest recorded fails, even when the manifest's size and hash are those of the bytes stored.
/// </summary>
public sealed class EtcdBackupTests
{
    private const string Policies = """
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
            etcd: { timeout: 10m }
        """;

    private static readonly byte[] Snapshot = BoltSnapshots.Build(fillerPages: 20, transactionId: 77);

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Policies);

    private readonly FakeEtcdConnector _etcd = new(
        new FakeEtcdMember("https://10.0.0.11:2379", 1, 300, Snapshot),
        new FakeEtcdMember("https://10.0.0.12:2379", 2, 310, Snapshot));

    private ControlPlaneContext Context(bool etcdEndpoints = true) => _plane.Context with
    {
        Configuration = ConfigurationLoader.Parse($"""
            clusters:
              - name: prod
                server: https://prod.example:6443
            {(etcdEndpoints ? "    etcd: { endpoints: [https://10.0.0.11:2379, https://10.0.0.12:2379], dialTimeout: 2s }" : "")}
            policies:
            {Policies}
            """, "strata.yaml", SystemTimeZones.Instance),
        Etcd = _etcd,
    };

    [Fact]
    public async Task BackupWorker_PolicyWithEtcd_SnapshotCommittedLast_ManifestRecordsIt_AndItVerifies()
    {
        var record = await BackUpAsync(Context());

        Assert.Equal(BackupStatus.Succeeded, record.Status);
        Assert.Empty(record.Problems);
        Assert.Equal([ArtifactLayout.ResourcesArchive, ArtifactLayout.EtcdSnapshotPath], record.Artifacts.Select(a => a.Path));
        var manifest = (await ManifestFile.ReadAsync(_plane.Store, record.Location))!;
        var snapshot = manifest.Etcd!.Snapshot!;
        Assert.Equal(("https://10.0.0.12:2379", 310UL, BoltSnapshots.DatabaseSha256(Snapshot)), (snapshot.Endpoint, snapshot.RaftIndex, snapshot.DatabaseSha256));
        Assert.Equal(["behind: applied index 300 < 310", null], snapshot.Endpoints.Select(e => e.Problem));

        var report = await new BackupVerifier(_plane.Store, _plane.Clock).VerifyAsync(record);

        Assert.True(report.Passed, string.Join("\n", report.Findings));
        var etcd = report.Artifacts.Single(a => a.Path == ArtifactLayout.EtcdSnapshotPath);
        Assert.Equal(["etcd"], etcd.Checks);
        Assert.Equal(("4096", (24 * 4096).ToString(System.Globalization.CultureInfo.InvariantCulture), "77", BoltSnapshots.DatabaseSha256(Snapshot), "matches"),
            (etcd.Facts["page size"], etcd.Facts["database bytes"], etcd.Facts["transaction id"], etcd.Facts["etcd sha256"], etcd.Facts["trailer"]));
    }

    [Fact]
    public async Task BackupWorker_ClusterWithoutEtcdEndpoints_Succeeded_NotApplicable_NoProblem()
    {
        var record = await BackUpAsync(Context(etcdEndpoints: false));

        Assert.Equal(BackupStatus.Succeeded, record.Status);
        Assert.Empty(record.Problems);
        Assert.Equal([ArtifactLayout.ResourcesArchive], record.Artifacts.Select(a => a.Path));
        var manifest = (await ManifestFile.ReadAsync(_plane.Store, record.Location))!;
        Assert.Null(manifest.Etcd!.Snapshot);
        Assert.StartsWith("no etcd endpoints configured for cluster prod", manifest.Etcd.NotApplicable, StringComparison.Ordinal);
        Assert.Empty(_etcd.Connected);
    }

    [Fact]
    public async Task BackupWorker_EtcdUnreachable_PartiallyFailed_TheObjectsStillCommit()
    {
        foreach (var member in _etcd.Members)
        {
            member.StatusFailure = new EtcdRequestException($"{member.Endpoint}: connection refused", isTransient: true);
        }

        var record = await BackUpAsync(Context());

        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var problem = Assert.Single(record.Problems);
        Assert.Equal(("etcd", "snapshot", Results.ProblemReasons.EtcdUnreachable), (problem.Resource, problem.Name, problem.Reason));
        Assert.Equal([ArtifactLayout.ResourcesArchive], record.Artifacts.Select(a => a.Path));
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("padded")]
    public async Task VerifyAsync_SnapshotDamagedInTheStore_FailsNamingWhatIsWrong(string damage)
    {
        var record = await BackUpAsync(Context());
        var stored = damage switch
        {
            "flipped" => BoltSnapshots.Flipped(Snapshot, 6 * 4096 + 5),
            "truncated" => BoltSnapshots.Truncated(Snapshot, Snapshot.Length - 100),
            _ => [.. Snapshot, .. new byte[4096]],
        };

        var report = await VerifyWithManifestMatchingAsync(record, stored);

        var error = Assert.Single(report.Errors);
        Assert.Equal(("etcd", ArtifactLayout.EtcdSnapshotPath), (error.Check, error.Artifact));
        Assert.StartsWith("the snapshot is not intact: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(damage == "flipped" ? "does not match its database" : damage == "truncated" ? "cut short" : "bytes were added", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_AnotherIntactSnapshotThanRecorded_Fails()
    {
        var record = await BackUpAsync(Context());
        var other = BoltSnapshots.Build(fillerPages: 20, seed: 9);

        var report = await VerifyWithManifestMatchingAsync(record, other);

        var error = Assert.Single(report.Errors);
        Assert.Equal(("etcd", BoltSnapshots.DatabaseSha256(Snapshot), BoltSnapshots.DatabaseSha256(other)), (error.Check, error.Expected, error.Found));
        Assert.Contains("not the one the manifest recorded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_StoredBytesChanged_TheHashCheckAndTheEtcdCheckBothFail()
    {
        var record = await BackUpAsync(Context());
        _plane.Store.Artifacts[record.Location + ArtifactLayout.EtcdSnapshotPath] = BoltSnapshots.Flipped(Snapshot, 7 * 4096);

        var report = await new BackupVerifier(_plane.Store, _plane.Clock).VerifyAsync(record);

        Assert.Equal(["sha256", "etcd"], report.Errors.Select(e => e.Check).Order(StringComparer.Ordinal).Reverse());
    }

    private async Task<BackupRecord> BackUpAsync(ControlPlaneContext context)
    {
        await _plane.AddClusterAsync("prod", 2);
        var request = new Envelope("ci-etcd", "ci", _plane.Clock.GetUtcNow(), new BackupRequested("prod", "nightly", RequestedBy: "ci"));
        await BackupWorker.HandleAsync(context, ControlPlaneFakes.Delivery(request));
        return (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    /// <summary>Stores <paramref name="bytes"/> as the snapshot with a manifest whose size and hash are theirs: only the content check can tell.</summary>
    private async Task<VerificationReport> VerifyWithManifestMatchingAsync(BackupRecord record, byte[] bytes)
    {
        _plane.Store.Artifacts[record.Location + ArtifactLayout.EtcdSnapshotPath] = bytes;
        var entry = new ArtifactEntry(ArtifactLayout.EtcdSnapshotPath, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var key = record.Location + ArtifactLayout.Manifest;
        var manifest = ManifestFile.Read(_plane.Store.Artifacts[key], key);
        manifest = manifest with { Artifacts = [.. manifest.Artifacts.Select(a => a.Path == entry.Path ? entry : a)] };
        _plane.Store.Artifacts[key] = JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest);
        return await new BackupVerifier(_plane.Store, _plane.Clock).VerifyAsync(record with { Artifacts = manifest.Artifacts });
    }
}
