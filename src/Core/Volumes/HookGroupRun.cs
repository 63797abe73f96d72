using Strata.Core.Backup;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// Runs one hook group: every pre hook of every pod (in order) → <c>pg_backup_start</c> of each application-consistent
/// target in the group (<see cref="OnlineBackupRun"/>) → the group's snapshots asked for → each cut (its
/// <c>status.creationTime</c>, or ready; a <c>status.error</c> is not a cut, the controller retries — so the wait may
/// last until the timeout) → <c>pg_backup_stop</c> in each target's session → the post hooks of every pod the pre phase
/// reached, always (a snapshot that failed or timed out, a session that dropped, a failed pre hook with Continue or
/// Fail) → then the wait for readiness goes on outside the group's slot. A pre hook that fails with Fail stops the pre
/// phase: no online backup starts and no snapshot of the group is taken; a post hook that fails with Fail marks the
/// group's (kept) snapshots failed. The post phase runs in a <c>finally</c>, without the run's token and bounded by each
/// hook's own timeout: when the run is cancelled between the pre and post hooks (the backup's objects failed, the host
/// is stopping), the pods are still thawed. A failed hook's problem names the hook, its container and pod and how it
/// ended (exit code, timeout); its stderr stays in the manifest (<see cref="HookRun.StderrTail"/>).
/// </summary>
internal sealed class HookGroupRun(HookRunner hooks, SnapshotTaker taker, LayerContext context, OnlineSessions sessions)
{
    /// <summary>Runs the group inside a slot of <paramref name="slots"/>, and returns its snapshots once each is ready or out of time.</summary>
    public async Task<IReadOnlyList<ClaimSnapshot>> RunAsync(HookGroup group, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        IReadOnlyList<ClaimSnapshot> taken;
        await slots.WaitAsync(cancellationToken);
        try
        {
            taken = await HookedAsync(group, cancellationToken);
        }
        finally
        {
            slots.Release();
        }

        await Task.WhenAll(taken.Select(t => taker.WaitUntilReadyAsync(t, cancellationToken)));
        return taken;
    }

    private async Task<IReadOnlyList<ClaimSnapshot>> HookedAsync(HookGroup group, CancellationToken cancellationToken)
    {
        var runs = new List<HookRun>();
        var reached = new List<PodHooks>();
        IReadOnlyList<ClaimSnapshot> taken;
        (PodHook Hook, HookRun Run)? postFailure;
        try
        {
            taken = await PreAndSnapshotsAsync(group, runs, reached, cancellationToken);
        }
        finally
        {
            // Thaw, whatever happened since the freeze — also when the run is cancelled (the backup failed, the host
            // stops): not with the run's token, bounded by each hook's own timeout.
            postFailure = await PostAsync(group, reached, runs);
        }

        foreach (var snapshot in taken)
        {
            snapshot.AddHooks(runs);
            if (postFailure is { } failure && snapshot.NotTaken is null)
            {
                snapshot.PostHookError = $"{failure.Hook.Describe()} failed ({failure.Run.Error}), and its onError is Fail: "
                    + $"the snapshot of claim {snapshot.Claim.Qualified} was kept, but may not be consistent{StderrNote(failure.Run, [snapshot.Claim])}";
                context.Result.Error(snapshot.PostHookError, VolumeLayer.Resource, snapshot.Claim.Namespace, snapshot.Claim.Name, ProblemReasons.HookFailed);
            }
        }

        return taken;
    }

