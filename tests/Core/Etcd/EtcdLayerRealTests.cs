using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Verification;
using Strata.TestKit;
using Strata.TestKit.Etcd;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The etcd layer against real etcd (3.4 from Debian, started on loopback) through the gRPC connector: a member that
/// hangs is passed over and says so, so is a member cut off from raft (behind, or past its election timeout without a
/// leader), a dead first endpoint gives way to the next, and the snapshot and the control-plane files of one backup
/// both commit and verify. These fail, never skip, when etcd is not installed.
/// </summary>
public sealed class EtcdLayerRealTests
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    // Every channel the layer opens is cold (TCP, with TLS a handshake): seconds of room on CI's two shared cores.
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);

    private readonly MemoryArtifactStore _store = new();
    private readonly OperationResult _result = new();

    private LayerContext Context() => new(_store, ArtifactLayout.BackupPrefix("prod", "nightly", ControlPlaneFilesSandbox.BackupId), _result, TimeProvider.System)
    {
        BackupId = ControlPlaneFilesSandbox.BackupId,
    };

    private static EtcdLayer Layer(EtcdAccess access, Ports.IClusterWriter? client = null, ControlPlaneFilesSettings? files = null) =>
        new(new EtcdSettings { Timeout = TimeSpan.FromMinutes(2), ControlPlaneFiles = files }, new ClusterDefinition { Name = "prod", Context = "c", Etcd = access },
            Connector, client ?? new RecordingCluster());

    [Fact]
    public async Task CaptureAsync_ThreeMembers_OnePaused_SnapshotFromAHealthyOne_ThePausedDidNotAnswer()
    {
        await using var cluster = await EtcdCluster.StartAsync(members: 3);
        var paused = cluster.Members[0];
        await EtcdWriter.PutAsync(cluster.Members[1].Endpoint, Enumerable.Range(0, 200).Select(i => new KeyValuePair<string, byte[]>($"/registry/pods/shop/p-{i}", [1, 2, 3])));
        paused.Pause();
        try
        {
            var capture = await Layer(cluster.Access with { DialTimeout = DialTimeout }).CaptureAsync(Context());

            Assert.Empty(_result.Problems);
            var snapshot = capture.Etcd!.Snapshot!;
            Assert.NotEqual(paused.Endpoint.GetLeftPart(UriPartial.Authority), snapshot.Endpoint);
            Assert.Equal([false, true, true], snapshot.Endpoints.Select(e => e.MemberId is not null));
            Assert.StartsWith("did not answer: ", snapshot.Endpoints[0].Problem, StringComparison.Ordinal);
            var answered = snapshot.Endpoints.Where(e => e.AppliedIndex is not null).ToList();
            Assert.Equal(answered.Max(e => e.AppliedIndex), snapshot.RaftAppliedIndex);
            Assert.All(answered, e => Assert.Equal(snapshot.ClusterId, e.ClusterId));
            Assert.Equal(["member-1", "member-2", "member-3"], snapshot.Members.Select(m => m.Name).Order());
            Assert.Contains(snapshot.MemberName, new[] { "member-2", "member-3" });
            await AssertEtcdctlReadsAsync(_store.Artifacts[ArtifactLayout.ArtifactKey(Context().BackupPrefix, ArtifactLayout.EtcdSnapshotPath)], snapshot.Revision);
        }
        finally
        {
            paused.Resume();
        }
    }

    [Fact]
    public async Task CaptureAsync_FirstEndpointCutOffFromRaftAndBehind_SnapshotFromAnUpToDateMember_TheFirstSaysBehind()
    {
        // Member 3 stays a follower, so cut off it keeps its leader and reads as behind (not leaderless); see the next test.
        await using var cluster = await EtcdCluster.StartAsync(members: 3, peerLinks: true, follower: 2);
        cluster.Isolate(2);
        await EtcdWriter.PutAsync(cluster.Members[0].Endpoint, Enumerable.Range(0, 200).Select(i => new KeyValuePair<string, byte[]>($"/registry/pods/shop/p-{i}", [1, 2, 3])));
        var written = await StatusAsync(cluster.Members[0]);
        var behind = cluster.Members[2];
        Assert.True((await StatusAsync(behind)).Revision + 200 <= written.Revision);

        // Member 3 listed first, where a choice by order alone would take it.
        var access = new EtcdAccess { Endpoints = [behind.Endpoint, cluster.Members[0].Endpoint, cluster.Members[1].Endpoint], DialTimeout = DialTimeout };
        var capture = await Layer(access).CaptureAsync(Context());
        cluster.Heal();

        Assert.Empty(_result.Problems);
        var snapshot = capture.Etcd!.Snapshot!;
        Assert.Contains(snapshot.MemberName, new[] { "member-1", "member-2" });
        Assert.NotEqual(behind.Endpoint.GetLeftPart(UriPartial.Authority), snapshot.Endpoint);
        var first = snapshot.Endpoints[0];
        Assert.Equal((behind.Endpoint.GetLeftPart(UriPartial.Authority), false), (first.Endpoint, first.Chosen));
        Assert.NotNull(first.MemberId);
        Assert.StartsWith("behind", first.Problem, StringComparison.Ordinal);
        Assert.True(snapshot.Revision >= written.Revision, $"snapshot at revision {snapshot.Revision}, written up to {written.Revision}");
        await AssertEtcdctlReadsAsync(_store.Artifacts[ArtifactLayout.ArtifactKey(Context().BackupPrefix, ArtifactLayout.EtcdSnapshotPath)], snapshot.Revision);
    }

    [Fact]
    public async Task CaptureAsync_FirstEndpointCutOffPastItsElectionTimeout_AnswersAtOnceWithoutALeader_NotChosen()
    {
        // What etcd 3.4 does once a cut-off member's election timeout (1 s) passes: it campaigns, forgets its leader, and
        // still answers Status at once — with "etcdserver: no leader" among its errors. It must not be chosen either.
        await using var cluster = await EtcdCluster.StartAsync(members: 3, peerLinks: true);
        cluster.Isolate(2);
        var cutOff = cluster.Members[2];
        var leaderless = await EtcdStatusPolling.UntilAsync(() => StatusAsync(cutOff), s => s.Leader == 0);
        Assert.Contains("etcdserver: no leader", leaderless.Errors);

        var access = new EtcdAccess { Endpoints = [cutOff.Endpoint, cluster.Members[0].Endpoint, cluster.Members[1].Endpoint], DialTimeout = DialTimeout };
        var capture = await Layer(access).CaptureAsync(Context());
        cluster.Heal();

        Assert.Empty(_result.Problems);
        var snapshot = capture.Etcd!.Snapshot!;
        Assert.Contains(snapshot.MemberName, new[] { "member-1", "member-2" });
        var first = snapshot.Endpoints[0];
        Assert.Equal((cutOff.Endpoint.GetLeftPart(UriPartial.Authority), false), (first.Endpoint, first.Chosen));
        Assert.NotNull(first.MemberId);
        Assert.Contains("no leader", first.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_FirstEndpointADeadPort_TheNextEndpointIsUsed()
    {
        await using var etcd = await EtcdServer.StartAsync();
        using var refusing = new RefusingPort();
        var dead = refusing.Url();

        var capture = await Layer(new EtcdAccess { Endpoints = [dead, etcd.Endpoint], DialTimeout = DialTimeout }).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        var snapshot = capture.Etcd!.Snapshot!;
        Assert.Equal((etcd.Endpoint.GetLeftPart(UriPartial.Authority), etcd.Name), (snapshot.Endpoint, snapshot.MemberName));
        Assert.StartsWith("did not answer: ", snapshot.Endpoints[0].Problem, StringComparison.Ordinal);
        Assert.Equal([false, true], snapshot.Endpoints.Select(e => e.Chosen));
    }

    [Fact]
    public async Task CaptureAsync_SnapshotAndControlPlaneFiles_BothCommitted_AndTheBackupVerifies()
    {
        await using var etcd = await EtcdServer.StartAsync(tls: true);
        await EtcdWriter.PutAsync(etcd.Access, new SecretResolver(Environment.GetEnvironmentVariable),
            Enumerable.Range(0, 50).Select(i => new KeyValuePair<string, byte[]>($"/registry/configmaps/shop/c-{i}", [(byte)i])));
        await using var world = await ControlPlaneFilesSandbox.StartAsync(null, "cp-1", "cp-2");

        var capture = await Layer(etcd.Access, world.Client, ControlPlaneFilesSandbox.Settings()).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        Assert.Equal([ArtifactLayout.EtcdSnapshotPath, "control-plane/cp-1.tar", "control-plane/cp-2.tar"], capture.Artifacts.Select(a => a.Path));
        Assert.Equal(["cp-1", "cp-2"], capture.Etcd!.ControlPlaneFiles.Select(f => f.Node));
        Assert.Null(capture.Etcd.ControlPlaneFilesOff);
        var manifest = Manifest(capture);
        var findings = new VerificationFindings();
        var facts = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var artifact in capture.Artifacts)
        {
            var check = BackupVerifier.LayerChecks.First(c => c.AppliesTo(artifact));
            await using var content = new MemoryStream(_store.Artifacts[ArtifactLayout.ArtifactKey(Context().BackupPrefix, artifact.Path)]);
            facts[artifact.Path] = (await check.CheckAsync(artifact, content, manifest, findings)).Facts;
        }

        Assert.Empty(findings.Kept);
        Assert.Equal(("matches", capture.Etcd.Snapshot!.DatabaseSha256), (facts[ArtifactLayout.EtcdSnapshotPath]["trailer"], facts[ArtifactLayout.EtcdSnapshotPath]["etcd sha256"]));
        await AssertEtcdctlReadsAsync(_store.Artifacts[ArtifactLayout.ArtifactKey(Context().BackupPrefix, ArtifactLayout.EtcdSnapshotPath)], capture.Etcd.Snapshot.Revision);
    }

    [Fact]
    public async Task CaptureAsync_RealNospaceAlarm_SnapshotStillTaken_WithTheAlarmAsAWarning()
    {
        // A 256 KiB quota, then more than that written: etcd raises NOSPACE and refuses writes — when a backup is wanted.
        await using var etcd = await EtcdServer.StartAsync(quotaBackendBytes: 256 * 1024);
        // The quota is checked against the backend as last committed (every 100 ms): write in rounds until etcd refuses.
        EtcdRequestException? refused = null;
        for (var round = 0; round < 20 && refused is null; round++)
        {
            var batch = Enumerable.Range(0, 100).Select(i => new KeyValuePair<string, byte[]>($"/registry/configmaps/shop/c-{round}-{i}", new byte[4096]));
            refused = await Record.ExceptionAsync(() => EtcdWriter.PutAsync(etcd.Endpoint, batch)) as EtcdRequestException;
            await Task.Delay(200);
        }

        Assert.Contains("database space exceeded", refused?.Message, StringComparison.Ordinal);
        await using (var endpoints = await Connector.ConnectAsync(etcd.Access))
        {
            var status = await endpoints.Members[0].StatusAsync();
            var alarm = Assert.Single(status.ReadErrors());
            Assert.Equal(("NOSPACE", (ulong?)status.MemberId), (alarm.Alarm, alarm.AlarmMemberId));
        }

        var capture = await Layer(etcd.Access).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.EtcdAlarm), (problem.Severity, problem.Reason));
        var snapshot = capture.Etcd!.Snapshot!;
        Assert.StartsWith($"etcd reports alarm NOSPACE on member {snapshot.MemberId} (at {snapshot.Endpoint}): the cluster refuses writes", problem.Message, StringComparison.Ordinal);
        Assert.Equal([$"alarm NOSPACE on member {snapshot.MemberId}"], snapshot.Endpoints[0].Warnings);
        await AssertEtcdctlReadsAsync(_store.Artifacts[ArtifactLayout.ArtifactKey(Context().BackupPrefix, ArtifactLayout.EtcdSnapshotPath)], snapshot.Revision);
    }

    [Fact]
    public async Task CaptureAsync_WrongCa_EtcdUnreachable_SayingTheCertificateWasRefused()
    {
        await using var etcd = await EtcdServer.StartAsync(tls: true);
        var access = etcd.Access with { CertificateAuthority = etcd.Certificates!.OtherCaReference, DialTimeout = DialTimeout };

        var capture = await Layer(access).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.EtcdUnreachable, problem.Reason);
        Assert.Contains($"{etcd.Endpoint.GetLeftPart(UriPartial.Authority)}: did not answer: ", problem.Message, StringComparison.Ordinal);
        Assert.Null(capture.Etcd!.Snapshot);
        Assert.Empty(_store.Artifacts);
    }

    private static async Task<EtcdMemberStatus> StatusAsync(EtcdServer member)
    {
        await using var endpoints = await Connector.ConnectAsync(member.Access with { DialTimeout = DialTimeout });
        return await endpoints.Members[0].StatusAsync();
    }

    private static async Task AssertEtcdctlReadsAsync(byte[] snapshot, long revision)
    {
        var file = Path.Combine(Path.GetTempPath(), $"strata-snapshot-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(file, snapshot);
        try
        {
            var status = System.Text.Json.Nodes.JsonNode.Parse(await EtcdTool.SnapshotStatusAsync(file))!;
            Assert.Equal(revision, status["revision"]!.GetValue<long>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static BackupManifest Manifest(LayerCapture capture) => new()
    {
        FormatVersion = ArtifactFormat.Version,
        Tool = new ToolInfo("strata", "test"),
        BackupId = ControlPlaneFilesSandbox.BackupId,
        Cluster = "prod",
        Policy = "nightly",
        ServerVersion = "v1.31.4",
        Scope = new BackupScope().ToSummary(),
        StartedAt = DateTimeOffset.UnixEpoch,
        CompletedAt = DateTimeOffset.UnixEpoch,
        Status = BackupStatus.Succeeded,
        Counts = new ObjectCounts(0, new Dictionary<string, long>(), new Dictionary<string, long>()),
        GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
        Artifacts = capture.Artifacts,
        Etcd = capture.Etcd,
    };
}
