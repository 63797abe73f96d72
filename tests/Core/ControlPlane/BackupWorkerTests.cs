using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>The backup worker on the TestKit fakes: runs, replays, leases, abandoned runs, unreachable clusters, refusals.</summary>
public sealed class BackupWorkerTests
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    private Task<FunctionResult> HandleAsync(Envelope envelope, int deliveryCount = 1) =>
        BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(envelope, deliveryCount));

    [Fact]
    public async Task Handle_Request_CapturesRecordsAndFollowsUp_ThenFreesTheLease()
    {
        await _plane.AddClusterAsync("prod", configMaps: 3);
        var request = _plane.Request("ci-1");

        var result = await HandleAsync(request);

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal((BackupWorker.BackupIdFor(request), BackupStatus.Succeeded, "ci"), (record.Id, record.Status, record.RequestedBy));
        Assert.True(record.ObjectCount >= 4, $"{record.ObjectCount} objects"); // the namespace and its three ConfigMaps
        Assert.Contains(_plane.Store.Artifacts.Keys, k => k.StartsWith(record.Location, StringComparison.Ordinal) && k.EndsWith("manifest.json", StringComparison.Ordinal));
        Assert.Equal(["BackupCompleted", "VerifyRequested"], result.Messages.Select(m => m.Type));
        Assert.All(result.Messages, m => Assert.Equal("ci-1", m.CorrelationId));
        Assert.Null(result.Rejection);
        Assert.Empty(_plane.State.Leases);
    }

    [Fact]
    public async Task Handle_Replay_FindsTheRun_AndRepeatsOnlyItsFollowUps()
    {
        await _plane.AddClusterAsync("prod");
        var request = _plane.Request("ci-2");
        var first = await HandleAsync(request);
        var artifacts = _plane.Store.Artifacts.Count;

        _plane.Clock.Advance(TimeSpan.FromMinutes(5));
        var replay = await HandleAsync(request, deliveryCount: 2);

        Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(artifacts, _plane.Store.Artifacts.Count);
        Assert.Equal(1, _plane.Clusters.Connections["prod"]);
        Assert.Equal(first.Messages.Select(m => m.Id), replay.Messages.Select(m => m.Id));
        Assert.Contains(replay.Logs, l => l.Contains("already ran", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_AnotherBackupHoldsTheLease_RecordsSkipped_AndWarns()
    {
        await _plane.AddClusterAsync("prod");
        await _plane.State.TryAcquireLeaseAsync("backup/nightly/prod", "20261121-080000-aaaaaa", _plane.Clock.GetUtcNow(), TimeSpan.FromHours(6));

        var result = await HandleAsync(_plane.Request("ci-3"));

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.Skipped, record.Status);
        Assert.Contains("20261121-080000-aaaaaa", record.Error);
        Assert.False(_plane.Clusters.Connections.ContainsKey("prod"));
        var alert = (AlertRaised)Assert.Single(result.Messages, m => m.Type == "AlertRaised").Payload;
        Assert.Equal(("backup-skipped", AlertSeverity.Warning), (alert.Kind, alert.Severity));
        Assert.Equal("20261121-080000-aaaaaa", _plane.State.Leases["backup/nightly/prod"].Holder);
    }

    [Fact]
    public async Task Handle_TheSameBackupRunningElsewhere_DoesNothing()
    {
        await _plane.AddClusterAsync("prod");
        var request = _plane.Request("ci-4");
        await _plane.State.TryAcquireLeaseAsync("backup/nightly/prod", BackupWorker.BackupIdFor(request), _plane.Clock.GetUtcNow(), TimeSpan.FromHours(6));

        var result = await HandleAsync(request, deliveryCount: 2);

        Assert.Empty(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Empty(result.Messages);
        Assert.Contains(result.Logs, l => l.Contains("running in another invocation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_RunWhoseWorkerDied_IsRecordedAbandoned_NotRunAgain()
    {
        await _plane.AddClusterAsync("prod");
        var request = _plane.Request("ci-5");
        var id = BackupWorker.BackupIdFor(request);
        var start = _plane.Clock.GetUtcNow();
        await _plane.History.SaveBackupAsync(new BackupRecord
        {
            Id = id, Cluster = "prod", Policy = "nightly", Status = BackupStatus.InProgress, StartedAt = start, Location = "backups/prod/nightly/" + id + "/",
        });
        await _plane.State.TryAcquireLeaseAsync("backup/nightly/prod", id, start, TimeSpan.FromHours(6));

        _plane.Clock.Advance(TimeSpan.FromHours(7)); // the lease ran out
        var result = await HandleAsync(request, deliveryCount: 2);

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.StartsWith("abandoned", record.Error);
        Assert.False(_plane.Clusters.Connections.ContainsKey("prod"));
        Assert.Equal("backup-abandoned", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
        Assert.Empty(_plane.State.Leases);
    }

    [Fact]
    public async Task Handle_UnreachableCluster_IsAFailedRunWithACriticalAlert_NotARedelivery()
    {
        var result = await HandleAsync(_plane.Request("ci-6", cluster: "dr"));

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.Contains("cluster dr (https://dr.example:6443/): cannot reach", record.Error);
        var alert = (AlertRaised)Assert.Single(result.Messages, m => m.Type == "AlertRaised").Payload;
        Assert.Equal(("backup-failed", AlertSeverity.Critical, "backup-failed/nightly/dr"), (alert.Kind, alert.Severity, alert.DedupKey));
        Assert.DoesNotContain(result.Messages, m => m.Type == "VerifyRequested");
    }

    [Theory]
    [InlineData("{ not json", "not JSON")]
    [InlineData("""{"type":"AlertRaised","version":1,"id":"a-1","createdAt":"2026-11-21T09:30:00Z","payload":{"severity":"info","kind":"k","summary":"s","dedupKey":"d"}}""", "does not belong on queue strata-backups")]
    public async Task Handle_MessageThatCanNeverBeUsed_IsRejected_RecordedOnce_AndAlertedOnce(string body, string reason)
    {
        var message = new InboundMessage(Queues.Backups, body, "bad-1");

        var first = await BackupWorker.HandleAsync(_plane.Context, message);
        var redelivered = await BackupWorker.HandleAsync(_plane.Context, message with { DeliveryCount = 2 });

        Assert.Contains(reason, first.Rejection);
        Assert.Contains(reason, redelivered.Rejection);
        Assert.Equal("bad-1", Assert.Single(await _plane.State.ListRejectedAsync().ToListAsync()).Key);
        Assert.Equal("message-rejected", ((AlertRaised)Assert.Single(first.Messages).Payload).Kind);
        Assert.Empty(redelivered.Messages);
    }

    [Fact]
    public async Task Handle_PolicyThatDoesNotProtectTheCluster_IsRejected()
    {
        var plane = ControlPlaneFakes.Create("""
              - name: prod-only
                clusters: ["prod"]
                schedule: "0 * * * *"
            """);

        var result = await BackupWorker.HandleAsync(plane.Context, ControlPlaneFakes.Delivery(plane.Request("ci-7", cluster: "dr", policy: "prod-only")));

        Assert.Equal("policy 'prod-only' does not protect cluster 'dr'", result.Rejection);
        Assert.Empty(await plane.History.ListBackupsAsync().ToListAsync());
    }

    [Fact]
    public async Task Handle_PartialBackup_AlertListsTheFirst20FailedItems_AndHowManyMore()
    {
        var prod = await _plane.AddClusterAsync("prod");
        _plane.Clusters.Clusters["prod"] = new ForbiddingCluster(prod, r => r.Name is not ("namespaces" or "configmaps"));

        var result = await HandleAsync(_plane.Request("ci-8"));

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        var errors = record.Problems.Count(p => p.Severity == Results.ProblemSeverity.Error);
        Assert.True(errors > Strata.Core.Alerts.FailedItemList.Shown, $"{errors} errors");
        var alert = (AlertRaised)Assert.Single(result.Messages, m => m.Type == "AlertRaised").Payload;
        Assert.Equal(("backup-partial", $"Backup of prod (policy nightly) missed {errors} item(s)"), (alert.Kind, alert.Summary));
        Assert.Equal(Strata.Core.Alerts.FailedItemList.Shown, alert.FailedItems!.Count);
        Assert.Equal(errors - Strata.Core.Alerts.FailedItemList.Shown, alert.MoreFailedItems);
        Assert.Contains(alert.FailedItems, i => i.StartsWith("secrets: ", StringComparison.Ordinal) && i.Contains("cannot list resource \"secrets\"", StringComparison.Ordinal));
        Assert.Contains("VerifyRequested", result.Messages.Select(m => m.Type)); // what was captured is committed
    }

    [Fact]
    public async Task Handle_BackupAfterAFailure_ItsVerificationResolvesTheOpenIncident_Once()
    {
        var failed = await HandleAsync(_plane.Request("ci-9")); // prod unreachable
        await AlertDispatcher.DispatchAsync(_plane.Context, Assert.Single(failed.Messages, m => m.Type == "AlertRaised"), new FunctionResult());
        await _plane.AddClusterAsync("prod");
        _plane.Clock.Advance(TimeSpan.FromMinutes(10));

        var recovered = await HandleAsync(_plane.Request("ci-10"));
        var verified = await VerifyAsync(recovered);
        var resolveMessage = Assert.Single(verified.Messages, m => m.Type == "AlertResolved");
        await AlertDispatcher.DispatchAsync(_plane.Context, resolveMessage, new FunctionResult());
        var healthy = await VerifyAsync(await HandleAsync(_plane.Request("ci-11")));

        Assert.DoesNotContain(recovered.Messages, m => m.Type == "AlertResolved"); // committed is not proven: the verification resolves
        var resolve = (AlertResolved)resolveMessage.Payload;
        Assert.Equal(("backup-failed/nightly/prod", "prod", "nightly"), (resolve.DedupKey, resolve.Cluster, resolve.Policy));
        Assert.Equal("ci-10", resolveMessage.CorrelationId);
        Assert.Equal(Strata.Core.Alerts.IncidentStatus.Resolved, (await _plane.State.FindAlertAsync("backup-failed/nightly/prod"))!.Status);
        Assert.DoesNotContain(healthy.Messages, m => m.Type == "AlertResolved"); // nothing open: nothing more to send
    }

    [Fact]
    public async Task Handle_ReverificationOfAnOlderGoodBackup_DoesNotResolveANewerFailure()
    {
        await _plane.AddClusterAsync("prod");
        var good = await HandleAsync(_plane.Request("ci-12"));
        await VerifyAsync(good);
        _plane.Clock.Advance(TimeSpan.FromHours(1));
        _plane.Clusters.Clusters.Remove("prod");
        var failed = await HandleAsync(_plane.Request("ci-13"));
        await AlertDispatcher.DispatchAsync(_plane.Context, Assert.Single(failed.Messages, m => m.Type == "AlertRaised"), new FunctionResult());

        var again = await VerifyAsync(good);

        Assert.DoesNotContain(again.Messages, m => m.Type == "AlertResolved");
    }

    private Task<FunctionResult> VerifyAsync(FunctionResult backup) =>
        VerifyWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(Assert.Single(backup.Messages, m => m.Type == "VerifyRequested")));
}
