using Strata.Core.Alerts;
using Strata.Core.Freshness;
using Strata.Core.Messages;
using Strata.Core.Runs;

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
    /// and that is open — raised before the backup ended, so a replayed older backup never ends a newer failure.
    /// A backup without drift also ends an open drift incident.
    /// </summary>
    public static async Task ResolveAsync(ControlPlaneContext context, Envelope request, BackupRecord record, DateTimeOffset now, FunctionResult result, CancellationToken cancellationToken)
    {
        IEnumerable<string> kinds = record.Status switch
        {
            BackupStatus.Verified => EndedByVerified,
            BackupStatus.PartiallyFailed when record.Verification is { Passed: true } => EndedByVerifiedPartial,
            _ => [],
        };
        if (record.Verification is { Passed: true } report && !report.Warnings.Any())
        {
            kinds = kinds.Append("backup-drift");
        }

        foreach (var kind in kinds)
        {
            var key = kind == RecoveryPointObjectives.BreachedKind ? RecoveryPointObjectives.DedupKey(record.Policy, record.Cluster) : $"{kind}/{record.Policy}/{record.Cluster}";
            if (await context.State.FindAlertAsync(key, cancellationToken) is { Status: IncidentStatus.Open } open
                && open.LastRaisedAt <= (record.CompletedAt ?? now))
            {
                result.Send(request.FollowedBy($"resolve-{kind}-{record.Id}", now, new AlertResolved(
                    key, $"Backup {record.Id} of {record.Cluster} (policy {record.Policy}) was verified", record.Cluster, record.Policy, record.Id)));
            }
        }
    }
}
