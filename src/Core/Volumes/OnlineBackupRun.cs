using System.Globalization;
using Strata.Core.Backup;
using Strata.Core.Databases;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// The online backup of one application-consistent database, in the steps its hook group runs them in (pre hooks →
/// <see cref="StartAsync"/> → the group's snapshots, each cut → <see cref="StopAsync"/> → post hooks):
/// <c>pg_backup_start(label, fast)</c>, then <c>pg_backup_stop()</c> in the same session, whose <c>backup_label</c> and
/// <c>tablespace_map</c> go on each of the target's claims' records (<see cref="Conclude"/>). A session that did not
/// open or start, or that dropped before the stop: the snapshots are kept as crash-consistent, each record says why,
/// and an error names the target.
/// <para>
/// A replayed backup (same id) reuses the VolumeSnapshots its earlier attempt created. One cut before this attempt's
/// <c>pg_backup_start</c> returned holds data from before this backup's redo point: recovering it with this attempt's
/// <c>backup_label</c> would corrupt the database. It is recorded crash-consistent, with the reason, and an error names
/// the target. (Deleting and cutting it again was the alternative; but a VolumeSnapshot's deletion finishes when its
/// controller says so, the new one must wait for the name, and a run that stops between the two leaves the claim with no
/// snapshot at all — the record cannot be half-written.)
/// </para>
/// </summary>
internal sealed class OnlineBackupRun(OnlineTarget online, LayerContext context, OnlineSessions sessions)
{
    private string? _problem = online.Problem;
    private bool _started;
    private DateTimeOffset? _startReturned;
    private OnlineBackupRecord? _stopped;

    /// <summary>Starts the backup in the target's session (when it opened); a refusal is kept (its snapshots are then crash-consistent).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (online.Session is not { } session)
        {
            return;
        }

        try
        {
            await session.StartAsync($"strata {context.BackupId}", cancellationToken);
            _started = true;
            _startReturned = context.Time.GetUtcNow();
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
        {
            _problem = $"pg_backup_start failed: {e.Message}";
        }
    }

    /// <summary>Stops the backup in the same session, once the target's snapshots are cut; a session that dropped is kept as the problem.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }

        try
        {
            _stopped = await online.Session!.StopAsync(cancellationToken);
        }
        catch (Exception e) when (e is DatabaseTargetException or ClusterRequestException)
        {
            _problem = $"the session ended before pg_backup_stop returned ({e.Message})";
        }
    }

    /// <summary>Ends the session (once; else the layer does): a backup still in progress is then aborted by the server.</summary>
    public Task EndAsync() => sessions.EndAsync(online.Session);

    /// <summary>Marks the target's snapshots among <paramref name="taken"/> application- or crash-consistent, and reports those that are not application-consistent.</summary>
    public void Conclude(IEnumerable<ClaimSnapshot> taken)
    {
        var target = online.Target;
        var label = $"strata {context.BackupId}";
        var mine = online.Claims.Select(c => c.Qualified).ToHashSet(StringComparer.Ordinal);
        var stale = new List<ClaimSnapshot>();
        foreach (var snapshot in taken.Where(t => mine.Contains(t.Claim.Qualified)))
        {
            if (_stopped is not null && CutBefore(snapshot, _startReturned!.Value) is { } earlier)
            {
                snapshot.ConsistencyProblem = earlier;
                stale.Add(snapshot);
            }
            else if (_stopped is not null)
            {
                snapshot.Consistency = VolumeConsistency.Application;
                snapshot.OnlineBackup = _stopped with { Target = target.Qualified, Label = _stopped.Label.Length > 0 ? _stopped.Label : label };
            }
            else
            {
                snapshot.ConsistencyProblem = _problem;
            }
        }

        foreach (var snapshot in stale)
        {
            context.Result.Error($"database target {target.Qualified}: the snapshot of its claim {snapshot.Claim.Qualified} is not application-consistent, only crash-consistent: {snapshot.ConsistencyProblem}",
                VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
        }

        if (_stopped is null)
        {
            var claims = string.Join(", ", online.Claims.Select(c => c.Qualified));
            context.Result.Error($"database target {target.Qualified}: the snapshots of its claims ({claims}) are not application-consistent, only crash-consistent: {_problem}",
                VolumeLayer.Resource, target.Namespace, target.Name, ProblemReasons.NotConsistent);
        }
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
}
