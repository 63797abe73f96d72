using System.Text.Json.Nodes;
using Strata.TestKit.CloudNativePg;

namespace Strata.Sandbox.Tests.Controllers;

/// <summary>The simulated CloudNativePG operator against the published CRDs, on a clock the test moves.</summary>
public class CloudNativePgOperatorTests
{
    private const string Backups = "/apis/postgresql.cnpg.io/v1/namespaces/shop/backups";
    private const string Cluster = "/apis/postgresql.cnpg.io/v1/namespaces/shop/clusters/pg-main";

    private static async Task<SandboxSession> StartAsync(SimulatedCloudNativePg operatorSettings)
    {
        var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers { CloudNativePg = operatorSettings } }, "shop");
        CloudNativePgCrds.Install(s.Server);
        s.Server.Create(CloudNativePgCrds.Cluster("shop", "pg-main"));
        return s;
    }

    private static JsonObject Backup(string name, string? method = null)
    {
        var spec = new JsonObject { ["cluster"] = new JsonObject { ["name"] = "pg-main" } };
        if (method is not null)
        {
            spec["method"] = method;
        }

        return new JsonObject
        {
            ["apiVersion"] = "postgresql.cnpg.io/v1",
            ["kind"] = "Backup",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    [Fact]
    public async Task Backup_RunsThenCompletesAfterTheDelay_WithTheOperatorsStatusFields_AndMovesTheClustersLastSuccessfulBackup()
    {
        await using var s = await StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromMinutes(3) });

        var (created, _) = await s.PostAsync(Backups, Backup("nightly"));
        var (_, running) = await s.GetAsync($"{Backups}/nightly");
        s.Clock.Advance(TimeSpan.FromMinutes(3));
        var (_, done) = await s.UntilAsync($"{Backups}/nightly", (_, b) => b.Str("status.phase") == "completed");
        var (_, cluster) = await s.GetAsync(Cluster);

        Assert.Equal((201, "running", "barmanObjectStore"), (created, running.Str("status.phase"), running.Str("status.method")));
        Assert.Equal(("000000010000000000000003", "000000010000000000000003", "0/3000028", "0/3000138"),
            (done.Str("status.beginWal"), done.Str("status.endWal"), done.Str("status.beginLSN"), done.Str("status.endLSN")));
        Assert.Matches("^[0-9]{8}T[0-9]{6}$", done.Str("status.backupId"));
        Assert.Equal(("s3://backups/pg-main", "pg-main", "pg-main-1"), (done.Str("status.destinationPath"), done.Str("status.serverName"), done.Str("status.instanceID.podName")));
        Assert.Equal(running.Str("status.startedAt"), done.Str("status.startedAt"));
        Assert.True(DateTimeOffset.Parse(done.Str("status.stoppedAt")!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(done.Str("status.startedAt")!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromMinutes(3));
        Assert.Null(done.Str("status.error"));
        Assert.Equal(done.Str("status.stoppedAt"), cluster.Str("status.lastSuccessfulBackup"));
        Assert.Equal(done.Str("status.stoppedAt"), cluster.Str("status.lastSuccessfulBackupByMethod.barmanObjectStore"));
        Assert.Equal(done.Str("status.stoppedAt"), cluster.Str("status.firstRecoverabilityPoint"));
    }

    [Fact]
    public async Task Backup_ThatFails_IsFailedWithItsError_AndTheNextBackupsWalMovesOn()
    {
        await using var s = await StartAsync(new SimulatedCloudNativePg { BackupFails = b => b.Name.StartsWith("broken", StringComparison.Ordinal) });

        await s.PostAsync(Backups, Backup("broken"));
        await s.PostAsync(Backups, Backup("first"));
        await s.PostAsync(Backups, Backup("second"));
        var (_, failed) = await s.GetAsync($"{Backups}/broken");
        var (_, first) = await s.GetAsync($"{Backups}/first");
        var (_, second) = await s.GetAsync($"{Backups}/second");
        var (_, cluster) = await s.GetAsync(Cluster);

        Assert.Equal("failed", failed.Str("status.phase"));
        Assert.Contains("AccessDenied", failed.Str("status.error"), StringComparison.Ordinal);
        Assert.Null(failed.Str("status.backupId"));
        Assert.NotNull(cluster.Str("status.lastFailedBackup"));
        Assert.True(string.CompareOrdinal(first.Str("status.endWal"), second.Str("status.beginWal")) < 0);
    }

    [Fact]
    public async Task Backup_MethodTheClusterIsNotConfiguredFor_FailsAsTheOperatorFailsIt()
    {
        await using var s = await StartAsync(new SimulatedCloudNativePg());

        await s.PostAsync(Backups, Backup("snap", "volumeSnapshot"));
        var (_, failed) = await s.GetAsync($"{Backups}/snap");

        Assert.Equal(("failed", "cannot execute volume snapshot on a cluster without configuration"), (failed.Str("status.phase"), failed.Str("status.error")));
    }

    [Fact]
    public async Task Status_IsTheOperatorsThroughTheStatusSubresource_AndClientsCannotWriteIt()
    {
        await using var s = await StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromHours(1) });
        var withStatus = Backup("forged");
        withStatus["status"] = new JsonObject { ["phase"] = "completed", ["backupId"] = "forged" };

        var (_, created) = await s.PostAsync(Backups, withStatus);
        var (_, running) = await s.GetAsync($"{Backups}/forged");
        var forged = running.DeepClone().AsObject();
        forged["status"]!["phase"] = "completed";
        var (_, afterPut) = await s.PutAsync($"{Backups}/forged", forged);
        var (_, afterPatch) = await s.MergePatchAsync($"{Backups}/forged", new JsonObject { ["status"] = new JsonObject { ["phase"] = "completed" } });

        Assert.Null(created.Str("status.backupId")); // a create sets no status: the CRD has a status subresource
        Assert.Equal(("running", "running"), (afterPut.Str("status.phase"), afterPatch.Str("status.phase")));
        var entry = running["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => e.Str("manager") == "cloudnative-pg");
        Assert.Equal(("status", "Update"), (entry.Str("subresource"), entry.Str("operation")));
    }

    [Fact]
    public async Task SetContinuousArchiving_FailingThenWorking_SetsTheConditionAsTheInstanceManagerDoes()
    {
        await using var s = await StartAsync(new SimulatedCloudNativePg());

        Assert.True(s.Server.SetContinuousArchiving("shop", "pg-main", working: false, "barman-cloud-wal-archive: exit status 1"));
        var (_, failing) = await s.GetAsync(Cluster);
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        s.Server.SetContinuousArchiving("shop", "pg-main", working: true);
        var (_, working) = await s.GetAsync(Cluster);

        Assert.Equal(("False", "ContinuousArchivingFailing", "barman-cloud-wal-archive: exit status 1"), failing.Condition("ContinuousArchiving"));
        Assert.Equal(("True", "ContinuousArchivingSuccess", "Continuous archiving is working"), working.Condition("ContinuousArchiving"));
        Assert.False(s.Server.SetContinuousArchiving("shop", "missing", working: true));
        var entry = working["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => e.Str("manager") == "cloudnative-pg");
        Assert.Equal("status", entry.Str("subresource"));
    }
}
