using Strata.Core.Results;
using Strata.Core.Volumes;
using Strata.Sandbox;

namespace Strata.Core.Tests.Volumes;

/// <summary>Hooks around the volume layer's snapshots: policy hooks and Velero's annotations, run through the sandbox's pods/exec.</summary>
public sealed class VolumeHookTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    private static VolumeSettings Hooked(HookErrorMode preOnError = HookErrorMode.Fail, HookErrorMode postOnError = HookErrorMode.Fail, TimeSpan? preTimeout = null) =>
        VolumeSandbox.Snapshot() with
        {
            Hooks =
            [
                new VolumeHook
                {
                    Name = "flush-web",
                    Selector = Core.Kubernetes.LabelSelector.Parse("app=web"),
                    Pre = [new HookCommand(["/bin/sh", "-c", "sync"], preTimeout, preOnError)],
                    Post = [new HookCommand(["/bin/true"], null, postOnError)],
                },
            ],
        };

    [Fact]
    public async Task CaptureAsync_PolicyHook_RunsPreBeforeTheSnapshotIsAskedFor_AndPostOnceItIsCut()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web);
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal([("web-0", "/bin/sh -c sync", 0, 0), ("web-0", "/bin/true", 1, 1)], world.Exec.Select(e => (e.Pod, e.Command, e.Snapshots.Count, e.Ready.Count)));
        var record = Assert.Single(capture.Volumes);
        Assert.Equal([HookPhase.Pre, HookPhase.Post], record.Hooks.Select(h => h.Phase));
        var pre = record.Hooks[0];
        Assert.Equal(("policy hook flush-web", "shop/web-0", "app", HookOutcome.Succeeded, 0), (pre.Source, pre.Pod, pre.Container, pre.Outcome, pre.ExitCode));
        Assert.Equal(["/bin/sh", "-c", "sync"], pre.Command);
        Assert.True(record.ReadyToUse);
    }

    [Fact]
    public async Task CaptureAsync_PreHookFailsWithFail_NoSnapshotIsTaken_TheClaimNamesTheHook_AndPostStillRuns()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, exec: command => command[0] == "/bin/sh" ? (1, "syncing /data\nfsfreeze: cannot freeze /data: device busy\n") : (0, ""));
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(await world.SnapshotsAsync());
        Assert.Equal(["/bin/sh -c sync", "/bin/true"], world.Exec.Select(e => e.Command));
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "volumes", "shop", "data", ProblemReasons.HookFailed), (problem.Severity, problem.Resource, problem.Namespace, problem.Name, problem.Reason));
        Assert.Equal("pre hook (policy hook flush-web) in container app of pod shop/web-0 failed (exited 1), and its onError is Fail: no snapshot of claim shop/data was taken; "
            + "its stderr is in the backup's manifest (hooks of volumes/shop/data)", problem.Message);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((false, null, problem.Message), (record.ReadyToUse, record.Path, record.Error));
        Assert.Equal([(HookPhase.Pre, HookOutcome.Failed, (int?)1), (HookPhase.Post, HookOutcome.Succeeded, 0)], record.Hooks.Select(h => (h.Phase, h.Outcome, h.ExitCode)));
        Assert.Equal(("exited 1", "syncing /data | fsfreeze: cannot freeze /data: device busy"), (record.Hooks[0].Error, record.Hooks[0].StderrTail));
        Assert.Empty(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_PreHookFailsWithContinue_TheSnapshotIsTaken_WithAWarning()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, exec: command => command[0] == "/bin/sh" ? (2, "sync: I/O error") : (0, ""));
        var context = world.Context();

        var capture = await world.Layer(Hooked(preOnError: HookErrorMode.Continue)).CaptureAsync(context);

        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, "web-0", ProblemReasons.HookFailed), (warning.Severity, warning.Name, warning.Reason));
        Assert.Equal("pre hook (policy hook flush-web) in container app of pod shop/web-0 failed (exited 2); its onError is Continue, so the snapshots went on; "
            + "its stderr is in the backup's manifest (hooks of volumes/shop/data)", warning.Message);
        Assert.Equal("sync: I/O error", Assert.Single(capture.Volumes).Hooks[0].StderrTail);
        Assert.True(Assert.Single(capture.Volumes).ReadyToUse);
        Assert.Equal(["/bin/sh -c sync", "/bin/true"], world.Exec.Select(e => e.Command));
    }

    [Fact]
    public async Task CaptureAsync_HookFails_ItsStderrStaysInTheManifest_NoProblemCarriesIt()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, exec: command => command[0] == "/bin/sh"
            ? (1, "psql: error: connection failed: FATAL: password authentication failed for user \"app\" (password=hunter2)")
            : (3, "thaw: PGPASSWORD=hunter2 rejected"));
        var context = world.Context();

        var capture = await world.Layer(Hooked(preOnError: HookErrorMode.Continue)).CaptureAsync(context);

        Assert.Equal(2, context.Result.Problems.Count);
        Assert.All(context.Result.Problems, p => Assert.DoesNotContain("hunter2", p.Message, StringComparison.Ordinal));
        Assert.All(context.Result.Problems, p => Assert.Contains("its stderr is in the backup's manifest (hooks of volumes/shop/data)", p.Message, StringComparison.Ordinal));
        var record = Assert.Single(capture.Volumes);
        Assert.DoesNotContain("hunter2", record.Error, StringComparison.Ordinal);
        Assert.All(record.Hooks, h => Assert.Contains("hunter2", h.StderrTail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaptureAsync_PostHookFailsWithFail_TheSnapshotIsKept_AndTheClaimIsReportedFailed()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, exec: command => command[0] == "/bin/true" ? (1, "thaw failed") : (0, ""));
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "data", ProblemReasons.HookFailed), (problem.Severity, problem.Name, problem.Reason));
        Assert.Equal("post hook (policy hook flush-web) in container app of pod shop/web-0 failed (exited 1), and its onError is Fail: the snapshot of claim shop/data was kept, "
            + "but may not be consistent; its stderr is in the backup's manifest (hooks of volumes/shop/data)", problem.Message);
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, "volumes/shop/data.json", problem.Message), (record.ReadyToUse, record.Path, record.Error));
        Assert.Single(capture.Artifacts);
    }

    [Fact]
    public async Task CaptureAsync_SnapshotKeepsFailing_PostHooksStillRun_AtTheTimeout()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { Fails = _ => true });
        world.Claim("data");
        world.Pod("web-0", ["data"], Web);
        var context = world.Context();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var capture = await world.Layer(Hooked() with { Timeout = VolumeSandbox.ShortTimeout }).CaptureAsync(context);

        Assert.Equal(["/bin/sh -c sync", "/bin/true"], world.Exec.Select(e => e.Command));
        Assert.Equal(ProblemReasons.SnapshotFailed, Assert.Single(context.Result.Problems).Reason);
        Assert.Equal(2, Assert.Single(capture.Volumes).Hooks.Count);
        Assert.True(clock.Elapsed >= VolumeSandbox.ShortTimeout, "the error ended the wait: the controller may still retry it");
    }

    [Fact]
    public async Task CaptureAsync_SnapshotFailsThenSucceeds_PostHooksWaitForTheRealCut()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(100), TransientFailures = _ => 1 });
        world.Claim("data");
        world.Pod("web-0", ["data"], Web);
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal([("/bin/sh -c sync", 0), ("/bin/true", 1)], world.Exec.Select(e => (e.Command, e.Ready.Count)));
        Assert.True(Assert.Single(capture.Volumes).ReadyToUse);
    }

    [Fact]
    public async Task CaptureAsync_DeadlinePassesWhilePostHooksRun_ASnapshotReadyMeanwhile_IsRecordedReady_NotTimedOut()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromMilliseconds(50), ReadyDelay = TimeSpan.FromMilliseconds(100) });
        world.Claim("data");
        var clock = new TestKit.ManualClock(new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero));
        world.Pod("web-0", ["data"], Web, delay: TimeSpan.FromMilliseconds(500), exec: command =>
        {
            if (command[0] == "/bin/true")
            {
                clock.Advance(TimeSpan.FromMinutes(20)); // a thaw that took longer than the snapshot's whole timeout
            }

            return (0, "");
        });
        var context = world.Context(clock);

        var capture = await world.Layer(Hooked() with { Timeout = TimeSpan.FromMinutes(10) }).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal([("/bin/sh -c sync", 0), ("/bin/true", 1)], world.Exec.Select(e => (e.Command, e.Snapshots.Count)));
        var record = Assert.Single(capture.Volumes);
        Assert.Equal((true, null), (record.ReadyToUse, record.Error));
    }

    [Fact]
    public async Task CaptureAsync_CancelledBetweenPreAndPostHooks_ThePostHooksStillRun()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = TimeSpan.FromSeconds(30) });
        world.Claim("data");
        using var cancel = new CancellationTokenSource();
        world.Pod("web-0", ["data"], Web, exec: command =>
        {
            if (command[0] == "/bin/sh")
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(200)); // the backup fails while the snapshot is being cut
            }

            return (0, "");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Layer(Hooked()).CaptureAsync(world.Context(), cancel.Token));

        Assert.Equal([("/bin/sh -c sync", 0), ("/bin/true", 1)], world.Exec.Select(e => (e.Command, e.Snapshots.Count)));
    }

    [Fact]
    public async Task CaptureAsync_APodMountingTwoClaims_AndAClaimMountedByTwoPods_FormOneGroup_FrozenAroundAllItsSnapshots()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Claim("logs");
        world.Claim("shared");
        world.Claim("alone");
        world.Pod("web-0", ["data", "logs"], Web);
        world.Pod("web-1", ["logs", "shared"], Web);
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        var exec = world.Exec.ToList();
        Assert.Equal([("web-0", "/bin/sh -c sync"), ("web-1", "/bin/sh -c sync"), ("web-0", "/bin/true"), ("web-1", "/bin/true")], exec.Select(e => (e.Pod, e.Command)));
        string[] group = ["data", "logs", "shared"];
        Assert.All(exec.Take(2), e => Assert.Empty(e.Snapshots.Intersect(group))); // the claim no hooked pod mounts is its own group, and may be first
        Assert.All(exec.Skip(2), e => Assert.Equal(group, e.Ready.Intersect(group).Order()));
        Assert.Equal(4, capture.Volumes.Count);
        Assert.Equal(4, capture.Volumes.Single(v => v.Claim == "shared").Hooks.Count);
        Assert.Empty(capture.Volumes.Single(v => v.Claim == "alone").Hooks);
    }

    [Fact]
    public async Task CaptureAsync_VeleroAnnotations_RunAsVeleroReadsThem_AfterThePolicysHooks()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, containers: ["sidecar", "db"], annotations: new Dictionary<string, string>
        {
            ["pre.hook.backup.velero.io/command"] = "[\"/sbin/fsfreeze\", \"--freeze\", \"/mnt/data\"]",
            ["pre.hook.backup.velero.io/container"] = "db",
            ["pre.hook.backup.velero.io/timeout"] = "1m30s",
            ["post.hook.backup.velero.io/command"] = "/usr/local/bin/thaw all",
            ["post.hook.backup.velero.io/on-error"] = "Continue",
        });
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(context.Result.Problems);
        Assert.Equal(["/bin/sh -c sync", "/sbin/fsfreeze --freeze /mnt/data", "/bin/true", "/usr/local/bin/thaw all"], world.Exec.Select(e => e.Command));
        var hooks = Assert.Single(capture.Volumes).Hooks;
        Assert.Equal(("annotation pre.hook.backup.velero.io/command", "db", HookErrorMode.Fail), (hooks[1].Source, hooks[1].Container, hooks[1].OnError));
        Assert.Equal(["/sbin/fsfreeze", "--freeze", "/mnt/data"], hooks[1].Command);
        Assert.Equal(("annotation post.hook.backup.velero.io/command", "sidecar", HookErrorMode.Continue), (hooks[3].Source, hooks[3].Container, hooks[3].OnError));
        Assert.Equal(["/usr/local/bin/thaw all"], hooks[3].Command); // Velero: a value that is not a JSON array is one program, not split
        Assert.Equal("sidecar", hooks[0].Container); // the policy hook names none: the first container
    }

    [Theory]
    [InlineData("pre.hook.backup.velero.io/command", "[\"/sbin/fsfreeze\", \"--freeze\"", "pod shop/web-0: annotation pre.hook.backup.velero.io/command is not a JSON array of strings")]
    [InlineData("pre.hook.backup.velero.io/timeout", "30 seconds", "pod shop/web-0: annotation pre.hook.backup.velero.io/timeout '30 seconds' is not a duration such as 30s or 1m30s")]
    [InlineData("pre.hook.backup.velero.io/on-error", "Ignore", "pod shop/web-0: annotation pre.hook.backup.velero.io/on-error 'Ignore' is not Fail or Continue")]
    public async Task CaptureAsync_MalformedAnnotation_IsAnErrorNamingThePodAndTheAnnotation_TheHookDoesNotRun_AndNoSnapshotIsTaken(string annotation, string value, string expected)
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        var annotations = new Dictionary<string, string> { ["pre.hook.backup.velero.io/command"] = "[\"/sbin/fsfreeze\", \"--freeze\", \"/mnt/data\"]", [annotation] = value };
        world.Pod("web-0", ["data"], annotations: annotations);
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        Assert.Empty(world.Exec);
        Assert.Empty(await world.SnapshotsAsync());
        var problem = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Error, "data", ProblemReasons.HookFailed), (problem.Severity, problem.Name, problem.Reason));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Contains("the hook did not run", problem.Message, StringComparison.Ordinal);
        var hook = Assert.Single(Assert.Single(capture.Volumes).Hooks);
        Assert.Equal(HookOutcome.Failed, hook.Outcome);
    }

    [Fact]
    public async Task CaptureAsync_MalformedCommand_WithOnErrorContinue_IsAWarning_AndTheSnapshotIsTaken()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], annotations: new Dictionary<string, string>
        {
            ["pre.hook.backup.velero.io/command"] = "[/sbin/fsfreeze]",
            ["pre.hook.backup.velero.io/on-error"] = "Continue",
        });
        var context = world.Context();

        var capture = await world.Layer(VolumeSandbox.Snapshot()).CaptureAsync(context);

        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Contains("annotation pre.hook.backup.velero.io/command is not a JSON array of strings", warning.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(capture.Volumes).ReadyToUse);
    }

    [Fact]
    public async Task CaptureAsync_HookTimesOut_IsRecordedSo_AndSaysTheCommandMayStillRun()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, delay: TimeSpan.FromSeconds(20));
        var context = world.Context();

        var settings = Hooked(preOnError: HookErrorMode.Continue, preTimeout: TimeSpan.FromMilliseconds(300));
        settings = settings with { Hooks = [settings.Hooks[0] with { Post = [] }] };

        var capture = await world.Layer(settings).CaptureAsync(context);

        var pre = Assert.Single(Assert.Single(capture.Volumes).Hooks);
        Assert.Equal((HookOutcome.TimedOut, (int?)null), (pre.Outcome, pre.ExitCode));
        Assert.Equal("did not end within 300ms; Strata closed its exec session, but exec cannot stop a command: it may still be running in the container", pre.Error);
        Assert.Equal(ProblemSeverity.Warning, Assert.Single(context.Result.Problems).Severity);
        Assert.True(Assert.Single(capture.Volumes).ReadyToUse);
    }

    [Fact]
    public async Task CaptureAsync_PodsNotRunning_HaveNoHooksRun()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Claim("data");
        world.Pod("web-0", ["data"], Web, phase: "Pending");
        var context = world.Context();

        var capture = await world.Layer(Hooked()).CaptureAsync(context);

        Assert.Empty(world.Exec);
        Assert.Empty(Assert.Single(capture.Volumes).Hooks);
    }
}
