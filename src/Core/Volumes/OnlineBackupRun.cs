using System.Globalization;
using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// Application-consistent snapshots of one database: <c>pg_backup_start(label, fast)</c> → the snapshots of its claims
/// asked for → each cut → <c>pg_backup_stop()</c> in the same session, whose <c>backup_label</c> and
/// <c>tablespace_map</c> go on each claim's record. A session that did not open or start, or that dropped before the
/// stop: the snapshots are kept as crash-consistent, each record says why, and an error names the target.
/// <para>
/// A replayed backup (same id) reuses the VolumeSnapshots its earlier attempt created. One cut before this attempt's
/// <c>pg_backup_start</c> returned holds data from before this backup's redo point: recovering it with this attempt's
/// <c>backup_label</c> would corrupt the database. It is recorded crash-consistent, with the reason, and an error names
/// the target. (Deleting and cutting it again was the alternative; but a VolumeSnapshot's deletion finishes when its
/// controller says so, the new one must wait for the name, and a run that stops between the two leaves the claim with no
/// snapshot at all — the record cannot be half-written.)
/// </para>
/// </summary>
internal sealed class OnlineBackupRun(SnapshotTaker taker, LayerContext context, OnlineSessions sessions)
{
    public async Task<IReadOnlyList<ClaimSnapshot>> RunAsync(OnlineTarget online, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var target = online.Target;
        var label = $"strata {context.BackupId}";
        var problem = online.Problem;
        OnlineBackupRecord? stopped = null;
        DateTimeOffset? startReturned = null;
        IReadOnlyList<ClaimSnapshot> taken;
        var slot = false;
        try
        {
            await slots.WaitAsync(cancellationToken);
            slot = true;
            var started = false;
            if (online.Session is { } session)
            {
                (started, problem) = await TryAsync(() => session.StartAsync(label, cancellationToken), "pg_backup_start failed");
                startReturned = started ? context.Time.GetUtcNow() : null;
            }

            taken = await Task.WhenAll(online.Claims.Select(c => taker.StartAsync(c, cancellationToken)));
            await Task.WhenAll(taken.Select(t => taker.WaitUntilCutAsync(t, cancellationToken)));
            if (started)
            {
                try
                {
                    stopped = await online.Session!.StopAsync(cancellationToken);
                }
                catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
                {
                    problem = $"the session ended before pg_backup_stop returned ({e.Message})";
                }
            }
        }
        finally
        {
            if (slot)
            {
                slots.Release();
            }

            // The session ends with the run, however the run ends (else with the layer).
            await sessions.EndAsync(online.Session);
        }

        var stale = new List<ClaimSnapshot>();
        foreach (var snapshot in taken)
        {
            if (stopped is not null && CutBefore(snapshot, startReturned!.Value) is { } earlier)
            {
                snapshot.ConsistencyProblem = earlier;
                stale.Add(snapshot);
            }
            else if (stopped is not null)
            {
                snapshot.Consistency = VolumeConsistency.Application;
                snapshot.OnlineBackup = stopped with { Target = target.Qualified, Label = stopped.Label.Length > 0 ? stopped.Label : label };
            }
            else
            {
                snapshot.ConsistencyProblem = problem;
            }
        }

        foreach (var snapshot in stale)
        {
            context.Result.Error($"database target {target.Qualified}: the snapshot of its claim {snapshot.Claim.Qualified} is not application-consistent, only crash-consistent: {snapshot.ConsistencyProblem}",
                VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
        }

        if (stopped is null)
        {
            var claims = string.Join(", ", online.Claims.Select(c => c.Qualified));
            context.Result.Error($"database target {target.Qualified}: the snapshots of its claims ({claims}) are not application-consistent, only crash-consistent: {problem}",
                VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
        }

        await Task.WhenAll(taken.Select(t => taker.WaitUntilReadyAsync(t, cancellationToken)));
        return taken;
    }

    /// <summary>
    /// Why a snapshot an earlier attempt created does not belong to this attempt's online backup: it was cut (its
    /// <c>status.creationTime</c>, else — not cut yet — its creation) before <paramref name="startReturned"/>; null when
    /// it does. <c>status.creationTime</c> has whole seconds, so a cut in the same second as the start counts as before it.
    /// </summary>
    private static string? CutBefore(ClaimSnapshot snapshot, DateTimeOffset startReturned)
    {
        if (!snapshot.Reused || snapshot.Latest is not { } latest)
        {
            return null;
        }

        var cut = SnapshotStatus.CreationTime(latest);
        var at = cut ?? (latest.GetString("metadata.creationTimestamp") is { } created
            && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null);
        if (at is not { } when || when >= startReturned)
        {
            return at is null ? $"VolumeSnapshot {snapshot.Claim.Namespace}/{snapshot.Name}, created by an earlier attempt of this backup, has no time to tell when it was cut: "
                + "it may hold data from before this attempt's pg_backup_start, so this attempt's backup_label does not describe it" : null;
        }

        return $"VolumeSnapshot {snapshot.Claim.Namespace}/{snapshot.Name} was {(cut is null ? "created" : "cut")} at {when.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} by an earlier attempt of this backup, "
            + $"before this attempt's pg_backup_start returned ({startReturned.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}): its data is from before this backup's redo point, "
            + "so this attempt's backup_label does not describe it";
    }

    private static async Task<(bool Started, string? Problem)> TryAsync(Func<Task<OnlineBackupRecord>> start, string what)
    {
        try
        {
            await start();
            return (true, null);
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
        {
            return (false, $"{what}: {e.Message}");
        }
    }
}
