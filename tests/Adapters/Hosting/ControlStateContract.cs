using Strata.Adapters.Azure.Table;
using Strata.Adapters.Local;
using Strata.Core.Alerts;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>What every control state must do, run against the local folder and against Table storage in Azurite.</summary>
public abstract class ControlStateContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    protected abstract IControlState State { get; }

    [Fact]
    public async Task Lease_OneHolderAtATime_TakenOverOnlyAfterExpiry()
    {
        var key = "backup/nightly/prod";
        var first = await State.TryAcquireLeaseAsync(key, "run-a", Now, TimeSpan.FromMinutes(10));
        var contender = await State.TryAcquireLeaseAsync(key, "run-b", Now.AddMinutes(5), TimeSpan.FromMinutes(10));
        var again = await State.TryAcquireLeaseAsync(key, "run-a", Now.AddMinutes(6), TimeSpan.FromMinutes(10));
        var afterExpiry = await State.TryAcquireLeaseAsync(key, "run-b", Now.AddMinutes(17), TimeSpan.FromMinutes(10));

        Assert.True(first.Acquired);
        Assert.False(first.Renewed);
        Assert.False(contender.Acquired);
        Assert.Equal("run-a", contender.Holder);
        Assert.Equal(Now.AddMinutes(10), contender.ExpiresAt);
        Assert.True(again.Renewed);
        Assert.True(afterExpiry.Acquired);
        Assert.Equal("run-a", afterExpiry.TakenOverFrom);
    }

    [Fact]
    public async Task Lease_Released_IsFreeButNotByAnotherHolder()
    {
        await State.TryAcquireLeaseAsync("k", "run-a", Now, TimeSpan.FromHours(1));
        await State.ReleaseLeaseAsync("k", "run-b"); // not the holder: no effect
        Assert.False((await State.TryAcquireLeaseAsync("k", "run-c", Now, TimeSpan.FromHours(1))).Acquired);

        await State.ReleaseLeaseAsync("k", "run-a");
        Assert.True((await State.TryAcquireLeaseAsync("k", "run-c", Now, TimeSpan.FromHours(1))).Acquired);
    }

    [Fact]
    public async Task Lease_RacingHolders_ExactlyOneWins()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => State.TryAcquireLeaseAsync("race", $"run-{i}", Now, TimeSpan.FromHours(1))));

        Assert.Single(attempts, a => a.Acquired);
    }

    [Fact]
    public async Task Keys_WithCharactersTableKeysForbid_StillWork()
    {
        const string key = "backup/nightly#1?prod\\weu";

        Assert.True((await State.TryAcquireLeaseAsync(key, "run-a", Now, TimeSpan.FromHours(1))).Acquired);
        Assert.False((await State.TryAcquireLeaseAsync(key, "run-b", Now, TimeSpan.FromHours(1))).Acquired);
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { [key] = Now });
        Assert.Equal(Now, (await State.GetScheduleMarksAsync())[key]);
    }

    [Fact]
    public async Task ScheduleMarks_RoundTrip()
    {
        Assert.Empty(await State.GetScheduleMarksAsync());

        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { ["nightly"] = Now, ["hourly"] = Now.AddHours(-1) });
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { ["hourly"] = Now });

        var marks = await State.GetScheduleMarksAsync();
        Assert.Equal(Now, marks["nightly"]);
        Assert.Equal(Now, marks["hourly"]);
    }

    [Fact]
    public async Task ScheduleMarks_DrillMarks_LiveBesideThePolicysOwn()
    {
        // drill-tick keeps its marks under "drill/{policy}" (policy names have no '/'), so the two schedules never meet.
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { ["nightly"] = Now, [Strata.Core.ControlPlane.DrillTick.MarkPrefix + "nightly"] = Now.AddDays(-3) });
        await State.SaveScheduleMarksAsync(new Dictionary<string, DateTimeOffset> { [Strata.Core.ControlPlane.DrillTick.MarkPrefix + "nightly"] = Now.AddHours(-1) });

        var marks = await State.GetScheduleMarksAsync();
        Assert.Equal((Now, Now.AddHours(-1)), (marks["nightly"], marks["drill/nightly"]));
    }

    [Fact]
    public async Task Rejected_RecordedOncePerKey_BodyKept()
    {
        var message = new RejectedMessage("sb-1", "strata-backups", "sb-1", "x", "BackupRequested", "payload.cluster is required", Now, 1, "{\"a\":\"" + new string('é', 40_000) + "\"}");

        Assert.True(await State.RecordRejectedAsync(message));
        Assert.False(await State.RecordRejectedAsync(message with { DeliveryCount = 2 }));

        var kept = Assert.Single(await State.ListRejectedAsync().ToListAsync());
        Assert.Equal(message, kept);
    }

    [Fact]
    public async Task Alerts_DeduplicatedByKey_CountedByMessageId()
    {
        Envelope Alert(string id, string summary) => new(id, id, Now, new AlertRaised(AlertSeverity.Critical, "backup-failed", summary, "backup-failed/nightly/prod"));

        await State.RecordAlertAsync(Alert("a1", "first"), Now);
        await State.RecordAlertAsync(Alert("a1", "first"), Now.AddMinutes(1));
        var latest = await State.RecordAlertAsync(Alert("a2", "second"), Now.AddMinutes(2));

        Assert.Equal(2, latest.Count);
        var incident = Assert.Single(await State.ListAlertsAsync().ToListAsync());
        Assert.Equal("second", incident.Summary);
        Assert.Equal(Now, incident.FirstRaisedAt);
        Assert.Equal(Now.AddMinutes(2), incident.LastRaisedAt);
    }

    [Fact]
    public async Task Alerts_ResolvedThenRaisedAgain_OpensAgainWithNoChannelTold()
    {
        var key = "backup-failed/nightly/prod#1";
        Envelope Raised(string id, DateTimeOffset? createdAt = null) => new(id, id, createdAt ?? Now, new AlertRaised(AlertSeverity.Critical, "backup-failed", "failed", key, "prod", "nightly"));
        Envelope Resolved(string id) => new(id, id, Now, new AlertResolved(key, "recovered"));

        Assert.Null(await State.FindAlertAsync(key));
        Assert.Null(await State.ResolveAlertAsync(Resolved("r0"), Now)); // nothing to resolve
        Assert.Null(await State.FindAlertAsync(key));
        await State.RecordAlertAsync(Raised("a1"), Now);
        await State.RecordNotificationsAsync(key, [new ChannelNotification("pager", Now, AlertSeverity.Critical), new ChannelNotification("chat", Now, AlertSeverity.Critical)]);
        var resolved = await State.ResolveAlertAsync(Resolved("r1"), Now.AddHours(1));
        var again = await State.ResolveAlertAsync(Resolved("r2"), Now.AddHours(2));
        await State.RecordNotificationsAsync(key, [new ChannelNotification("pager", Now, AlertSeverity.Critical, Now.AddHours(1))]);

        Assert.Equal((IncidentStatus.Resolved, Now.AddHours(1), "recovered"), (resolved!.Status, resolved.ResolvedAt, resolved.ResolvedSummary));
        Assert.Equal(Now.AddHours(1), again!.ResolvedAt); // already resolved: unchanged
        var stored = (await State.FindAlertAsync(key))!;
        Assert.Equal(IncidentStatus.Resolved, stored.Status);
        Assert.Equal([("chat", (DateTimeOffset?)null), ("pager", Now.AddHours(1))], stored.Notifications.Select(n => (n.Channel, n.ResolvedAt)));

        var late = await State.RecordAlertAsync(Raised("a0", Now.AddMinutes(30)), Now.AddHours(2)); // made before the resolve, delivered after it
        var reopened = await State.RecordAlertAsync(Raised("a2", Now.AddHours(3)), Now.AddHours(3));

        Assert.Equal((IncidentStatus.Resolved, 1), (late.Status, late.Count));
        Assert.Equal((IncidentStatus.Open, Now.AddHours(3), 2, Now), (reopened.Status, reopened.OpenedAt, reopened.Count, reopened.FirstRaisedAt));
        Assert.Empty((await State.FindAlertAsync(key))!.Notifications);
        Assert.Null(await State.RecordNotificationsAsync("no/such/incident", [new ChannelNotification("pager", Now, AlertSeverity.Info)]));
    }

    [Fact]
    public async Task ChannelHealth_CountsConsecutiveFailures_UntilADeliverySucceeds()
    {
        Assert.Empty(await State.ListChannelHealthAsync().ToListAsync());

        await State.RecordDeliveryAsync("chat/ops", Now, "500 internal error (4 attempts)");
        await State.RecordDeliveryAsync("chat/ops", Now.AddMinutes(5), "403 invalid_token (1 attempt)");
        await State.RecordDeliveryAsync("pager", Now, null);
        var failing = (await State.ListChannelHealthAsync().ToListAsync()).Single(h => h.Channel == "chat/ops");
        var recovered = await State.RecordDeliveryAsync("chat/ops", Now.AddMinutes(10), null);

        Assert.Equal((2, Now.AddMinutes(5), "403 invalid_token (1 attempt)", (DateTimeOffset?)null),
            (failing.ConsecutiveFailures, failing.LastFailureAt, failing.LastError, failing.LastSuccessAt));
        Assert.Equal((0, Now.AddMinutes(10), Now.AddMinutes(5)), (recovered.ConsecutiveFailures, recovered.LastSuccessAt, recovered.LastFailureAt));
        Assert.Equal(["chat/ops", "pager"], (await State.ListChannelHealthAsync().ToListAsync()).Select(h => h.Channel));
        Assert.Equal(recovered, (await State.ListChannelHealthAsync().ToListAsync())[0]);
    }

    [Fact]
    public async Task Alerts_ConcurrentNotifications_NoneLost()
    {
        var key = "retention-failed/nightly/prod";
        await State.RecordAlertAsync(new Envelope("a1", "a1", Now, new AlertRaised(AlertSeverity.Warning, "retention-failed", "x", key)), Now);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => State.RecordNotificationsAsync(key, [new ChannelNotification($"c{i}", Now, AlertSeverity.Warning)])));

        Assert.Equal(6, (await State.FindAlertAsync(key))!.Notifications.Count);
    }

    [Fact]
    public async Task Coverage_SavedTwice_TheLatestPerClusterIsKept()
    {
        Assert.Empty(await State.ListCoverageAsync().ToListAsync());
        var shop = new CoverageEntry(StatefulKind.PersistentVolumeClaim, "shop", "data", CoverageState.Protected, "StorageClass fast-ssd", "snapshotted by policy nightly")
        {
            ProtectedBy = [new CoverageProtection("nightly", "volumes")],
        };
        var etcd = new CoverageEntry(StatefulKind.Etcd, null, "etcd", CoverageState.Unprotected, "static pod(s) etcd-cp1 in kube-system", "no policy takes the etcd layer");

        await State.SaveCoverageAsync(new CoverageReport { Cluster = "prod/weu", SurveyedAt = Now, Entries = [shop] });
        await State.SaveCoverageAsync(new CoverageReport { Cluster = "dr", SurveyedAt = Now, Error = "cannot reach https://dr.example:6443" });
        await State.SaveCoverageAsync(new CoverageReport { Cluster = "prod/weu", SurveyedAt = Now.AddDays(1), Entries = [shop, etcd] });

        var reports = await State.ListCoverageAsync().ToListAsync();
        Assert.Equal(["dr", "prod/weu"], reports.Select(r => r.Cluster));
        Assert.Equal("cannot reach https://dr.example:6443", reports[0].Error);
        Assert.Equal(Now.AddDays(1), reports[1].SurveyedAt);
        Assert.Equal([shop.Name, etcd.Name], reports[1].Entries.Select(e => e.Name));
        Assert.Equal([new CoverageProtection("nightly", "volumes")], reports[1].Entries[0].ProtectedBy);
        Assert.Equal((CoverageState.Unprotected, (string?)null, StatefulKind.Etcd), (reports[1].Entries[1].State, reports[1].Entries[1].Namespace, reports[1].Entries[1].Kind));
    }

    [Fact]
    public async Task Coverage_ThousandsOfEntries_RoundTrip()
    {
        var entries = Enumerable.Range(0, 5000).Select(i => new CoverageEntry(StatefulKind.PersistentVolumeClaim, $"team-{i % 50}", $"data-{i}",
            i % 7 == 0 ? CoverageState.Unprotected : CoverageState.Protected, "StorageClass managed-csi, driver disk.csi.azure.com", $"reason {i}")).ToList();

        await State.SaveCoverageAsync(new CoverageReport { Cluster = "big", SurveyedAt = Now, Entries = entries });

        var report = Assert.Single(await State.ListCoverageAsync().ToListAsync());
        Assert.Equal(5000, report.Entries.Count);
        Assert.Equal(entries.Count(e => e.State == CoverageState.Unprotected), report.Unprotected.Count());
        Assert.Equal(0, report.OmittedCovered);
    }

    [Fact]
    public async Task Coverage_FailureBesideTheLastGoodReport_RoundTrips()
    {
        var etcd = new CoverageEntry(StatefulKind.Etcd, null, "etcd", CoverageState.Unprotected, "static pod(s) etcd-cp1 in kube-system", "no policy takes the etcd layer");
        var good = new CoverageReport { Cluster = "prod", SurveyedAt = Now, Entries = [etcd], OmittedCovered = 3, OmittedUnprotected = 2 };

        await State.SaveCoverageAsync(good.AfterFailedSurvey(new CoverageReport { Cluster = "prod", SurveyedAt = Now.AddDays(1), Error = "cannot reach [address]" }));

        var report = Assert.Single(await State.ListCoverageAsync().ToListAsync());
        Assert.Equal((Now, (string?)null, "cannot reach [address]", (DateTimeOffset?)Now.AddDays(1)), (report.SurveyedAt, report.Error, report.LastError, report.LastAttemptAt));
        Assert.Equal(("etcd", 3, 2, 6, 3), (Assert.Single(report.Entries).Name, report.OmittedCovered, report.OmittedUnprotected, report.StatefulCount, report.UnprotectedCount));
    }
}

