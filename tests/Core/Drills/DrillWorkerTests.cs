using Strata.Core.Alerts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Drills;

/// <summary>The drill requests of the verify worker: replays, refusals, one drill at a time, and drills whose worker died.</summary>
public sealed class DrillWorkerTests
{
    [Fact]
    public async Task Handle_Redelivered_FindsItsDrill_RunsNothingAgain_RepeatsTheAlert()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5s }");
        fakes.ReadyAtLook["web"] = int.MaxValue;
        var backup = await fakes.BackUpAsync();
        var (first, firstResult, request) = await fakes.DrillAsync(backup);
        var objects = fakes.Prod.Creates.Count;

        var again = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 2));

        Assert.Equal(objects, fakes.Prod.Creates.Count);
        Assert.Equal(first, await fakes.Plane.History.FindDrillAsync(first!.Id));
        Assert.Equal(firstResult.Messages.Select(m => m.Id), again.Messages.Select(m => m.Id));
        Assert.Contains("already ran (Failed)", Assert.Single(again.Logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_PassingDrillAfterAFailedOne_ResolvesTheIncident_AndAReplayOfTheFailureDoesNotReopenIt()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5s }");
        fakes.ReadyAtLook["web"] = int.MaxValue;
        var backup = await fakes.BackUpAsync();
        var failing = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        await InlinePipeline.RunAsync(fakes.Plane.Context, failing); // the verify worker, then the alert dispatcher opens the incident
        Assert.Equal(IncidentStatus.Open, (await fakes.Plane.State.FindAlertAsync("drill-failed/nightly/prod"))!.Status);

        fakes.ReadyAtLook.Clear();
        fakes.Plane.Clock.Advance(TimeSpan.FromMinutes(5));
        var passing = new Envelope("r-2", "r-2", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var outcome = await InlinePipeline.RunAsync(fakes.Plane.Context, passing);

        var resolved = (AlertResolved)outcome.Handled.Single(h => h.Message.Payload is AlertResolved).Message.Payload;
        Assert.Equal(("drill-failed/nightly/prod", DrillWorker.DrillIdFor(passing)), (resolved.DedupKey, resolved.RunId));
        Assert.Equal(IncidentStatus.Resolved, (await fakes.Plane.State.FindAlertAsync("drill-failed/nightly/prod"))!.Status);

        var replay = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(failing, deliveryCount: 2));
        Assert.DoesNotContain(replay.Messages, m => m.Payload is AlertResolved);
    }

    [Fact]
    public async Task Handle_RequestNamingItsRequester_RecordsThemOnTheDrill()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("http-9", "http-9", fakes.Plane.Clock.GetUtcNow(),
            new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill, RequestedBy: "alice@contoso.com (object id 5b54)"));

        await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request));

        Assert.Equal("alice@contoso.com (object id 5b54)", (await fakes.Plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request)))!.RequestedBy);
    }

    [Theory]
    [InlineData(null, null, "chain-1")]
    [InlineData(null, "2026-11-22T04:00:00Z", "drill-tick")]
    [InlineData("ci", null, "ci")]
    public void RequestedBy_SaysWhoAsked(string? requestedBy, string? scheduledFor, string expected) =>
        Assert.Equal(expected, DrillWorker.RequestedBy(new Envelope("id-1", "chain-1", DateTimeOffset.UnixEpoch,
            new VerifyRequested("20261121-093000-0000aa", "prod", "nightly", VerificationKind.Drill, scheduledFor is null ? null : DateTimeOffset.Parse(scheduledFor, System.Globalization.CultureInfo.InvariantCulture), requestedBy))));

    [Fact]
    public async Task Handle_BackupNotVerified_IsRejected()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        await fakes.Plane.History.SaveBackupAsync(backup with { Status = BackupStatus.VerificationFailed });

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Null(drill);
        Assert.Equal($"backup {backup.Id} is VerificationFailed: only verified backups are drilled", result.Rejection);
        Assert.Equal("message-rejected", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_PolicyWithoutDrill_IsRejected()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var other = backup with { Id = "20261121-093000-0000aa", Policy = "weekly" };
        await fakes.Plane.History.SaveBackupAsync(other);

        var (_, result, _) = await fakes.DrillAsync(other);

        Assert.Equal("policy 'weekly' is not in strata.yaml", result.Rejection);
    }

    [Fact]
    public async Task Handle_AnotherDrillOfThePolicyRunning_RunsNothing()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", "20261121-000000-aaaaaa", fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromHours(1));

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Skipped, drill!.Status);
        Assert.StartsWith("drill 20261121-000000-aaaaaa of policy nightly on prod is running", drill.Error, StringComparison.Ordinal);
        Assert.Empty(result.Messages);
        Assert.DoesNotContain(fakes.Prod.Creates.Keys, k => k.Contains("drill-", StringComparison.Ordinal));
        Assert.Contains("drill 20261121-000000-aaaaaa of policy nightly on prod is running", Assert.Single(result.Logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_LeaseTakenOverFromADeadDrill_AbandonsThatDrill_DeletesItsNamespaces_ThenRuns()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        const string deadId = "20261121-000000-dead00";
        var deadScratch = "drill-dead00-shop";
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, deadScratch));
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = deadId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(), Namespaces = new Dictionary<string, string> { ["shop"] = deadScratch },
        });
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", deadId, fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        fakes.Plane.Clock.Advance(TimeSpan.FromMinutes(2));

        var (drill, result, _) = await fakes.DrillAsync(backup);

        var dead = await fakes.Plane.History.FindDrillAsync(deadId);
        Assert.Equal(DrillStatus.Failed, dead!.Status);
        Assert.StartsWith("abandoned:", dead.Error, StringComparison.Ordinal);
        Assert.False(fakes.Prod.Objects.ContainsKey(TestKit.Fakes.RecordingCluster.Key("namespaces", null, deadScratch)));
        Assert.Equal(DrillStatus.Passed, drill!.Status);
        Assert.Contains(result.Messages, m => m.Payload is AlertRaised { Kind: "drill-failed" } a && a.Summary.Contains(deadId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_RedeliveryRenewsTheLeaseOfADrillOlderThanItsTimeout_AbandonsIt()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5m }");
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var drillId = DrillWorker.DrillIdFor(request);
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = drillId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(),
        });
        fakes.Plane.Clock.Advance(TimeSpan.FromHours(1));
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", drillId, fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromHours(1));

        var result = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 3));

        var drill = await fakes.Plane.History.FindDrillAsync(drillId);
        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("abandoned:", drill.Error, StringComparison.Ordinal);
        Assert.Equal("drill-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_DrillWhoseWorkerDied_IsRecordedAbandoned_ItsNamespacesDeleted_AndPages()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var drillId = DrillWorker.DrillIdFor(request);
        var scratch = $"drill-{drillId[^6..]}-shop";
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, scratch));
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = drillId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(), Namespaces = new Dictionary<string, string> { ["shop"] = scratch },
        });

        var result = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 2));

        var drill = await fakes.Plane.History.FindDrillAsync(drillId);
        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("abandoned:", drill.Error, StringComparison.Ordinal);
        Assert.False(fakes.Prod.Objects.ContainsKey(TestKit.Fakes.RecordingCluster.Key("namespaces", null, scratch)));
        Assert.Equal("drill-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_TargetUnreachable_IsAFailedDrill_NotARedelivery()
    {
        var fakes = await DrillFakes.CreateAsync("{ target: dr }");
        var backup = await fakes.BackUpAsync();
        fakes.Plane.Clusters.Clusters.Remove("dr");

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("cluster dr: cannot reach https://dr.example:6443/", drill.Error, StringComparison.Ordinal);
        Assert.Equal("drill-failed/nightly/prod", ((AlertRaised)Assert.Single(result.Messages).Payload).DedupKey);
    }
}
