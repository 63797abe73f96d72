using Strata.Core.Artifacts;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Retention;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The hourly retention timer: plans each (policy, cluster) with <see cref="RetentionPlanner"/>
/// and deletes what the plan and the store's write-once lock both allow — the artifacts, and the
/// VolumeSnapshots the backup created (<see cref="SnapshotRetention"/>: only Strata's own for that
/// backup). The run record stays, marked expired. Backups of policies no longer in the
/// configuration, and ad hoc backups, are left alone; backups the plan keeps or finds locked
/// never reach deletion, so their snapshots stay.
/// <para>
/// The order, for one expiring backup, and why:
/// (1) its snapshot records are read from the manifest before anything is deleted (once a sweep
/// has deleted the manifest, from the <c>volumes/</c> records that are left);
/// (2) the VolumeSnapshots they name are read from the cluster, to tell Strata's own from anything
/// else under those names, and so are the VolumeSnapshotContents the volume layer set to <c>Retain</c>,
/// to tell the recorded ones from anything else — an unreachable cluster keeps the whole backup,
/// untouched, for the next sweep;
/// (3) the manifest goes first of the artifacts, so a half-deleted backup never looks complete. The
/// store has no way to ask about a lock without deleting, and the manifest, written last, carries the
/// backup's latest write-once lock: when the store refuses it, nothing was deleted, snapshots included
/// — a locked backup never keeps its artifacts while losing its snapshots;
/// (4) then the snapshots, which nothing usable refers to any more — a content Strata set to
/// <c>Retain</c> set back to <c>Delete</c> first, then its VolumeSnapshot deleted (or the content, when
/// the VolumeSnapshot went with its namespace), so the storage snapshot goes too; when a call fails the
/// backup is kept and retried, its <c>volumes/</c> records still naming them;
/// (5) then the other artifacts.
/// </para>
/// </summary>
public static class RetentionSweep
{
    /// <summary>Runs one sweep.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var asOf = context.Time.GetUtcNow();
        var policies = context.Configuration.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var groups = new Dictionary<(string Policy, string Cluster), List<BackupRecord>>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            if (record.ExpiredAt is null && policies.ContainsKey(record.Policy))
            {
                var key = (record.Policy, record.Cluster);
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add(record);
            }
        }

        foreach (var ((policyName, cluster), records) in groups.OrderBy(g => g.Key))
        {
            var policy = policies[policyName];
            var label = $"retention {policyName}/{cluster}";
            var snapshots = new SnapshotRetention(context, cluster, result, label);
            var byId = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
            var plan = RetentionPlanner.Plan(records.Select(Candidate).ToList(), policy.Retention, asOf, policy.TimeZone);
            int expired = 0, locked = 0;
            var failures = new List<string>();
            foreach (var decision in plan.Where(d => d.Verdict != RetentionVerdict.Keep))
            {
                var record = byId[decision.Id];
                if (decision.Verdict == RetentionVerdict.Locked)
                {
                    locked++;
                    result.Log($"{label}: {record.Id} kept: {decision.Reason}");
                    continue;
                }

                try
                {
                    var lockedBy = await ExpireAsync(context.Stores.Default, snapshots, record, cancellationToken);
                    if (lockedBy is not null)
                    {
                        locked++;
                        result.Log($"{label}: {record.Id} kept: {decision.Reason}; the store says {lockedBy}");
                        continue;
                    }

                    await context.History.SaveBackupAsync(record with { ExpiredAt = asOf }, cancellationToken);
                    expired++;
                    result.Log($"{label}: {record.Id} expired: {decision.Reason}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add($"{record.Id}: {e.Message}");
                    result.Log($"{label}: {record.Id} kept, to be tried again next sweep: {e.Message}");
                }
            }

            result.Log($"{label}: {plan.Count(d => d.Verdict == RetentionVerdict.Keep)} kept, {expired} expired, {locked} locked, {failures.Count} failed");
            if (failures.Count > 0)
            {
                result.Send(new Envelope($"alert-retention-failed-{policyName}-{cluster}-{asOf:yyyyMMddHHmm}", $"retention-{asOf:yyyyMMddHHmm}", asOf, new AlertRaised(
                    AlertSeverity.Warning, "retention-failed", $"Retention of {cluster} (policy {policyName}) could not delete {failures.Count} backup(s): {failures[0]}",
                    $"retention-failed/{policyName}/{cluster}", cluster, policyName)));
            }
        }

        return result;
    }

    /// <summary>How retention sees a run record.</summary>
    public static RetentionCandidate Candidate(BackupRecord record) => new(
        record.Id, record.StartedAt, record.Status is BackupStatus.Succeeded or BackupStatus.PartiallyFailed or BackupStatus.Verified,
        record.Status == BackupStatus.InProgress, record.RetainUntil, record.Status == BackupStatus.Verified);

    /// <summary>
    /// Deletes a backup's snapshots and artifacts in the order the class describes; returns the store's lock report when
    /// something is locked (and stops there). Throws when the cluster could not be read or a snapshot not deleted.
    /// </summary>
    private static async Task<string?> ExpireAsync(IArtifactStore store, SnapshotRetention snapshots, BackupRecord record, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var artifact in store.ListAsync(record.Location, cancellationToken))
        {
            keys.Add(artifact.Key);
        }

        var volumes = await snapshots.RecordsAsync(store, record, keys, cancellationToken);
        var planned = volumes.Count == 0 ? [] : await snapshots.PlanAsync(record, volumes, cancellationToken);
        var manifest = ArtifactLayout.ArtifactKey(record.Location, ArtifactLayout.Manifest);
        if (keys.Contains(manifest) && await store.DeleteAsync(manifest, cancellationToken) is { Outcome: ArtifactDeletionOutcome.Locked } manifestLocked)
        {
            return manifestLocked.ToString();
        }

        await snapshots.DeleteAsync(record, planned, cancellationToken);
        foreach (var key in keys.Where(k => k != manifest))
        {
            var deletion = await store.DeleteAsync(key, cancellationToken);
            if (deletion.Outcome == ArtifactDeletionOutcome.Locked)
            {
                return deletion.ToString();
            }
        }

        return null;
    }
}
