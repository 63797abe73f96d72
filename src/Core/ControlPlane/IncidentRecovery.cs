using Strata.Core.Alerts;
using Strata.Core.Freshness;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Verification;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Which open incidents of a (policy, cluster) a verified backup ends, as data: a backup proven from the
/// store is what recovery means, so the resolve goes out when verification passes — not when a run merely
/// committed (which may still fail verification).
/// </summary>
public static class IncidentRecovery
{
    /// <summary>Incident kinds a verified, complete backup ends: every way the pair was failing to have a good recovery point.</summary>
    public static IReadOnlyList<string> EndedByVerified { get; } =
    [
        "backup-failed", "backup-partial", "backup-skipped", "backup-abandoned", "backup-interrupted", "verification-failed", RecoveryPointObjectives.BreachedKind,
    ];

    /// <summary>
    /// Incident kinds a verified partial backup ends: the cluster was reached and what was committed is sound,
    /// but items are missing — the partial incident stays open, and a partial backup is no recovery point.
    /// </summary>
    public static IReadOnlyList<string> EndedByVerifiedPartial { get; } =
        ["backup-failed", "backup-skipped", "backup-abandoned", "backup-interrupted", "verification-failed"];

    /// <summary>
    /// An <see cref="AlertResolved"/> for each incident of <paramref name="record"/>'s pair that its verification ends
    /// and that is open — about a run that started before this one, so a re-verified older backup never ends a newer
    /// failure. A backup without drift also ends an open drift incident; the RPO incident ends only when this backup
    /// is itself within the objective (a verification backlog draining old backups does not end it).
    /// </summary>
    public static async Task ResolveAsync(ControlPlaneContext context, Envelope request, BackupRecord record, DateTimeOffset now, FunctionResult result, CancellationToken cancellationToken)
    {
        IEnumerable<string> kinds = record.Status switch
        {
            BackupStatus.Verified => EndedByVerified,
            BackupStatus.PartiallyFailed when record.Verification is { Proves: true } => EndedByVerifiedPartial,
            _ => [],
        };
        if (record.Verification is { Passed: true } report && !DriftCheck.Of(report).Any())
        {
            kinds = kinds.Append("backup-drift");
        }

        var objective = context.Configuration.FindPolicy(record.Policy)?.RecoveryPointObjective;
        var fresh = objective is { } rpo && now - RecoveryPointObjectives.RecoveryPoint(record) <= rpo;
        foreach (var kind in kinds.Where(k => k != RecoveryPointObjectives.BreachedKind || fresh))
        {
            var key = kind == RecoveryPointObjectives.BreachedKind ? RecoveryPointObjectives.DedupKey(record.Policy, record.Cluster) : $"{kind}/{record.Policy}/{record.Cluster}";
            await ResolveIfOpenAsync(context, key, open => EndsAsync(context, open, record, now, cancellationToken),
                _ => request.FollowedBy($"resolve-{kind}-{record.Id}", now, new AlertResolved(
                    key, $"Backup {record.Id} of {record.Cluster} (policy {record.Policy}) was verified", record.Cluster, record.Policy, record.Id)),
                result, cancellationToken);
        }
    }

    /// <summary>
    /// Whether <paramref name="record"/> comes after the run the incident is about: by start time when that run is in the
    /// history (run ids share a second), else by when the incident was last raised.
    /// </summary>
    private static async Task<bool> EndsAsync(ControlPlaneContext context, AlertRecord open, BackupRecord record, DateTimeOffset now, CancellationToken cancellationToken) =>
        open.RunId is { } about && await context.History.FindBackupAsync(about, cancellationToken) is { } run
            ? run.Id == record.Id || run.StartedAt < record.StartedAt
            : open.LastRaisedAt <= (record.CompletedAt ?? now);

    /// <summary>
    /// Sends the resolve <paramref name="resolve"/> makes when the incident <paramref name="key"/> is open and <paramref name="ends"/>
    /// says this recovery ends it; true when it did. Most recoveries end nothing and send nothing.
    /// </summary>
    public static async Task<bool> ResolveIfOpenAsync(
        ControlPlaneContext context, string key, Func<AlertRecord, Task<bool>> ends, Func<AlertRecord, Envelope> resolve, FunctionResult result, CancellationToken cancellationToken)
    {
        if (await context.State.FindAlertAsync(key, cancellationToken) is not { Status: IncidentStatus.Open } open || !await ends(open))
        {
            return false;
        }

        result.Send(resolve(open));
        return true;
    }
}