public sealed class LocalControlStateTests : ControlStateContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public LocalControlStateTests() => State = new LocalControlState(_dir.Path);

    protected override IControlState State { get; }

    public void Dispose() => _dir.Dispose();
}

public sealed class TableControlStateTests(AzuriteFixture azurite) : ControlStateContract, IClassFixture<AzuriteFixture>
{
    protected override IControlState State { get; } =
        new TableControlState(azurite.Account.CreateTableServiceClient(), AzuriteFixture.UniqueName("c"));

    [Fact]
    public async Task Coverage_LargerThanAnEntityHolds_KeepsTheUnprotectedAndCountsTheRest()
    {
        // Random names defeat gzip: 100,000 entries are several MiB compressed, over the entity's 1 MiB.
        var entries = Enumerable.Range(0, 100_000).Select(i => new CoverageEntry(StatefulKind.PersistentVolumeClaim, "ns", Guid.NewGuid().ToString("N"),
            i % 100 == 0 ? CoverageState.Unprotected : CoverageState.Protected, Guid.NewGuid().ToString("N"), "r")).ToList();

        await State.SaveCoverageAsync(new CoverageReport { Cluster = "huge", SurveyedAt = DateTimeOffset.UnixEpoch, Entries = entries });

        var report = Assert.Single(await State.ListCoverageAsync().ToListAsync());
        Assert.Equal(1000, report.Entries.Count);
        Assert.All(report.Entries, e => Assert.Equal(CoverageState.Unprotected, e.State));
        Assert.Equal(99_000, report.OmittedCovered);
    }

    [Fact]
    public async Task Coverage_UnprotectedAloneLargerThanAnEntityHolds_KeepsAsManyAsFit_AndCountsTheRest()
    {
        // 60,000 unprotected entries with random names and details: several MiB compressed even without the covered ones.
        var entries = Enumerable.Range(0, 60_000).Select(i => new CoverageEntry(StatefulKind.PersistentVolumeClaim, "ns", Guid.NewGuid().ToString("N"),
            i % 2 == 0 ? CoverageState.Unprotected : CoverageState.Protected, Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"))).ToList();

        await State.SaveCoverageAsync(new CoverageReport { Cluster = "huge", SurveyedAt = DateTimeOffset.UnixEpoch, Entries = entries });

        var report = Assert.Single(await State.ListCoverageAsync().ToListAsync());
        Assert.InRange(report.Entries.Count, 1, 29_999);
        Assert.All(report.Entries, e => Assert.Equal(CoverageState.Unprotected, e.State));
        Assert.Equal((30_000, 30_000, 60_000), (report.OmittedCovered, report.UnprotectedCount, report.StatefulCount));
    }
}
