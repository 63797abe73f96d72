using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>The restore worker on the TestKit fakes: restores once per request, refuses an unknown target.</summary>
public sealed class RestoreWorkerTests
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    [Fact]
    public async Task Handle_Request_RestoresIntoTheTarget_AndAReplayDoesNotRestoreAgain()
    {
        await _plane.AddClusterAsync("prod", configMaps: 2);
        var dr = await _plane.AddClusterAsync("dr", configMaps: 0);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(_plane.Request("ci-1")));
        var backup = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        var request = new Envelope("ticket-42", "ticket-42", _plane.Clock.GetUtcNow(), new RestoreRequested(backup.Id, "dr", Reason: "ticket 42"));

        var result = await RestoreWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));
        var creates = dr.Creates.Count;
        var replay = await RestoreWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 2));

        var record = Assert.Single(await _plane.History.ListRestoresAsync().ToListAsync());
        Assert.Equal((RestoreWorker.RestoreIdFor(request), RestoreStatus.Succeeded), (record.Id, record.Status));
        Assert.Contains(dr.Objects.Keys, k => k.Contains("settings-1", StringComparison.Ordinal));
        Assert.Equal(creates, dr.Creates.Count);
        Assert.Null(result.Rejection);
        Assert.Contains(replay.Logs, l => l.Contains("already ran", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_Request_RecordsWhoAskedOnTheRestore()
    {
        await _plane.AddClusterAsync("prod", configMaps: 1);
        await _plane.AddClusterAsync("dr", configMaps: 0);
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(_plane.Request("ci-2")));
        var backup = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        var asked = new Envelope("ticket-44", "ticket-44", _plane.Clock.GetUtcNow(), new RestoreRequested(backup.Id, "dr", RequestedBy: "oncall@contoso.com (object id 5b54)"));
        var unnamed = new Envelope("ticket-45", "chain-45", _plane.Clock.GetUtcNow(), new RestoreRequested(backup.Id, "dr"));

        await RestoreWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(asked));
        await RestoreWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(unnamed));

        Assert.Equal("oncall@contoso.com (object id 5b54)", (await _plane.History.FindRestoreAsync(RestoreWorker.RestoreIdFor(asked)))!.RequestedBy);
        Assert.Equal("chain-45", (await _plane.History.FindRestoreAsync(RestoreWorker.RestoreIdFor(unnamed)))!.RequestedBy);
    }

    [Fact]
    public async Task Handle_TargetThePolicyDoesNotAllow_IsRejectedAndNothingIsApplied()
    {
        var plane = ControlPlaneFakes.Create("""
              - name: nightly
                clusters: [prod]
                schedule: "30 2 * * *"
            """);
        await plane.AddClusterAsync("prod", configMaps: 2);
        var dr = await plane.AddClusterAsync("dr", configMaps: 0);
        await BackupWorker.HandleAsync(plane.Context, ControlPlaneFakes.Delivery(plane.Request("ci-3")));
        var backup = Assert.Single(await plane.History.ListBackupsAsync().ToListAsync());
        var creates = dr.Creates.Count;

        // Put on the queue directly, past the HTTP function's check.
        var request = new Envelope("ticket-46", "ticket-46", plane.Clock.GetUtcNow(), new RestoreRequested(backup.Id, "dr"));
        var result = await RestoreWorker.HandleAsync(plane.Context, ControlPlaneFakes.Delivery(request));

        Assert.StartsWith($"backup {backup.Id} (policy nightly, cluster prod) may be restored only into prod, not into 'dr'", result.Rejection);
        Assert.Equal(creates, dr.Creates.Count);
        Assert.Empty(await plane.History.ListRestoresAsync().ToListAsync());
        Assert.Single(await plane.State.ListRejectedAsync().ToListAsync());
    }

    [Fact]
    public async Task Handle_TargetNotInStrataYaml_IsRejected()
    {
        var request = new Envelope("ticket-43", "ticket-43", _plane.Clock.GetUtcNow(), new RestoreRequested("20261121-020000-abcdef", "qa"));

        var result = await RestoreWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));

        Assert.Equal("cluster 'qa' is not in strata.yaml", result.Rejection);
        Assert.Empty(await _plane.History.ListRestoresAsync().ToListAsync());
    }
}
