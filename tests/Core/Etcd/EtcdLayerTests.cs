using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.Core.Results;
using Strata.TestKit.Etcd;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The etcd layer against in-memory members serving bbolt-shaped snapshots: the member chosen, the stream committed
/// only when whole, a broken stream taken over once by a member as far along, every failure named with each
/// endpoint's reading, and a cluster without etcd endpoints not applicable.
/// </summary>
public sealed class EtcdLayerTests
{
    private const string BackupId = "20261121-023000-a1b2c3";
    private static readonly string Prefix = ArtifactLayout.BackupPrefix("prod", "nightly", BackupId);
    private static readonly string SnapshotKey = ArtifactLayout.ArtifactKey(Prefix, ArtifactLayout.EtcdSnapshotPath);

    private readonly MemoryArtifactStore _store = new();
    private readonly OperationResult _result = new();
    private readonly List<BackupProgress> _progress = [];

    private static readonly byte[] Snapshot = BoltSnapshots.Build(fillerPages: 60);

    private static FakeEtcdMember Member(int n, ulong raftIndex, byte[]? snapshot = null) =>
        new($"https://10.0.0.{10 + n}:2379", (ulong)n, raftIndex, snapshot ?? Snapshot)
        {
            Members = [.. Enumerable.Range(1, 3).Select(i => new EtcdMember((ulong)i, $"cp-{i}", [$"https://10.0.0.{10 + i}:2380"], [$"https://10.0.0.{10 + i}:2379"], false))],
        };

    private LayerContext Context() => new(_store, Prefix, _result, TimeProvider.System, new SyncProgress(_progress));

