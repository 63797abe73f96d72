using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Freshness;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Freshness;

/// <summary>The freshness timer on the TestKit fakes, with a clock the test moves.</summary>
public sealed class FreshnessSweepTests
{
    private const string Hourly = """
          - name: hourly
            clusters: [prod]
            schedule: "0 * * * *"
            rpo: 2h
        """;

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Hourly);

    [Fact]
    public async Task Run_LastVerifiedOlderThanTheRpo_RaisesACriticalAlertWithAStableKey()
    {
        var verified = await BackUpAndVerifyAsync();
        _plane.Clock.Advance(TimeSpan.FromHours(1));
        var early = await FreshnessSweep.RunAsync(_plane.Context);

        _plane.Clock.Advance(TimeSpan.FromHours(1.5));
        var late = await FreshnessSweep.RunAsync(_plane.Context);
        var again = await FreshnessSweep.RunAsync(_plane.Context);

        Assert.DoesNotContain(early.Messages, m => m.Payload is AlertRaised);
        var alert = Assert.Single(late.Messages.Select(m => m.Payload).OfType<AlertRaised>());
        Assert.Equal((AlertSeverity.Critical, "rpo-breached", "rpo-breached/hourly/prod", verified.Id), (alert.Severity, alert.Kind, alert.DedupKey, alert.RunId));
        Assert.Contains("2h", alert.Summary, StringComparison.Ordinal);
        Assert.Equal(alert.DedupKey, ((AlertRaised)again.Messages.Single().Payload).DedupKey); // the same incident while it lasts
    }

    [Fact]
    public async Task Run_BreachThenANewVerifiedBackup_TheIncidentResolvesWithTheSameKey()
    {
        await BackUpAndVerifyAsync();
        _plane.Clock.Advance(TimeSpan.FromHours(3));
        var breach = (await FreshnessSweep.RunAsync(_plane.Context)).Messages.Single();
        await AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(breach));

        var verified = await BackUpAndVerifyAsync("ci-2");
        var resolvedByVerification = await VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(
            new Envelope("verify-again", "ci", _plane.Clock.GetUtcNow(), new VerifyRequested(verified.Id, "prod", "hourly"))));
        var sweep = await FreshnessSweep.RunAsync(_plane.Context);

        var resolve = Assert.IsType<AlertResolved>(Assert.Single(resolvedByVerification.Messages).Payload);
        Assert.Equal(("rpo-breached/hourly/prod", verified.Id), (resolve.DedupKey, resolve.RunId));
        Assert.IsType<AlertResolved>(Assert.Single(sweep.Messages).Payload); // still open until the dispatcher records the resolve
        await AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(sweep.Messages[0]));
        Assert.Empty((await FreshnessSweep.RunAsync(_plane.Context)).Messages);
        Assert.Equal(Core.Alerts.IncidentStatus.Resolved, (await _plane.State.FindAlertAsync("rpo-breached/hourly/prod"))!.Status);
    }

    [Fact]
    public async Task Judge_OnlyVerifiedBackupsCount()
    {
        var verified = await BackUpAndVerifyAsync();
        _plane.Clock.Advance(TimeSpan.FromHours(1.8));
        await BackUpAsync("ci-2"); // committed, not verified: not a recovery point yet

        var judgment = Assert.Single(RecoveryPointObjectives.Judge(_plane.Context.Configuration, await _plane.History.ListBackupsAsync().ToListAsync(), _plane.Clock.GetUtcNow()));

        Assert.Equal((RecoveryPointState.AtRisk, verified.Id), (judgment.State, judgment.LastVerified!.Id));
    }

    [Fact]
    public async Task Judge_NeverVerified_PendingUntilRunsHaveFailedForLongerThanTheRpo()
    {
        await _plane.History.SaveBackupAsync(Record("20261121-093000-aaaaaa", BackupStatus.Failed, _plane.Clock.GetUtcNow()));
        var now = _plane.Clock.GetUtcNow();

        var young = RecoveryPointObjectives.Judge(_plane.Context.Configuration, await _plane.History.ListBackupsAsync().ToListAsync(), now.AddHours(1));
        var old = RecoveryPointObjectives.Judge(_plane.Context.Configuration, await _plane.History.ListBackupsAsync().ToListAsync(), now.AddHours(3));

        Assert.Equal(RecoveryPointState.Pending, Assert.Single(young).State);
        Assert.Equal(RecoveryPointState.Breached, Assert.Single(old).State);
    }

    [Fact]
    public async Task Run_LeaseOutWithoutManifest_RecordsInterrupted_AndAlertsOnce()
    {
        var started = _plane.Clock.GetUtcNow();
        await _plane.History.SaveBackupAsync(Record("20261121-093000-bbbbbb", BackupStatus.InProgress, started) with { LeaseExpiresAt = started.AddMinutes(2) });
        _plane.Clock.Advance(TimeSpan.FromMinutes(1));
        var alive = await FreshnessSweep.RunAsync(_plane.Context);

        _plane.Clock.Advance(TimeSpan.FromMinutes(2));
        var dead = await FreshnessSweep.RunAsync(_plane.Context);
        var after = await FreshnessSweep.RunAsync(_plane.Context);

        Assert.DoesNotContain(alive.Messages, m => m.Payload is AlertRaised { Kind: "backup-interrupted" });
        var record = (await _plane.History.FindBackupAsync("20261121-093000-bbbbbb"))!;
        Assert.Equal(BackupStatus.Interrupted, record.Status);
        Assert.Contains("stopped renewing", record.Error, StringComparison.Ordinal);
        Assert.Single(dead.Messages, m => m.Payload is AlertRaised { Kind: "backup-interrupted" });
        Assert.DoesNotContain(after.Messages, m => m.Payload is AlertRaised { Kind: "backup-interrupted" });
    }

    [Fact]
    public async Task Run_DeadRun_FreesItsPolicyAndClusterLease_SoTheNextBackupRuns()
    {
        var started = _plane.Clock.GetUtcNow();
        const string dead = "20261121-093000-cccccc";
        await _plane.History.SaveBackupAsync(Record(dead, BackupStatus.InProgress, started) with { LeaseExpiresAt = started.AddMinutes(2) });
        await _plane.State.TryAcquireLeaseAsync(BackupWorker.LeaseKey("hourly", "prod"), dead, started, TimeSpan.FromHours(6));
        _plane.Clock.Advance(TimeSpan.FromMinutes(3));

        await FreshnessSweep.RunAsync(_plane.Context);
        var next = await BackUpAsync("ci-after");

        Assert.Equal(BackupStatus.Succeeded, next.Status); // not Skipped behind a dead holder's six-hour lease
    }

    [Fact]
    public async Task Run_UnverifiedPastTheGrace_AsksForTheVerificationAgain_WithTheBackupWorkersMessageId()
    {
        var waiting = await BackUpAsync();
        _plane.Clock.Advance(TimeSpan.FromMinutes(31));

        var result = await FreshnessSweep.RunAsync(_plane.Context);

        var again = Assert.Single(result.Messages, m => m.Payload is VerifyRequested);
        Assert.Equal($"verify-{waiting.Id}", again.Id);
    }

    [Fact]
    public async Task Judge_HistoryFromBeforeVerification_IsPendingWhileACompleteBackupWithinTheRpoWaits()
    {
        await _plane.History.SaveBackupAsync(Record("20261120-093000-dddddd", BackupStatus.Succeeded, _plane.Clock.GetUtcNow().AddDays(-30)));
        var recent = await BackUpAsync();

        var judgment = Assert.Single(RecoveryPointObjectives.Judge(_plane.Context.Configuration, await _plane.History.ListBackupsAsync().ToListAsync(), _plane.Clock.GetUtcNow()));

        Assert.Equal(RecoveryPointState.Pending, judgment.State); // no page on the first pass after an upgrade
        Assert.Equal(BackupStatus.Succeeded, recent.Status);
    }

    [Fact]
    public async Task Run_DiedAfterCommitting_FinishesTheRecordFromItsManifest_AndAsksForVerification()
    {
        var committed = await BackUpAsync();
        await _plane.History.SaveBackupAsync(committed with { Status = BackupStatus.InProgress, CompletedAt = null, Artifacts = [], LeaseExpiresAt = _plane.Clock.GetUtcNow() });
        _plane.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await FreshnessSweep.RunAsync(_plane.Context);

        var record = (await _plane.History.FindBackupAsync(committed.Id))!;
        Assert.Equal((BackupStatus.Succeeded, committed.ObjectCount), (record.Status, record.ObjectCount));
        Assert.Equal(committed.Artifacts, record.Artifacts);
        Assert.Equal(committed.Id, Assert.IsType<VerifyRequested>(Assert.Single(result.Messages, m => m.Payload is VerifyRequested).Payload).BackupId);
    }

    [Fact]
    public async Task Run_CommittedBackupsWaitingUnverified_WarnsThatVerificationIsNotDraining()
    {
        var waiting = await BackUpAsync();
        _plane.Clock.Advance(TimeSpan.FromMinutes(10));
        var soon = await FreshnessSweep.RunAsync(_plane.Context);

        _plane.Clock.Advance(TimeSpan.FromMinutes(25));
        var late = await FreshnessSweep.RunAsync(_plane.Context);

        Assert.DoesNotContain(soon.Messages, m => m.Payload is AlertRaised { Kind: "verification-stalled" });
        var alert = (AlertRaised)Assert.Single(late.Messages, m => m.Payload is AlertRaised { Kind: "verification-stalled" }).Payload;
        Assert.Equal(waiting.Id, alert.RunId);
    }

    [Fact]
    public async Task Run_ScheduleHeartbeatStale_AlertsThatTheScheduleStopped()
    {
        await ScheduleTick.RunAsync(_plane.Context);
        _plane.Clock.Advance(TimeSpan.FromMinutes(2));
        var beating = await FreshnessSweep.RunAsync(_plane.Context);

        _plane.Clock.Advance(TimeSpan.FromMinutes(2));
        var stopped = await FreshnessSweep.RunAsync(_plane.Context);

        Assert.DoesNotContain(beating.Messages, m => m.Payload is AlertRaised { Kind: "schedule-stopped" });
        Assert.Equal(AlertSeverity.Critical, ((AlertRaised)Assert.Single(stopped.Messages, m => m.Payload is AlertRaised { Kind: "schedule-stopped" }).Payload).Severity);
    }

    private BackupRecord Record(string id, BackupStatus status, DateTimeOffset startedAt) => new()
    {
        Id = id,
        Cluster = "prod",
        Policy = "hourly",
        Status = status,
        StartedAt = startedAt,
        Location = ArtifactLayout.BackupPrefix("prod", "hourly", id),
    };

    private async Task<BackupRecord> BackUpAsync(string id = "ci-1")
    {
        if (!_plane.Clusters.Clusters.ContainsKey("prod"))
        {
            await _plane.AddClusterAsync("prod");
        }

        var request = _plane.Request(id, policy: "hourly");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        return (await _plane.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    private async Task<BackupRecord> BackUpAndVerifyAsync(string id = "ci-1")
    {
        var record = await BackUpAsync(id);
        return await VerifyWorker.VerifyAsync(_plane.Context, record);
    }
}
