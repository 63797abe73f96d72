using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// The control plane's drill path over the sandbox: drill-tick on the policy's drill schedule → the verify worker
/// drills the latest verified backup → the alert dispatcher records a failed drill as an incident.
/// </summary>
public sealed class DrillControlPlaneTests
{
    [Fact]
    public async Task DrillTick_ThenVerifyWorker_DrillsTheLatestVerifiedBackup_AndAFailedDrillBecomesAnIncident()
    {
        const string Policy = """
              - name: nightly
                clusters: [prod]
                schedule: "30 2 * * *"
                verification:
                  drill: { schedule: "* * * * *", timeout: 1m }
            """;
        await using var world = await ControlPlaneWorld.StartAsync(Policy, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers
            {
                WorkloadReadyDelay = TimeSpan.FromMilliseconds(300),
                NeverReady = w => w.Name == "cache" && w.Namespace!.StartsWith("drill-", StringComparison.Ordinal),
            },
        });
        var backup = new Envelope("ci-1", "ci-1", world.Clock.GetUtcNow(), new BackupRequested("prod", "nightly", RequestedBy: "ci"));
        await InlinePipeline.RunAsync(world.Context, backup);
        var verified = await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(backup));
        Assert.Equal(BackupStatus.Verified, verified!.Status);

        await DrillTick.RunAsync(world.Context); // first seen: marks only
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var request = Assert.Single((await DrillTick.RunAsync(world.Context)).Messages);

        // The drill waits on real time, as the sandbox's controllers run on it.
        var outcome = await InlinePipeline.RunAsync(world.Context with { Time = TimeProvider.System }, request);

        Assert.Equal(["verify-worker", "alert-dispatcher"], outcome.Handled.Select(h => ControlPlaneFunctions.ConsumerOf(Queues.For(h.Message.Payload))!.Name));
        var drill = await world.Location.History.FindDrillAsync(DrillWorker.DrillIdFor(request));
        Assert.Equal((DrillStatus.Failed, verified.Id, "drill-tick"), (drill!.Status, drill.BackupId, drill.RequestedBy));
        Assert.Contains("exceeded its progress deadline", drill.Error, StringComparison.Ordinal);
        var incident = Assert.Single(await world.Location.State.ListAlertsAsync().ToListAsync());
        Assert.Equal(("drill-failed/nightly/prod", "drill-failed", drill.Id), (incident.DedupKey, incident.Kind, incident.RunId));
        Assert.Empty(drill.KeptNamespaces); // not asked to keep them: deleted
        Assert.All(drill.Namespaces.Values, ns => Assert.Null(world.Prod.Store.Get(world.Prod.Store.FindType("", "namespaces")!, null, ns)));
    }
}