    private static EtcdLayer Layer(FakeEtcdConnector connector, EtcdSettings? settings = null, EtcdAccess? access = null) =>
        new(settings ?? new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "prod-admin", Etcd = access ?? connector.Access }, connector, new RecordingCluster());

    [Fact]
    public async Task CaptureAsync_HealthyMembers_CommitsTheStreamAsSent_FromTheHighestRaftIndex_WithACompleteRecord()
    {
        var connector = new FakeEtcdConnector(Member(1, 1200), Member(2, 1215), Member(3, 1215));

        var capture = await Layer(connector).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        Assert.Equal(Snapshot, _store.Artifacts[SnapshotKey]);
        var entry = Assert.Single(capture.Artifacts);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Snapshot));
        Assert.Equal(new ArtifactEntry(ArtifactLayout.EtcdSnapshotPath, Snapshot.Length, sha), entry);
        var record = capture.Etcd!.Snapshot!;
        Assert.Null(capture.Etcd.NotApplicable);
        Assert.Equal((ArtifactLayout.EtcdSnapshotPath, (long)Snapshot.Length, sha, BoltSnapshots.DatabaseSha256(Snapshot), BoltSnapshots.PageSize),
            (record.Path, record.Size, record.Sha256, record.DatabaseSha256, record.PageSize));
        Assert.Equal(("https://10.0.0.12:2379", "0000000000000002", "cp-2", "00000000000000c1"), (record.Endpoint, record.MemberId, record.MemberName, record.ClusterId));
        Assert.Equal((1000L, 3UL, 1215UL, 1215UL, 1L << 20, "3.4.23"), (record.Revision, record.RaftTerm, record.RaftIndex, record.RaftAppliedIndex, record.DbSize, record.EtcdVersion));
        Assert.Equal(["cp-1", "cp-2", "cp-3"], record.Members.Select(m => m.Name));
        Assert.Equal(("0000000000000001", "https://10.0.0.11:2380"), (record.Members[0].Id, record.Members[0].PeerUrls[0]));
        Assert.Equal([false, true, false], record.Endpoints.Select(e => e.Chosen));
        Assert.Equal(["behind: applied index 1200 < 1215", null, null], record.Endpoints.Select(e => e.Problem));
        Assert.True(record.Duration >= TimeSpan.Zero);
        Assert.Equal(Snapshot.Length, _progress.Last().Bytes);
        Assert.All(_progress, p => Assert.Equal(EtcdLayer.Resource, p.Layer));
        Assert.Equal((0, 1, 0), (connector.Members[0].SnapshotsStarted, connector.Members[1].SnapshotsStarted, connector.Members[2].SnapshotsStarted));
    }

    [Theory]
    [InlineData(30, "not a bbolt database: the meta page at byte 0 fails its checksum")] // a byte of the first meta page
    [InlineData(4096 + 30, "the bbolt database's second meta page is damaged")] // a byte of the second
    [InlineData(5 * 4096 + 17, "does not match its database")] // a byte of data: etcd's SHA-256 tells
    public async Task CaptureAsync_FlippedByte_IntegrityFailed_NothingCommitted(int offset, string expected)
    {
        var flipped = BoltSnapshots.Flipped(Snapshot, offset);
        var connector = new FakeEtcdConnector(Member(1, 10, flipped));

        var capture = await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.IntegrityFailed, "etcd", "snapshot"), (problem.Severity, problem.Reason, problem.Resource, problem.Name));
        Assert.Contains("https://10.0.0.11:2379 is not intact, and was not kept", problem.Message, StringComparison.Ordinal);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Artifacts);
        Assert.Empty(capture.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_Truncated_IntegrityFailed_NothingCommitted()
    {
        var connector = new FakeEtcdConnector(Member(1, 10, BoltSnapshots.Truncated(Snapshot, Snapshot.Length - 4096)));

        await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.IntegrityFailed, problem.Reason);
        Assert.Contains("the snapshot is cut short", problem.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_EveryEndpointDown_EtcdUnreachable_ListingEachReading()
    {
        var down = Member(2, 10);
        down.StatusFailure = new EtcdRequestException("https://10.0.0.12:2379: deadline exceeded", isTransient: true);
        var connector = new FakeEtcdConnector(down);
        var access = new EtcdAccess { Endpoints = [new Uri("https://10.0.0.11:2379"), down.Endpoint] };

        var capture = await Layer(connector, access: access).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.EtcdUnreachable), (problem.Severity, problem.Reason));
        Assert.Contains("none of the 2 etcd endpoints answered", problem.Message, StringComparison.Ordinal);
        Assert.Contains("https://10.0.0.11:2379: did not answer: https://10.0.0.11:2379/: connection refused", problem.Message, StringComparison.Ordinal);
        Assert.Contains("https://10.0.0.12:2379: did not answer: https://10.0.0.12:2379: deadline exceeded", problem.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_FirstEndpointDown_TheNextIsUsed()
    {
        var connector = new FakeEtcdConnector(Member(2, 10));
        var access = new EtcdAccess { Endpoints = [new Uri("https://10.0.0.11:2379"), connector.Members[0].Endpoint] };

        var capture = await Layer(connector, access: access).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        var record = capture.Etcd!.Snapshot!;
        Assert.Equal("https://10.0.0.12:2379", record.Endpoint);
        Assert.StartsWith("did not answer: ", record.Endpoints[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_ConnectFails_EtcdUnreachable_WithTheReason()
    {
        var connector = new FakeEtcdConnector(Member(1, 10)) { ConnectFailure = new EtcdRequestException("etcd CA {file: /etc/ca.crt}: not a PEM certificate", isTransient: false) };

        await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.EtcdUnreachable, problem.Reason);
        Assert.Equal("etcd of cluster prod cannot be reached: etcd CA {file: /etc/ca.crt}: not a PEM certificate", problem.Message);
    }

    [Fact]
    public async Task CaptureAsync_ChosenBreaksMidStream_TheNextAsFarAlongTakesOver_UnderTheSameKey()
    {
        var breaking = Member(1, 500);
        breaking.FailAfterBytes = Snapshot.Length / 2;
        var connector = new FakeEtcdConnector(breaking, Member(2, 500), Member(3, 499));

        var capture = await Layer(connector).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        Assert.Equal(Snapshot, _store.Artifacts[SnapshotKey]);
        var record = capture.Etcd!.Snapshot!;
        Assert.Equal(("https://10.0.0.12:2379", "0000000000000002"), (record.Endpoint, record.MemberId));
        Assert.Equal([false, true, false], record.Endpoints.Select(e => e.Chosen));
        Assert.StartsWith("snapshot broke: https://10.0.0.11:2379/: the snapshot stream broke after", record.Endpoints[0].Problem, StringComparison.Ordinal);
        Assert.Equal(("0000000000000001", 500UL), (record.Endpoints[0].MemberId, record.Endpoints[0].RaftIndex));
        Assert.Equal("behind: applied index 499 < 500", record.Endpoints[2].Problem);
    }

    [Fact]
    public async Task CaptureAsync_ChosenBreaks_TheOthersAreBehind_NotTakenFromThem_NothingCommitted()
    {
        var breaking = Member(1, 500);
        breaking.FailAfterBytes = 4096;
        var connector = new FakeEtcdConnector(breaking, Member(2, 480));

        var capture = await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.EtcdUnreachable, problem.Reason);
        Assert.Contains("the best of the others, https://10.0.0.12:2379, is behind it (applied index 480 < 500)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, connector.Members[1].SnapshotsStarted);
        Assert.Empty(_store.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_ChosenBreaks_OnlyAMemberOfAnotherClusterAnswersNow_NotTakenFromIt_NothingCommitted()
    {
        var breaking = Member(1, 500);
        breaking.FailAfterBytes = 4096;
        var foreign = Member(2, 900);
        foreign.Status = FakeEtcdMember.StatusOf(2, 900, clusterId: 0xd2);
        (foreign.StatusFailure, foreign.StatusFailuresLeft) = (new EtcdRequestException("etcd at https://10.0.0.12:2379 did not answer", isTransient: true), 1);
        var connector = new FakeEtcdConnector(breaking, foreign);

        var capture = await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.EtcdMisconfigured, problem.Reason);
        Assert.Contains("https://10.0.0.12:2379 answers for cluster 00000000000000d2, not 00000000000000c1", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, foreign.SnapshotsStarted);
        Assert.Empty(_store.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_BothBreak_OneRetryOnly_NothingCommitted()
    {
        var first = Member(1, 500);
        var second = Member(2, 500);
        var third = Member(3, 500);
        first.FailAfterBytes = second.FailAfterBytes = 4096;
        var connector = new FakeEtcdConnector(first, second, third);

        await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.StartsWith("the etcd snapshot from https://10.0.0.12:2379 failed: ", problem.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1, 0), (first.SnapshotsStarted, second.SnapshotsStarted, third.SnapshotsStarted));
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_NonTransientBreak_NoRetry_NothingCommitted()
    {
        var refused = Member(1, 500);
        refused.FailAfterBytes = 4096;
        refused.FailureIsTransient = false;
        var connector = new FakeEtcdConnector(refused, Member(2, 500));

        await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.EtcdUnreachable, problem.Reason);
        Assert.StartsWith("the etcd snapshot from https://10.0.0.11:2379 failed: ", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, connector.Members[1].SnapshotsStarted);
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_EmptyStream_IntegrityFailed()
    {
        var connector = new FakeEtcdConnector(Member(1, 500, []));

        await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.IntegrityFailed, problem.Reason);
        Assert.Contains("the snapshot is empty", problem.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_MemberListFails_SnapshotKept_WithAWarning()
    {
        var member = new FailingListMember(Member(1, 10));
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "c", Etcd = new EtcdAccess { Endpoints = [member.Endpoint] } },
            new SingleMemberConnector(member), new RecordingCluster());

        var capture = await layer.CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        Assert.Contains("the etcd member list could not be read", problem.Message, StringComparison.Ordinal);
        Assert.Empty(capture.Etcd!.Snapshot!.Members);
        Assert.Null(capture.Etcd.Snapshot.MemberName);
        Assert.True(_store.Artifacts.ContainsKey(SnapshotKey));
        Assert.Equal(1, member.ListCalls);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    public async Task CaptureAsync_MemberListSlow_AskedAgain_WarnsOnlyWhenEveryAttemptFailed(int transientFailures, int warnings)
    {
        var member = new FailingListMember(Member(1, 10), transientFailures);
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "c", Etcd = new EtcdAccess { Endpoints = [member.Endpoint] } },
            new SingleMemberConnector(member), new RecordingCluster());

        var capture = await layer.CaptureAsync(Context());

        Assert.Equal(warnings, _result.Problems.Count);
        Assert.Equal(3, member.ListCalls);
        Assert.Equal(warnings == 0 ? ["cp-1", "cp-2", "cp-3"] : [], capture.Etcd!.Snapshot!.Members.Select(m => m.Name));
        Assert.True(_store.Artifacts.ContainsKey(SnapshotKey));
    }

    [Fact]
    public async Task CaptureAsync_SlowerThanItsTimeout_StoppedAsTimeout_NothingCommitted()
    {
        var slow = Member(1, 10);
        slow.ChunkDelay = TimeSpan.FromMilliseconds(50);
        var connector = new FakeEtcdConnector(slow);

        await Layer(connector, new EtcdSettings { Timeout = TimeSpan.FromMilliseconds(150) }).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal(ProblemReasons.Timeout, problem.Reason);
        Assert.Contains("took longer than its timeout", problem.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_StatusHangs_PassedOverWithTheMembersOwnDeadline()
    {
        var hung = Member(1, 900);
        hung.StatusDelay = TimeSpan.FromMinutes(10);
        var connector = new FakeEtcdConnector(hung, Member(2, 10));
        var access = connector.Access with { DialTimeout = TimeSpan.FromMilliseconds(200) };

        var capture = await Layer(connector, access: access).CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        var record = capture.Etcd!.Snapshot!;
        Assert.Equal("https://10.0.0.12:2379", record.Endpoint);
        Assert.Equal("did not answer: etcd at https://10.0.0.11:2379 did not answer within 0.2 s", record.Endpoints[0].Problem);
    }

    [Fact]
    public async Task CaptureAsync_StatusSlowerThanTheDialTimeout_TheLayerSetsNoDeadlineOfItsOwn()
    {
        // The member's calls carry their own deadline (the adapter's); one that answers, however late, is read.
        var slow = Member(1, 10);
        slow.StatusDelay = TimeSpan.FromMilliseconds(400);
        var access = new EtcdAccess { Endpoints = [slow.Endpoint], DialTimeout = TimeSpan.FromMilliseconds(50) };
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "c", Etcd = access }, new SingleMemberConnector(slow), new RecordingCluster());

        var capture = await layer.CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        Assert.Equal("https://10.0.0.11:2379", capture.Etcd!.Snapshot!.Endpoint);
    }

    [Fact]
    public async Task CaptureAsync_NospaceAlarmOnEveryMember_SnapshotTaken_WithOneWarning()
    {
        var members = new[] { Member(1, 700), Member(2, 700), Member(3, 690) };
        foreach (var member in members)
        {
            member.Status = member.Status! with { Errors = [FakeEtcdMember.Alarm(3, "NOSPACE")] };
        }

        var capture = await Layer(new FakeEtcdConnector(members)).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.EtcdAlarm, "etcd", "snapshot"), (problem.Severity, problem.Reason, problem.Resource, problem.Name));
        Assert.StartsWith("etcd reports alarm NOSPACE on member 0000000000000003 (at https://10.0.0.11:2379, https://10.0.0.12:2379, https://10.0.0.13:2379): the cluster refuses writes",
            problem.Message, StringComparison.Ordinal);
        Assert.Equal("https://10.0.0.11:2379", capture.Etcd!.Snapshot!.Endpoint);
        Assert.Equal(["alarm NOSPACE on member 0000000000000003"], capture.Etcd.Snapshot.Endpoints[0].Warnings);
        Assert.Equal(Snapshot, _store.Artifacts[SnapshotKey]);
    }

    [Fact]
    public async Task CaptureAsync_EndpointsOfTwoClusters_NothingTaken_EtcdMisconfigured_NamingThem()
    {
        var stale = Member(2, 99_000);
        stale.Status = stale.Status! with { ClusterId = 0x5ca1e };
        var connector = new FakeEtcdConnector(Member(1, 500), stale);

        var capture = await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.EtcdMisconfigured), (problem.Severity, problem.Reason));
        Assert.Contains("cluster 00000000000000c1: https://10.0.0.11:2379; cluster 000000000005ca1e: https://10.0.0.12:2379", problem.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (connector.Members[0].SnapshotsStarted, stale.SnapshotsStarted));
        Assert.Empty(_store.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_ChosenMemberNotInTheMemberList_SnapshotKept_WithAWarning()
    {
        // A load balancer in front: the status came from member 9, the member list from a cluster without it.
        var connector = new FakeEtcdConnector(Member(9, 500));

        var capture = await Layer(connector).CaptureAsync(Context());

        var problem = Assert.Single(_result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.EtcdMisconfigured), (problem.Severity, problem.Reason));
        Assert.StartsWith("member 0000000000000009, which answered the status at https://10.0.0.19:2379 and gave the snapshot, is not in the member list https://10.0.0.19:2379 gave "
            + "(0000000000000001, 0000000000000002, 0000000000000003): a load balancer", problem.Message, StringComparison.Ordinal);
        Assert.NotNull(capture.Etcd!.Snapshot);
    }

    [Fact]
    public async Task CaptureAsync_NoEtcdEndpoints_NotApplicable_NoProblem_NothingConnected()
    {
        var connector = new FakeEtcdConnector(Member(1, 10));
        var layer = new EtcdLayer(new EtcdSettings(), new ClusterDefinition { Name = "prod", Context = "c" }, connector, new RecordingCluster());

        var capture = await layer.CaptureAsync(Context());

        Assert.Empty(_result.Problems);
        Assert.Empty(capture.Artifacts);
        Assert.Null(capture.Etcd!.Snapshot);
        Assert.Equal("no etcd endpoints configured for cluster prod (a managed control plane, or add etcd: to the cluster in strata.yaml)", capture.Etcd.NotApplicable);
        Assert.Empty(connector.Connected);
    }

    [Fact]
    public async Task CaptureAsync_SnapshotOff_TakesNoSnapshot()
    {
        var connector = new FakeEtcdConnector(Member(1, 10));

        var capture = await Layer(connector, new EtcdSettings { Snapshot = false, ControlPlaneFiles = new ControlPlaneFilesSettings { Image = "busybox:1.36" } }).CaptureAsync(Context());

        Assert.Null(capture.Etcd!.Snapshot);
        Assert.Null(capture.Etcd.NotApplicable);
        Assert.Empty(connector.Connected);
        Assert.DoesNotContain(SnapshotKey, _store.Artifacts.Keys);
    }

    /// <summary>Progress as reported, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SyncProgress(List<BackupProgress> reports) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => reports.Add(value);
    }

    /// <summary>A member whose member list fails: for good (a refusal), or <paramref name="transientFailures"/> times (it did not answer in time).</summary>
    private sealed class FailingListMember(FakeEtcdMember inner, int? transientFailures = null) : IEtcdMember
    {
        private int _failuresLeft = transientFailures ?? 0;

        public Uri Endpoint => inner.Endpoint;

        public int ListCalls { get; private set; }

        public Task<EtcdMemberStatus> StatusAsync(CancellationToken cancellationToken = default) => inner.StatusAsync(cancellationToken);

        public Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken cancellationToken = default)
        {
            ListCalls++;
            if (transientFailures is null)
            {
                return Task.FromException<IReadOnlyList<EtcdMember>>(new EtcdRequestException($"{Endpoint}: permission denied", isTransient: false));
            }

            return _failuresLeft-- > 0
                ? Task.FromException<IReadOnlyList<EtcdMember>>(new EtcdRequestException($"etcd at {Endpoint} did not answer within 5 s", isTransient: true))
                : inner.MemberListAsync(cancellationToken);
        }

        public IAsyncEnumerable<EtcdSnapshotChunk> SnapshotAsync(CancellationToken cancellationToken = default) => inner.SnapshotAsync(cancellationToken);

        public IAsyncEnumerable<string> KeysAsync(string prefix, CancellationToken cancellationToken = default) => inner.KeysAsync(prefix, cancellationToken);
    }

    private sealed class SingleMemberConnector(IEtcdMember member) : IEtcdConnector, IEtcdEndpoints
    {
        public IReadOnlyList<IEtcdMember> Members => [member];

        public Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default) => Task.FromResult<IEtcdEndpoints>(this);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