    /// <summary>The pre hooks (each pod they reach added to <paramref name="reached"/> before its first runs), then the group's snapshots until cut.</summary>
    private async Task<IReadOnlyList<ClaimSnapshot>> PreAndSnapshotsAsync(HookGroup group, List<HookRun> runs, List<PodHooks> reached, CancellationToken cancellationToken)
    {
        (PodHook Hook, HookRun Run)? stopped = null;
        foreach (var pod in group.Pods)
        {
            reached.Add(pod);
            foreach (var hook in pod.Pre)
            {
                var run = await hooks.RunAsync(hook, cancellationToken);
                runs.Add(run);
                if (run.Outcome != HookOutcome.Succeeded && Failed(hook, run, group) == HookErrorMode.Fail)
                {
                    stopped = (hook, run);
                    break;
                }
            }

            if (stopped is not null)
            {
                break;
            }
        }

        if (stopped is { } failure)
        {
            // No online backup starts: its sessions end now, before the post hooks.
            foreach (var target in group.Online)
            {
                await sessions.EndAsync(target.Session);
            }

            return [.. group.Claims.Select(claim =>
            {
                var planned = taker.Plan(claim);
                planned.NotTaken = ($"{failure.Hook.Describe()} failed ({failure.Run.Error}), and its onError is Fail: no snapshot of claim {claim.Qualified} was taken"
                    + StderrNote(failure.Run, [claim]), ProblemReasons.HookFailed);
                return planned;
            })];
        }

        var online = group.Online.Select(o => new OnlineBackupRun(o, context, sessions)).ToList();
        IReadOnlyList<ClaimSnapshot> taken;
        try
        {
            foreach (var backup in online)
            {
                await backup.StartAsync(cancellationToken);
            }

            taken = await Task.WhenAll(group.Claims.Select(c => taker.StartAsync(c, cancellationToken)));
            if (group.Pods.Count > 0 || online.Count > 0)
            {
                // The application stays frozen (and the online backups open) until every snapshot of the group is cut; not a moment longer.
                await Task.WhenAll(taken.Select(t => taker.WaitUntilCutAsync(t, cancellationToken)));
            }

            foreach (var backup in online)
            {
                await backup.StopAsync(cancellationToken);
            }
        }
        finally
        {
            // Each session ends with its backup, however the run ends (else with the layer).
            foreach (var backup in online)
            {
                await backup.EndAsync();
            }
        }

        foreach (var backup in online)
        {
            backup.Conclude(taken);
        }

        return taken;
    }

    /// <summary>The post hooks of every pod the pre phase reached, in order, each under its own timeout only; the first that failed with Fail, if any.</summary>
    private async Task<(PodHook Hook, HookRun Run)?> PostAsync(HookGroup group, IReadOnlyList<PodHooks> reached, List<HookRun> runs)
    {
        (PodHook Hook, HookRun Run)? failed = null;
        foreach (var hook in reached.SelectMany(p => p.Post))
        {
            var run = await hooks.RunAsync(hook, CancellationToken.None);
            runs.Add(run);
            if (run.Outcome != HookOutcome.Succeeded && Failed(hook, run, group) == HookErrorMode.Fail)
            {
                failed ??= (hook, run);
            }
        }

        return failed;
    }

    /// <summary>A failed hook's mode; a Continue is a warning here and now (a Fail is reported on the claims it stopped).</summary>
    private HookErrorMode Failed(PodHook hook, HookRun run, HookGroup group)
    {
        if (run.OnError == HookErrorMode.Continue)
        {
            context.Result.Warning($"{hook.Describe()} failed ({run.Error}); its onError is Continue, so the snapshots went on{StderrNote(run, group.Claims)}",
                VolumeLayer.Resource, hook.Namespace, hook.Pod, ProblemReasons.HookFailed);
        }

        return run.OnError;
    }

    /// <summary>
    /// Where a failed hook's stderr is: the records of <paramref name="claims"/> in the manifest — never in a problem,
    /// which alerts carry to chat and pagers. Empty when it wrote none.
    /// </summary>
    private static string StderrNote(HookRun run, IEnumerable<PlannedClaim> claims) => run.StderrTail is null ? ""
        : $"; its stderr is in the backup's manifest (hooks of {string.Join(", ", claims.Select(c => $"volumes/{c.Namespace}/{c.Name}"))})";
}
