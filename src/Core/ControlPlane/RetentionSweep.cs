using Strata.Core.Artifacts;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Retention;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The hourly retention timer: plans each (policy, cluster) with <see cref="RetentionPlanner"/>
/// and deletes what the plan and the store's write-once lock both allow. The manifest goes first,
/// so a half-deleted backup never looks complete; the run record stays, marked expired. Backups of
/// policies no longer in the configuration, and ad hoc backups, are left alone.
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
                    result.Log($"retention {policyName}/{cluster}: {record.Id} kept: {decision.Reason}");
                    continue;
                }

                try
                {
                    var lockedBy = await DeleteAsync(context.Stores.Default, record.Location, cancellationToken);
                    if (lockedBy is not null)
                    {
                        locked++;
                        result.Log($"retention {policyName}/{cluster}: {record.Id} kept: {decision.Reason}; the store says {lockedBy}");
                        continue;
                    }

                    await context.History.SaveBackupAsync(record with { ExpiredAt = asOf }, cancellationToken);
                    expired++;
                    result.Log($"retention {policyName}/{cluster}: {record.Id} expired: {decision.Reason}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add($"{record.Id}: {e.Message}");
                }
            }

            result.Log($"retention {policyName}/{cluster}: {plan.Count(d => d.Verdict == RetentionVerdict.Keep)} kept, {expired} expired, {locked} locked, {failures.Count} failed");
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

    /// <summary>Deletes a backup's artifacts, manifest first; returns the store's lock report when something is locked (and stops there).</summary>
    private static async Task<string?> DeleteAsync(IArtifactStore store, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var artifact in store.ListAsync(prefix, cancellationToken))
        {
            keys.Add(artifact.Key);
        }

        var manifest = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.Manifest);
        foreach (var key in keys.OrderBy(k => k == manifest ? 0 : 1))
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
