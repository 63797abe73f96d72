using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Freshness;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Verification;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Databases.CloudNativePg;

/// <summary>The CloudNativePG layer against the sandbox's published CRDs and simulated operator, over real HTTPS.</summary>
public sealed class CloudNativePgLayerTests
{
    private const string BackupName = "pg-main-strata-20261121-023000-a1b2c3";

    [Fact]
    public async Task CaptureAsync_OperatorCompletes_CommitsTheFinalBackup_AndRecordsItsWalRange()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromMilliseconds(200) });
        var context = world.Context();

        var capture = await world.Layer().CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        var record = Assert.Single(capture.CloudNativePG);
        Assert.Equal(("shop", "pg-main", BackupName, "barmanObjectStore", "completed"), (record.Namespace, record.Cluster, record.BackupName, record.Method, record.Phase));
        Assert.Equal(("000000010000000000000003", "000000010000000000000003", "0/3000028", "0/3000138"), (record.BeginWal, record.EndWal, record.BeginLsn, record.EndLsn));
        Assert.Matches("^[0-9]{8}T[0-9]{6}$", record.BackupId);
        Assert.Equal("s3://backups/pg-main", record.DestinationPath);
        Assert.True(record.StoppedAt >= record.StartedAt);
        Assert.False(record.Reused);
        Assert.Null(record.Error);

        var artifact = Assert.Single(capture.Artifacts);
        Assert.Equal(("cnpg/shop/pg-main/backup.json", artifact.Path), (record.Path, artifact.Path));
        var stored = JsonNode.Parse(world.Store.Artifacts[ArtifactLayout.ArtifactKey(context.BackupPrefix, artifact.Path)])!;
        Assert.Equal(("Backup", "completed", record.BackupId), (stored["kind"]!.GetValue<string>(), stored["status"]!["phase"]!.GetValue<string>(), stored["status"]!["backupId"]!.GetValue<string>()));
        Assert.Equal(world.Store.Artifacts.Single().Value.Length, artifact.Size);

        var backup = Assert.Single(await world.BackupsAsync());
        Assert.Equal((BackupName, "20261121-023000-a1b2c3", "nightly", "pg-main", "strata"), (backup.Name, backup.Label("strata.dev/backup-id"), backup.Label("strata.dev/policy"),
            backup.Label("cnpg.io/cluster"), backup.Label("app.kubernetes.io/managed-by")));
        Assert.Equal(("pg-main", "barmanObjectStore"), (backup.GetString("spec.cluster.name"), backup.GetString("spec.method")));
    }

    [Fact]
    public async Task CaptureAsync_OperatorFails_IsAnErrorWithTheOperatorsError_AndNothingIsCommitted()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromMilliseconds(100), BackupFails = _ => true });
        var context = world.Context();

        var capture = await world.Layer().CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "cloudnativepg", "shop", "pg-main", ProblemReasons.BackupFailed), (problem.Severity, problem.Resource, problem.Namespace, problem.Name, problem.Reason));
        Assert.Contains($"CloudNativePG Backup shop/{BackupName} of Cluster pg-main failed: can't execute backup: exit status 4", problem.Message, StringComparison.Ordinal);
        Assert.Empty(capture.Artifacts);
        Assert.Empty(world.Store.Artifacts);
        var record = Assert.Single(capture.CloudNativePG);
        Assert.Equal(("failed", null), (record.Phase, record.Path));
        Assert.Contains("AccessDenied", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupCapture_CloudNativePgBackupFails_TheBackupIsPartiallyFailed_WithTheErrorInTheProblems_AndTheObjectsCommit()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg { BackupFails = _ => true });
        var history = new MemoryRunHistory();

        var outcome = await new BackupCapture(world.Client, world.Store, history, TimeProvider.System, new BackupCaptureOptions { Ids = new SequentialIdSource() }, layers: [world.Layer()])
            .RunAsync(new BackupRequest("prod", new BackupScope(), "nightly", CloudNativePgSandbox.BackupId));

        Assert.Equal(BackupStatus.PartiallyFailed, outcome.Record.Status);
        var problem = Assert.Single(outcome.Record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains("AccessDenied", problem.Message, StringComparison.Ordinal);
        Assert.Equal([ArtifactLayout.ResourcesArchive], outcome.Manifest!.Artifacts.Select(a => a.Path));
        Assert.Equal("failed", Assert.Single(outcome.Manifest.CloudNativePG!).Phase);
        Assert.True(outcome.Manifest.Counts.Total > 0);
    }

    [Fact]
    public async Task CaptureAsync_OperatorNeverFinishes_StopsWaitingAtTheTimeoutOnTheContextsClock()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromDays(1) });
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero)) { StepOnTimers = true };
        var context = world.Context(clock);

        var capture = await world.Layer(TimeSpan.FromMinutes(1), CloudNativePgSandbox.Main with { Timeout = TimeSpan.FromHours(1) }).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, ProblemReasons.Timeout), (problem.Severity, problem.Reason));
        Assert.Contains($"CloudNativePG Backup shop/{BackupName} of Cluster pg-main did not finish within 1h (phase running)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 3, 30, 0, TimeSpan.Zero), clock.GetUtcNow());
        var record = Assert.Single(capture.CloudNativePG);
        Assert.Equal(("running", null), (record.Phase, record.Path));
        Assert.Empty(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_CloudNativePgNotInstalled_OneClearErrorPerCluster()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(installed: false);
        var context = world.Context();

        var capture = await world.Layer(null, CloudNativePgSandbox.Main, new CloudNativePgTarget { Namespace = "auth", Cluster = "keycloak-db" }).CaptureAsync(context);

        Assert.Equal(2, context.Result.Problems.Count);
        Assert.All(context.Result.Problems, p => Assert.Equal((ProblemSeverity.Error, ProblemReasons.NotInstalled), (p.Severity, p.Reason)));
        Assert.StartsWith("CloudNativePG is not installed on cluster prod", context.Result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(("auth", "keycloak-db"), (context.Result.Problems[1].Namespace, context.Result.Problems[1].Name));
        Assert.Empty(capture.CloudNativePG);
    }

    [Fact]
    public async Task CaptureAsync_ClusterMissing_IsNotFound_AndTheOthersAreStillBackedUp()
    {
        await using var world = await CloudNativePgSandbox.StartAsync();
        var context = world.Context();

        var capture = await world.Layer(null, new CloudNativePgTarget { Namespace = "shop", Cluster = "pg-gone" }, CloudNativePgSandbox.Main).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(("CloudNativePG Cluster shop/pg-gone not found on cluster prod", ProblemReasons.NotFound), (problem.Message, problem.Reason));
        Assert.Equal("completed", Assert.Single(capture.CloudNativePG).Phase);
    }

    [Fact]
    public async Task CaptureAsync_ReplayedRun_ReusesTheBackupItsFirstAttemptCreated()
    {
        await using var world = await CloudNativePgSandbox.StartAsync();
        var first = await world.Layer().CaptureAsync(world.Context());

        var again = await world.Layer().CaptureAsync(world.Context(store: new MemoryArtifactStore()));

        var backup = Assert.Single(await world.BackupsAsync());
        Assert.Equal((false, true), (first.CloudNativePG[0].Reused, again.CloudNativePG[0].Reused));
        Assert.Equal((backup.Name, first.CloudNativePG[0].BackupId), (again.CloudNativePG[0].BackupName, again.CloudNativePG[0].BackupId));
    }

    [Fact]
    public async Task CaptureAsync_ABackupOfThatNameThisBackupDidNotCreate_IsLeftAlone()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(new SimulatedCloudNativePg { BackupDelay = TimeSpan.FromDays(1) });
        world.Server.Create(new JsonObject
        {
            ["apiVersion"] = "postgresql.cnpg.io/v1",
            ["kind"] = "Backup",
            ["metadata"] = new JsonObject { ["name"] = BackupName, ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["cluster"] = new JsonObject { ["name"] = "pg-main" } },
        });
        var context = world.Context();

        var capture = await world.Layer().CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Contains("exists that this Strata backup did not create; it was left alone", problem.Message, StringComparison.Ordinal);
        Assert.Empty(capture.CloudNativePG);
        Assert.Null(Assert.Single(await world.BackupsAsync()).Label("strata.dev/backup-id"));
    }

    [Fact]
    public async Task CaptureAsync_ClusterWithAWalArchiverPlugin_AsksThePluginForTheBackup()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(clusterSpec: spec =>
        {
            spec.Remove("backup");
            spec["plugins"] = new JsonArray(new JsonObject { ["name"] = "barman-cloud.cloudnative-pg.io", ["isWALArchiver"] = true });
        });

        var capture = await world.Layer().CaptureAsync(world.Context());

        var record = Assert.Single(capture.CloudNativePG);
        Assert.Equal(("plugin", "barman-cloud.cloudnative-pg.io", "completed"), (record.Method, record.Plugin, record.Phase));
    }

    [Fact]
    public async Task CaptureAsync_MethodGivenByThePolicy_TheClusterIsNotConfiguredForIt_FailsWithTheOperatorsWords()
    {
        await using var world = await CloudNativePgSandbox.StartAsync();
        var context = world.Context();

        await world.Layer(null, CloudNativePgSandbox.Main with { Method = CloudNativePgMethod.VolumeSnapshot }).CaptureAsync(context);

        Assert.Contains("failed: cannot execute volume snapshot on a cluster without configuration", Assert.Single(context.Result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_ClusterWithoutBackupConfiguration_SaysSoWithoutAskingTheOperator()
    {
        await using var world = await CloudNativePgSandbox.StartAsync(clusterSpec: spec => spec.Remove("backup"));
        var context = world.Context();

        await world.Layer().CaptureAsync(context);

        Assert.Contains("Cluster shop/pg-main has no backup configured", Assert.Single(context.Result.Problems).Message, StringComparison.Ordinal);
        Assert.Empty(await world.BackupsAsync());
    }

    [Fact]
    public async Task CaptureAsync_WalArchivingFailing_IsRecordedWithTheBackup_AndWarned()
    {
        await using var world = await CloudNativePgSandbox.StartAsync();
        world.Server.SetContinuousArchiving("shop", "pg-main", working: false, "barman-cloud-wal-archive: exit status 1");
        var context = world.Context();

        var capture = await world.Layer().CaptureAsync(context);

        var archiving = Assert.Single(capture.CloudNativePG).Archiving!;
        Assert.Equal((WalArchivingState.Failing, "False", WalArchiverSource.CloudNativePg), (archiving.State, archiving.Reading.Condition, archiving.Reading.Source));
        Assert.NotNull(archiving.Reading.LastSuccessfulBackupAt); // the backup just taken
        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Contains("barman-cloud-wal-archive: exit status 1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ACompletedCapture_PassesTheCloudNativePgCheck()
    {
        await using var world = await CloudNativePgSandbox.StartAsync();
        var outcome = await new BackupCapture(world.Client, world.Store, new MemoryRunHistory(), TimeProvider.System, new BackupCaptureOptions { Ids = new SequentialIdSource() }, layers: [world.Layer()])
            .RunAsync(new BackupRequest("prod", new BackupScope(), "nightly", CloudNativePgSandbox.BackupId));

        var report = await new BackupVerifier(world.Store, TimeProvider.System).VerifyAsync(outcome.Record);

        Assert.Equal(BackupStatus.Succeeded, outcome.Record.Status);
        Assert.True(report.Passed, string.Join("; ", report.Findings));
        var checkedBackup = Assert.Single(report.Artifacts, a => a.Path == "cnpg/shop/pg-main/backup.json");
        Assert.Equal(["cloudnativepg"], checkedBackup.Checks);
        Assert.Equal("completed", checkedBackup.Facts["phase"]);
    }
}
