using Strata.Core.Artifacts;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Freshness;
using Strata.Core.Runs;
using Strata.Core.Status;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Status;

/// <summary>The status page's data over the TestKit fakes: states per pair, bounded series, the cluster filter.</summary>
public sealed class DashboardReportTests
{
    private const string Policies = """
          - name: hourly
            clusters: ["*"]
            schedule: "0 * * * *"
            rpo: 4h
            verification: { drill: { mode: dryRun, rto: 10m } }
          - name: prod-only
            clusters: [prod]
            schedule: "0 3 * * *"
        """;

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Policies);

    private DateTimeOffset Now => _plane.Clock.GetUtcNow();

    private async Task<BackupRecord> SaveBackupAsync(string id, string cluster, string policy, TimeSpan ago, BackupStatus status = BackupStatus.Verified, long objects = 10, params ArtifactEntry[] artifacts)
    {
        var record = new BackupRecord
        {
            Id = id, Cluster = cluster, Policy = policy, Status = status, StartedAt = Now - ago, CompletedAt = Now - ago + TimeSpan.FromMinutes(1),
            Location = $"backups/{cluster}/{id}", ObjectCount = objects,
            Artifacts = artifacts.Length > 0 ? artifacts : [new ArtifactEntry(ArtifactLayout.ResourcesArchive, 1000 + objects, "00")],
        };
        await _plane.History.SaveBackupAsync(record);
        return record;
    }

    private async Task SaveDrillAsync(string id, string cluster, string policy, TimeSpan ago, double? rto, DrillStatus status = DrillStatus.Passed)
    {
        await _plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = id, BackupId = "b", Cluster = cluster, Policy = policy, Target = cluster, Mode = DrillMode.DryRun, Status = status,
            StartedAt = Now - ago, RtoSeconds = rto, RtoObjectiveSeconds = 600,
        });
    }

    [Fact]
    public async Task BuildAsync_PairsInEveryState_MapsEachWithItsReason_AndUncoveredPairsAreNone()
    {
        await SaveBackupAsync("fresh", "prod", "hourly", TimeSpan.FromHours(1),
            artifacts: [new ArtifactEntry(ArtifactLayout.ResourcesArchive, 10, "a"), new ArtifactEntry(ArtifactLayout.VolumesFolder + "data.json", 20, "b")]);
        await SaveBackupAsync("old", "dr", "hourly", TimeSpan.FromHours(3.5));

        var view = await DashboardReport.BuildAsync(_plane.Context);

        Assert.Equal(["prod", "dr"], view.Clusters);
        Assert.Equal((90, 30), (view.Limits.MaxBackups, view.Limits.MaxDrills)); // three pairs: each its full share
        Assert.Equal(["hourly", "prod-only"], view.Policies);
        Assert.Equal((Recoverability.Fresh, "verified, and within the RPO"), (view.Find("prod", "hourly")!.Recoverability.Result, view.Find("prod", "hourly")!.Recoverability.Reason));
        Assert.Equal(["objects", "volumes"], view.Find("prod", "hourly")!.VerifiedLayers);
        Assert.Equal(Recoverability.AtRisk, view.Find("dr", "hourly")!.Recoverability.Result);
        Assert.Equal(Recoverability.NeverProven, view.Find("prod", "prod-only")!.Recoverability.Result);
        Assert.Null(view.Find("dr", "prod-only"));
        Assert.Equal(600, view.Find("prod", "hourly")!.RtoObjectiveSeconds);

        _plane.Clock.Advance(TimeSpan.FromHours(1));
        var later = await DashboardReport.BuildAsync(_plane.Context);
        Assert.Equal(Recoverability.Breached, later.Find("dr", "hourly")!.Recoverability.Result);
    }

    [Fact]
    public async Task BuildAsync_LongHistory_KeepsTheNewestPointsPerPair_OldestFirst()
    {
        for (var i = 0; i < 100; i++)
        {
            await SaveBackupAsync($"b{i:000}", "prod", "hourly", TimeSpan.FromHours(100 - i), objects: i);
        }

        await SaveBackupAsync("failed", "prod", "hourly", TimeSpan.FromMinutes(5), BackupStatus.Failed);
        for (var i = 0; i < 40; i++)
        {
            await SaveDrillAsync($"d{i:000}", "prod", "hourly", TimeSpan.FromHours(40 - i), rto: 100 + i);
        }

        await SaveDrillAsync("failed-drill", "prod", "hourly", TimeSpan.FromMinutes(1), rto: null, DrillStatus.Failed);

        var view = await DashboardReport.BuildAsync(_plane.Context, limits: new DashboardLimits { MaxBackups = 90, MaxDrills = 30 });

        var pair = view.Find("prod", "hourly")!;
        Assert.Equal(Enumerable.Range(10, 90).Select(i => $"b{i:000}"), pair.Backups.Select(b => b.Id)); // committed only, newest 90, oldest first
        Assert.Equal(Enumerable.Range(10, 30).Select(i => $"d{i:000}"), pair.Drills.Select(d => d.Id)); // measured an RTO only
        Assert.Equal((1099L, 99L), (pair.Backups[^1].TotalBytes, pair.Backups[^1].ObjectCount));
        Assert.Equal(1099L, pair.Backups[^1].BytesByLayer["objects"]);
        Assert.Empty(view.Find("dr", "hourly")!.Backups);
    }

    [Theory]
    [InlineData(4, 90, 30)]
    [InlineData(40, 90, 30)]
    [InlineData(200, 18, 6)]
    [InlineData(5000, 10, 5)]
    public void Limits_BigFleet_FewerPointsPerPair_NeverBelowTheMinimum(int pairs, int backups, int drills)
    {
        var limits = DashboardLimits.Default.For(pairs);

        Assert.Equal((backups, drills), (limits.MaxBackups, limits.MaxDrills));
    }

    [Fact]
    public async Task BuildAsync_HistoryOutOfOrder_StillKeepsTheNewest()
    {
        await SaveBackupAsync("newest", "prod", "hourly", TimeSpan.FromHours(1));
        await SaveBackupAsync("oldest", "prod", "hourly", TimeSpan.FromHours(9));
        await SaveBackupAsync("middle", "prod", "hourly", TimeSpan.FromHours(5));

        var view = await DashboardReport.BuildAsync(_plane.Context, limits: new DashboardLimits { MaxBackups = 2 });

        Assert.Equal(["middle", "newest"], view.Find("prod", "hourly")!.Backups.Select(b => b.Id));
    }

    [Fact]
    public async Task BuildAsync_OneCluster_ShowsOnlyItsRowsAlertsAndSeries()
    {
        await SaveBackupAsync("p", "prod", "hourly", TimeSpan.FromHours(1));
        await SaveBackupAsync("d", "dr", "hourly", TimeSpan.FromHours(1));
        await _plane.State.RecordAlertAsync(_plane.Alert("a1", cluster: "prod", policy: "hourly"), Now);
        await _plane.State.RecordAlertAsync(_plane.Alert("a2", cluster: "dr", policy: "hourly"), Now);

        var view = await DashboardReport.BuildAsync(_plane.Context, "dr");

        Assert.Equal(["dr"], view.Clusters);
        Assert.Equal(("dr", "hourly"), Assert.Single(view.Pairs.Select(p => (p.Cluster, p.Policy))));
        Assert.Equal(["d"], view.Pairs[0].Backups.Select(b => b.Id));
        Assert.All(view.Status.Protection, p => Assert.Equal("dr", p.Cluster));
        Assert.Equal("dr", Assert.Single(view.Status.Alerts).Cluster);
    }

    [Fact]
    public async Task BuildAsync_OneCluster_KeepsItsAlertsThatTheFleetsFirstFiftyLeaveOut()
    {
        await _plane.State.RecordAlertAsync(_plane.Alert("dr-alert", cluster: "dr", policy: "hourly"), Now);
        for (var i = 0; i < StatusReport.MaxAlerts + 5; i++)
        {
            _plane.Clock.Advance(TimeSpan.FromMinutes(1));
            await _plane.State.RecordAlertAsync(_plane.Alert($"prod-{i}", kind: $"backup-failed-{i}", cluster: "prod", policy: "hourly"), Now);
        }

        var dr = await DashboardReport.BuildAsync(_plane.Context, "dr");
        var fleet = await DashboardReport.BuildAsync(_plane.Context);

        Assert.Equal("backup-failed/hourly/dr", Assert.Single(dr.Status.Alerts).DedupKey);
        Assert.Equal(StatusReport.MaxAlerts, fleet.Status.Alerts.Count);
        Assert.All(fleet.Status.Alerts, a => Assert.Equal("prod", a.Cluster)); // the fleet page still lists the newest fifty
    }

    [Fact]
    public async Task BuildAsync_UnknownCluster_ThrowsNamingTheConfigurationFile()
    {
        var e = await Assert.ThrowsAsync<UnknownClusterException>(() => DashboardReport.BuildAsync(_plane.Context, "staging"));

        Assert.Equal("cluster 'staging' is not in strata.yaml", e.Message);
    }

    [Theory]
    [InlineData("/etc/strata/strata.yaml", "strata.yaml")]
    [InlineData("https://acct.blob.core.windows.net/config/prod/strata.yaml", "strata.yaml")]
    [InlineData(@"C:\strata\fleet.yaml", "fleet.yaml")]
    [InlineData("strata.yaml", "strata.yaml")]
    public void ConfigurationName_PathOrUrl_IsTheFileNameOnly(string source, string expected)
    {
        Assert.Equal(expected, DashboardReport.ConfigurationName(source));
    }

    [Fact]
    public async Task StatusReport_LongHistory_JudgesAsFromEveryRecord()
    {
        var records = new List<BackupRecord>();
        for (var i = 0; i < 30; i++)
        {
            var status = (i % 4) switch { 0 => BackupStatus.Verified, 1 => BackupStatus.Failed, 2 => BackupStatus.Succeeded, _ => BackupStatus.PartiallyFailed };
            records.Add(await SaveBackupAsync($"r{i:00}", i % 2 == 0 ? "prod" : "dr", i % 3 == 0 ? "prod-only" : "hourly", TimeSpan.FromHours(30 - i), status));
        }

        foreach (var hours in new[] { 0, 2, 5, 40 })
        {
            _plane.Clock.Advance(TimeSpan.FromHours(hours));
            var status = await StatusReport.BuildAsync(_plane.Context);
            var judged = RecoveryPointObjectives.Judge(_plane.Context.Configuration, records, Now);

            Assert.Equal(judged.Select(j => (j.Cluster, j.Policy, j.State, j.LastVerified?.Id)), status.Protection.Select(p => (p.Cluster, p.Policy, p.RpoState, p.LastVerified?.Id)));
        }
    }
}
