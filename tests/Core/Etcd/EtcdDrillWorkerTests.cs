using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Etcd;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;
using Strata.TestKit.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The verify worker's etcd rebuild drills (<c>mode: etcdRestore</c>) on the fakes: no cluster is reached (none is
/// configured reachable), the drill is recorded in progress first, then with the rebuild's result, RTO and alerts.
/// </summary>
public sealed class EtcdDrillWorkerTests
{
    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            etcd: {}
            verification:
              drill: { mode: etcdRestore, rto: 10m, timeout: 5m }
        """;

    private static readonly Dictionary<string, long> Objects = new() { ["pods"] = 2, ["configmaps"] = 3 };

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Policy);
    private readonly FakeRehearsals _rehearsals = new();
    private readonly ControlPlaneContext _context;

    public EtcdDrillWorkerTests() => _context = _plane.Context with { EtcdRehearsals = _rehearsals, Etcd = _rehearsals };

    [Fact]
    public async Task Handle_EtcdRestore_RebuildsWithoutTouchingACluster_RecordsInProgressFirst_ThenPassed()
    {
        _rehearsals.Keys.AddRange(["/registry/pods/shop/a", "/registry/pods/shop/b", "/registry/configmaps/shop/x", "/registry/configmaps/shop/y", "/registry/configmaps/shop/z"]);
        var backup = await BackUpAsync();
        DrillStatus? meanwhile = null;
        _rehearsals.OnRebuild = async () => meanwhile = (await _plane.History.ListDrillsAsync().SingleAsync()).Status;

        var (drill, result) = await DrillAsync(backup);

        Assert.Equal(DrillStatus.InProgress, meanwhile);
        Assert.Equal((DrillStatus.Passed, DrillMode.EtcdRestore, DrillWorker.EtcdRebuildTarget, (string?)null), (drill.Status, drill.Mode, drill.Target, drill.Error));
        Assert.Equal(EtcdDrillScope.Rebuild, drill.Etcd!.Scope);
        Assert.Equal(drill.Etcd.RtoSeconds, drill.RtoSeconds);
        Assert.True(drill.RtoSeconds > 0);
        Assert.Equal($"strata-drill-{drill.Id[^6..]}", Assert.Single(_rehearsals.Names));
        Assert.Empty(_plane.Clusters.Clusters); // nothing to connect to, and nothing asked
        Assert.DoesNotContain(result.Messages, m => m.Payload is AlertRaised);
    }

    [Fact]
    public async Task Handle_EtcdRestore_ResourceMissing_FailsAndPages_WithTheEtcdProblemAsAFailedItem()
    {
        _rehearsals.Keys.AddRange(["/registry/pods/shop/a", "/registry/pods/shop/b"]);
        var backup = await BackUpAsync();

        var (drill, result) = await DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.Equal("configmaps: the backup holds 3 objects, but the rebuilt etcd has no key under /registry/configmaps/", drill.Error);
        Assert.Null(drill.RtoSeconds);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Critical, "drill-failed"), (alert.Severity, alert.Kind));
        Assert.StartsWith($"Rebuild drill {drill.Id} of the etcd snapshot of backup {backup.Id} (prod, policy nightly) failed: configmaps:", alert.Summary, StringComparison.Ordinal);
        Assert.Equal(["etcd: " + drill.Error], alert.FailedItems);
        Assert.Equal("etcdRestore", alert.Details!["mode"]);
    }

    [Fact]
    public async Task Handle_EtcdRestore_NoToolsOnTheHost_ChecksIntegrityOnly_PassesWithAWarning()
    {
        _rehearsals.Unavailable = "etcd is not on this runner (looked in /usr/bin)";
        var backup = await BackUpAsync();

        var (drill, _) = await DrillAsync(backup);

        Assert.Equal((DrillStatus.Passed, (double?)null, EtcdDrillScope.IntegrityOnly), (drill.Status, drill.RtoSeconds, drill.Etcd!.Scope));
        Assert.Equal(["only the snapshot's integrity was checked: etcd is not on this runner (looked in /usr/bin)"], drill.Warnings);
    }

    [Fact]
    public async Task Handle_EtcdRestore_BackupWithoutASnapshot_Fails_SayingSo()
    {
        var backup = await BackUpAsync(withSnapshot: false);

        var (drill, _) = await DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.Equal($"backup {backup.Id} has no etcd snapshot: its policy has no etcd layer", drill.Error);
    }

    [Fact]
    public void Refusal_EtcdRestore_NeedsNoTargetCluster()
    {
        var plane = ControlPlaneFakes.Create(Policy);
        var backup = new BackupRecord { Id = "20261121-023000-0000aa", Cluster = "gone", Policy = "nightly", Status = BackupStatus.Verified, StartedAt = plane.Clock.GetUtcNow(), Location = "backups/gone/nightly/20261121-023000-0000aa/" };

        Assert.Null(DrillWorker.Refusal(plane.Context.Configuration, new VerifyRequested(backup.Id, "gone", "nightly", VerificationKind.Drill), backup));
    }

    private async Task<BackupRecord> BackUpAsync(bool withSnapshot = true)
    {
        var snapshot = BoltSnapshots.Build(fillerPages: 1);
        var manifest = EtcdBackups.Manifest("20261121-023000-0000aa", snapshot, Objects);
        manifest = withSnapshot ? manifest : manifest with { Etcd = null };
        var prefix = await EtcdBackups.StoreAsync(_plane.Store, manifest, snapshot);
        var backup = new BackupRecord
        {
            Id = manifest.BackupId, Cluster = "prod", Policy = "nightly", Status = BackupStatus.Verified, StartedAt = manifest.StartedAt, Location = prefix,
        };
        await _plane.History.SaveBackupAsync(backup);
        return backup;
    }

    private async Task<(DrillRecord Drill, FunctionResult Result)> DrillAsync(BackupRecord backup)
    {
        var request = new Envelope("drill-request-1", "drill-request-1", _plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, backup.Cluster, backup.Policy, VerificationKind.Drill));
        var result = await VerifyWorker.HandleAsync(_context, ControlPlaneFakes.Delivery(request));
        Assert.Null(result.Rejection);
        return ((await _plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request)))!, result);
    }
}
