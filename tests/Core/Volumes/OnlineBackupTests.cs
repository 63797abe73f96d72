using Strata.Core.Databases;
using Strata.Core.Results;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>Application-consistent snapshots of a PostgreSQL target: pg_backup_start → snapshots cut → pg_backup_stop, with a fake session.</summary>
public sealed class OnlineBackupTests
{
    private static readonly DatabaseTarget Postgres = new()
    {
        Name = "pg",
        Namespace = "shop",
        Pod = "pg-0",
        Databases = ["app"],
        Consistency = VolumeConsistency.Application,
    };

    private static async Task<VolumeSandbox> WorldAsync()
    {
        var world = await VolumeSandbox.StartAsync();
        world.Claim("pgdata");
        world.Claim("pgwal");
        world.Claim("uploads");
        world.Pod("pg-0", ["pgdata", "pgwal"]);
        return world;
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistent_StartsTheBackup_SnapshotsItsClaims_StopsItOnceTheyAreCut_AndRecordsTheBackupLabel()
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server);
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Volumes = ["pgdata", "pgwal"] }], online: online).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(["open shop/pg on prod", $"start 'strata {VolumeSandbox.BackupId}' (0 snapshots, 0 ready)", "stop (2 snapshots, 2 ready)", "end"], online.Events);
        Assert.Equal(["pgdata", "pgwal"], capture.Volumes.Select(v => v.Claim));
        Assert.All(capture.Volumes, v =>
        {
            Assert.Equal((VolumeConsistency.Application, null, true), (v.Consistency, v.ConsistencyProblem, v.ReadyToUse));
            Assert.Equal(("shop/pg", $"strata {VolumeSandbox.BackupId}", "0/5000028", "0/5000138"), (v.OnlineBackup!.Target, v.OnlineBackup.Label, v.OnlineBackup.StartLsn, v.OnlineBackup.StopLsn));
            Assert.Equal(RecordingOnlineBackups.BackupLabel, v.OnlineBackup.BackupLabel);
        });
        var stored = world.Artifact(context, "volumes/shop/pgdata.json");
        Assert.Equal(RecordingOnlineBackups.BackupLabel, stored["record"]!["onlineBackup"]!["backupLabel"]!.GetValue<string>());
        Assert.Equal("application", stored["record"]!["consistency"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A world whose database pod carries Velero's hook annotations; each hook's exec is logged into the online backups' events.</summary>
    private static async Task<(VolumeSandbox World, RecordingOnlineBackups Online)> HookedWorldAsync(int preExit = 0, string preOnError = "Fail")
    {
        var world = await VolumeSandbox.StartAsync();
        var online = new RecordingOnlineBackups(world.Server);
        world.Claim("pgdata");
        world.Claim("pgwal");
        world.Pod("pg-0", ["pgdata", "pgwal"], annotations: new Dictionary<string, string>
        {
            ["pre.hook.backup.velero.io/command"] = """["/bin/sh","-c","psql -c CHECKPOINT"]""",
            ["pre.hook.backup.velero.io/on-error"] = preOnError,
            ["post.hook.backup.velero.io/command"] = """["/bin/true"]""",
        }, exec: command =>
        {
            var pre = command[0] == "/bin/sh";
            online.Events.Enqueue($"{(pre ? "pre" : "post")} hook ({online.SnapshotsNow()})");
            return pre ? (preExit, preExit == 0 ? "" : "checkpoint request failed\n") : (0, "");
        });
        return (world, online);
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistentTargetsPodHasVeleroHooks_RunsPreHook_Start_Snapshots_Stop_ThenPostHook()
    {
        var (world, online) = await HookedWorldAsync();
        await using var _ = world;
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Volumes = ["pgdata", "pgwal"] }], online: online).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(
        [
            "open shop/pg on prod",
            "pre hook (0 snapshots, 0 ready)",
            $"start 'strata {VolumeSandbox.BackupId}' (0 snapshots, 0 ready)",
            "stop (2 snapshots, 2 ready)",
            "end",
            "post hook (2 snapshots, 2 ready)",
        ], online.Events);
        Assert.All(capture.Volumes, v =>
        {
            Assert.Equal(VolumeConsistency.Application, v.Consistency);
            Assert.Equal([(HookPhase.Pre, HookOutcome.Succeeded), (HookPhase.Post, HookOutcome.Succeeded)], v.Hooks.Select(h => (h.Phase, h.Outcome)));
        });
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistentTarget_PolicyHookOfItsPod_RunsAroundTheOnlineBackup()
    {
        await using var world = await VolumeSandbox.StartAsync();
        var online = new RecordingOnlineBackups(world.Server);
        world.Claim("pgdata");
        world.Pod("pg-0", ["pgdata"], new Dictionary<string, string> { ["app"] = "pg" }, exec: command =>
        {
            online.Events.Enqueue($"{command[^1]} ({online.SnapshotsNow()})");
            return (0, "");
        });
        var settings = VolumeSettings.Skip with
        {
            Hooks = [new VolumeHook { Name = "pg", Selector = Core.Kubernetes.LabelSelector.Parse("app=pg"), Pre = [new HookCommand(["echo", "pre"], null, HookErrorMode.Fail)], Post = [new HookCommand(["echo", "post"], null, HookErrorMode.Fail)] }],
        };
        var context = world.Context();

        await world.Layer(settings, databases: [Postgres with { Volumes = ["pgdata"] }], online: online).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(["open shop/pg on prod", "pre (0 snapshots, 0 ready)", $"start 'strata {VolumeSandbox.BackupId}' (0 snapshots, 0 ready)", "stop (1 snapshots, 1 ready)", "end", "post (1 snapshots, 1 ready)"],
            online.Events);
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistentTargetsPreHookFailsWithFail_NoBackupStarts_NoSnapshotIsTaken_AndThePostHookStillRuns()
    {
        var (world, online) = await HookedWorldAsync(preExit: 2);
        await using var _ = world;
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Volumes = ["pgdata", "pgwal"] }], online: online).CaptureAsync(context);

        Assert.Equal(["open shop/pg on prod", "pre hook (0 snapshots, 0 ready)", "end", "post hook (0 snapshots, 0 ready)"], online.Events);
        Assert.Empty(await world.SnapshotsAsync());
        Assert.Equal([("pgdata", ProblemReasons.HookFailed), ("pgwal", ProblemReasons.HookFailed)], context.Result.Problems.Select(p => (p.Name, p.Reason)).Order());
        Assert.All(context.Result.Problems, p => Assert.Contains("pre hook (annotation pre.hook.backup.velero.io/command) in container app of pod shop/pg-0 failed (exited 2), and its onError is Fail: no snapshot of claim", p.Message, StringComparison.Ordinal));
        Assert.Empty(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistentTargetsPreHookFailsWithContinue_TheBackupGoesOn_ApplicationConsistent_WithAWarning()
    {
        var (world, online) = await HookedWorldAsync(preExit: 2, preOnError: "Continue");
        await using var _ = world;
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Volumes = ["pgdata", "pgwal"] }], online: online).CaptureAsync(context);

        Assert.Equal(["open shop/pg on prod", "pre hook (0 snapshots, 0 ready)", $"start 'strata {VolumeSandbox.BackupId}' (0 snapshots, 0 ready)", "stop (2 snapshots, 2 ready)", "end", "post hook (2 snapshots, 2 ready)"],
            online.Events);
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.HookFailed), (problem.Severity, problem.Reason));
        Assert.All(capture.Volumes, v => Assert.Equal(VolumeConsistency.Application, v.Consistency));
    }

    [Fact]
    public async Task CaptureAsync_ApplicationConsistentTargetsSessionDropsBeforeStop_ThePostHookStillRuns()
    {
        var (world, online) = await HookedWorldAsync();
        await using var _ = world;
        online.StopFails = true;
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Volumes = ["pgdata", "pgwal"] }], online: online).CaptureAsync(context);

        Assert.Equal("post hook (2 snapshots, 2 ready)", online.Events.Last());
        Assert.Equal(ProblemReasons.NotConsistent, Assert.Single(context.Result.Problems).Reason);
        Assert.All(capture.Volumes, v => Assert.Equal(VolumeConsistency.Crash, v.Consistency));
    }

    [Fact]
    public async Task CaptureAsync_TargetWithoutVolumes_SnapshotsTheClaimsOfTheSessionsPod_OnceEach_BesideTheOthers()
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server);
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot(), databases: [Postgres], online: online).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(
            [("pgdata", VolumeConsistency.Application), ("pgwal", VolumeConsistency.Application), ("uploads", VolumeConsistency.Crash)],
            capture.Volumes.Select(v => (v.Claim, v.Consistency)));
        Assert.Equal(3, (await world.SnapshotsAsync()).Count);
    }

    [Fact]
    public async Task CaptureAsync_SessionDropsBeforeStop_TheSnapshotsAreKeptCrashConsistent_AndTheBackupSaysSo()
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server) { StopFails = true };
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres], online: online).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "volumes", "shop", "pg", ProblemReasons.NotConsistent), (problem.Severity, problem.Resource, problem.Namespace, problem.Name, problem.Reason));
        Assert.Equal("database target shop/pg: the snapshots of its claims (shop/pgdata, shop/pgwal) are not application-consistent, only crash-consistent: "
            + "the session ended before pg_backup_stop returned (the connection to the server was lost (server closed the connection unexpectedly))", problem.Message);
        Assert.Equal(2, capture.Artifacts.Count);
        Assert.All(capture.Volumes, v =>
        {
            Assert.Equal((VolumeConsistency.Crash, true, null), (v.Consistency, v.ReadyToUse, v.OnlineBackup));
            Assert.StartsWith("the session ended before pg_backup_stop returned", v.ConsistencyProblem, StringComparison.Ordinal);
        });
        Assert.Equal("end", online.Events.Last());
    }

    [Fact]
    public async Task CaptureAsync_Replayed_ASnapshotCutBeforeThisAttemptsBackupStart_IsCrashConsistent_WithoutThisAttemptsBackupLabel()
    {
        await using var world = await WorldAsync();
        var target = Postgres with { Volumes = ["pgdata"] };
        var first = world.Context(store: new TestKit.Fakes.MemoryArtifactStore());
        await world.Layer(VolumeSettings.Skip, databases: [target], online: new RecordingOnlineBackups(world.Server) { StopFails = true }).CaptureAsync(first); // cut, then lost
        var online = new RecordingOnlineBackups(world.Server);
        var replay = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [target], online: online).CaptureAsync(replay);

        Assert.Equal(["open shop/pg on prod", $"start 'strata {VolumeSandbox.BackupId}' (1 snapshots, 1 ready)", "stop (1 snapshots, 1 ready)", "end"], online.Events);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, true, VolumeConsistency.Crash, null), (record.Reused, record.ReadyToUse, record.Consistency, record.OnlineBackup));
        Assert.StartsWith("VolumeSnapshot shop/pgdata-strata-20261121-023000-a1b2c3 was cut at ", record.ConsistencyProblem, StringComparison.Ordinal);
        Assert.Contains("by an earlier attempt of this backup, before this attempt's pg_backup_start returned", record.ConsistencyProblem, StringComparison.Ordinal);
        var problem = Assert.Single(replay.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "pg", ProblemReasons.NotConsistent), (problem.Severity, problem.Name, problem.Reason));
        Assert.Equal($"database target shop/pg: the snapshot of its claim shop/pgdata is not application-consistent, only crash-consistent: {record.ConsistencyProblem}", problem.Message);
        Assert.Null(world.Artifact(replay, "volumes/shop/pgdata.json")["record"]!["onlineBackup"]);
    }

    [Fact]
    public async Task CaptureAsync_Replayed_ASnapshotCutAfterThisAttemptsBackupStart_IsApplicationConsistent()
    {
        await using var world = await WorldAsync();
        var target = Postgres with { Volumes = ["pgdata"] };
        await world.Layer(VolumeSettings.Skip, databases: [target], online: new RecordingOnlineBackups(world.Server) { StopFails = true })
            .CaptureAsync(world.Context(store: new TestKit.Fakes.MemoryArtifactStore()));
        var replay = world.Context(new TestKit.ManualClock(TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1))); // this attempt's start: before the cut

        var capture = await world.Layer(VolumeSettings.Skip, databases: [target], online: new RecordingOnlineBackups(world.Server)).CaptureAsync(replay);

        Assert.Empty(replay.Result.Problems);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, VolumeConsistency.Application, null), (record.Reused, record.Consistency, record.ConsistencyProblem));
        Assert.Equal(RecordingOnlineBackups.BackupLabel, record.OnlineBackup!.BackupLabel);
    }

    [Fact]
    public async Task CaptureAsync_SessionCannotOpen_TheClaimsAreStillSnapshotted_CrashConsistent_AndTheBackupSaysWhy()
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server) { OpenFails = true };
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres], online: online).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemReasons.NotConsistent, problem.Reason);
        Assert.Contains("the session could not be opened (database target shop/pg: password authentication failed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["pgdata", "pgwal"], capture.Volumes.Select(v => v.Claim)); // found through the target's pod
        Assert.All(capture.Volumes, v => Assert.Equal((VolumeConsistency.Crash, true), (v.Consistency, v.ReadyToUse)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CaptureAsync_ALaterSessionsOpenIsCancelledOrThrows_TheSessionsOpenedBeforeItAreEnded(bool cancelled)
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server)
        {
            OpenThrows = t => t.Name != "pg2" ? null : cancelled ? new OperationCanceledException() : new InvalidOperationException("a bug in the session's adapter"),
        };
        DatabaseTarget[] targets = [Postgres with { Volumes = ["pgdata"] }, Postgres with { Name = "pg2", Volumes = ["pgwal"] }];

        var thrown = await Record.ExceptionAsync(() => world.Layer(VolumeSettings.Skip, databases: targets, online: online).CaptureAsync(world.Context()));

        Assert.IsType(cancelled ? typeof(OperationCanceledException) : typeof(InvalidOperationException), thrown);
        Assert.Equal(["open shop/pg on prod", "open shop/pg2 on prod", "end"], online.Events);
    }

    [Fact]
    public async Task CaptureAsync_NoOnlineBackupsInThisBuild_IsAnErrorOfTheTarget()
    {
        await using var world = await WorldAsync();
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres]).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "pg"), (problem.Severity, problem.Name));
        Assert.Equal("database target shop/pg asks for consistency: application, but application-consistent snapshots are not available in this build", problem.Message);
        Assert.Empty(capture.Volumes);
    }

    [Fact]
    public async Task CaptureAsync_CrashConsistentTarget_HasItsClaimsSnapshotted_EvenWhenTheVolumesAreSkipped()
    {
        await using var world = await WorldAsync();
        var online = new RecordingOnlineBackups(world.Server);
        var context = world.Context();

        var capture = await world.Layer(VolumeSettings.Skip, databases: [Postgres with { Consistency = VolumeConsistency.Crash }], online: online).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Empty(online.Events);
        Assert.Equal([("pgdata", VolumeConsistency.Crash), ("pgwal", VolumeConsistency.Crash)], capture.Volumes.Select(v => (v.Claim, v.Consistency)));
    }
}
