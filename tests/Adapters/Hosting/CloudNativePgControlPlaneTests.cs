using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.CloudNativePg;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// A policy with <c>cloudNativePG:</c> through the control plane's own functions, over the sandbox with CloudNativePG's
/// CRDs and the simulated operator: the backup worker builds the layer from strata.yaml, the verify worker checks what
/// it committed, and a failed operator backup ends as a partial backup whose alert names the Cluster.
/// </summary>
public sealed class CloudNativePgControlPlaneTests
{
    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            rpo: 26h
            cloudNativePG:
              - namespace: shop
                cluster: pg-main
        """;

    private static async Task<(ControlPlaneWorld World, ControlPlaneContext Context)> StartAsync(SimulatedCloudNativePg simulated)
    {
        var world = await ControlPlaneWorld.StartAsync(Policy, prodOptions: new SandboxOptions { Controllers = new SimulatedControllers { CloudNativePg = simulated } });
        CloudNativePgCrds.Install(world.Prod);
        world.Prod.Create(CloudNativePgCrds.Cluster("shop", "pg-main"));
        world.Prod.SetContinuousArchiving("shop", "pg-main", working: true);
        var context = world.Context with { Options = world.Context.Options with { CloudNativePg = new CloudNativePgOptions { PollInterval = TimeSpan.FromMilliseconds(20) } } };
        return (world, context);
    }

    private static Envelope Backup(ControlPlaneWorld world) => new("ci-1", "ci-1", world.Clock.GetUtcNow(), new BackupRequested("prod", "nightly", RequestedBy: "ci"));

    [Fact]
    public async Task Backup_PolicyWithACloudNativePgCluster_AsksTheOperator_AndTheBackupIsVerified()
    {
        var (world, context) = await StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromMilliseconds(100) });
        await using var _ = world;
        var request = Backup(world);

        await InlinePipeline.RunAsync(context, request);

        var record = (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        Assert.Equal(BackupStatus.Verified, record.Status);
        Assert.Contains(record.Verification!.Artifacts, a => a.Path == "cnpg/shop/pg-main/backup.json" && a.Checks.Contains("cloudnativepg"));
        var manifest = (await ManifestFile.ReadAsync(context.Stores.Default, record.Location))!;
        var entry = Assert.Single(manifest.CloudNativePG!);
        Assert.Equal(("completed", CloudNativePgBackupName.For("pg-main", record.Id), "cnpg/shop/pg-main/backup.json"), (entry.Phase, entry.BackupName, entry.Path));
        Assert.Equal(Core.Freshness.WalArchivingState.Healthy, entry.Archiving!.State);
    }

    [Fact]
    public async Task Backup_OperatorFailsTheBackup_IsPartiallyFailed_AndTheAlertNamesTheCluster()
    {
        var (world, context) = await StartAsync(new SimulatedCloudNativePg { BackupFails = _ => true });
        await using var _ = world;
        var request = Backup(world);

        var outcome = await InlinePipeline.RunAsync(context, request);

        var record = (await world.Location.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
        Assert.Equal(BackupStatus.PartiallyFailed, record.Status);
        Assert.Contains(record.Problems, p => p.Resource == "cloudnativepg" && p.Message.Contains("AccessDenied", StringComparison.Ordinal));
        var alert = Assert.Single(outcome.Handled.Select(h => h.Message.Payload).OfType<AlertRaised>());
        Assert.Equal("backup-partial", alert.Kind);
        Assert.Contains(alert.FailedItems!, i => i.Contains("pg-main", StringComparison.Ordinal));
    }
}
