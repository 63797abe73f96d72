using Strata.Core.Alerts;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Verification;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>strata-verifications</c> worker: proves a committed backup by reading it back from the
/// store (<see cref="BackupVerifier"/>) and its volume snapshots from its cluster, compares it with the last verified backup of the same policy
/// and cluster (<see cref="DriftCheck"/>), records the report with the run, and moves the run to
/// <see cref="BackupStatus.Verified"/> or <see cref="BackupStatus.VerificationFailed"/>. It reads the artifacts
/// and rewrites only the run record, so a redelivered request simply verifies again. Requests of kind
/// <see cref="VerificationKind.Drill"/> are restore drills (<see cref="DrillWorker"/>).
/// </summary>
public static class VerifyWorker
{
    /// <summary>Handles one <c>strata-verifications</c> message.</summary>
    public static async Task<FunctionResult> HandleAsync(ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        if (await MessageIntake.ReadAsync<VerifyRequested>(context, message, result, cancellationToken) is not { } envelope)
        {
            return result;
        }

        var request = (VerifyRequested)envelope.Payload;
        if (request.Kind == VerificationKind.Drill)
        {
            return await DrillWorker.HandleAsync(context, message, envelope, result, cancellationToken);
        }

        var record = await context.History.FindBackupAsync(request.BackupId, cancellationToken);
        if (Refusal(request, record) is { } refusal)
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type, refusal, result, cancellationToken);
            return result;
        }

        var verified = await VerifyAsync(context, record!, cancellationToken);
        var report = verified.Verification!;
        result.Log($"backup {verified.Id} of {verified.Cluster} (policy {verified.Policy}): {verified.Status}, "
            + $"{report.ErrorCount} error(s), {report.Warnings.Count()} warning(s)" + (report.BaselineBackupId is { } b ? $" (drift against {b})" : ""));
        FollowUp(envelope, verified, context.Time.GetUtcNow(), result);
        await IncidentRecovery.ResolveAsync(context, envelope, verified, context.Time.GetUtcNow(), result, cancellationToken);
        return result;
    }

    /// <summary>Why <paramref name="request"/> cannot be verified, or null.</summary>
    private static string? Refusal(VerifyRequested request, BackupRecord? record) =>
        record is null ? $"backup {request.BackupId} is not in the run history"
        : record.Cluster != request.Cluster || record.Policy != request.Policy
            ? $"backup {request.BackupId} belongs to cluster '{record.Cluster}' and policy '{record.Policy}', not '{request.Cluster}' and '{request.Policy}'"
        : !record.IsCommitted ? $"backup {request.BackupId} is {record.Status}: nothing was committed to verify"
        : null;

    /// <summary>
    /// Verifies <paramref name="record"/>'s backup with its policy's drift threshold, and its volume snapshots against its
    /// cluster (connected only when it has some; a cluster no longer configured cannot prove them); returns the updated, saved record.
    /// </summary>
    public static async Task<BackupRecord> VerifyAsync(ControlPlaneContext context, BackupRecord record, CancellationToken cancellationToken = default)
    {
        using var span = Telemetry.StrataActivities.Start("backup.verify", record.Cluster, record.Policy, record.Id);
        BackupRecord verified;
        try
        {
            verified = await VerificationRun.RunAsync(context.Stores.Default, context.History, context.Time, record,
                context.Configuration.FindPolicy(record.Policy)?.Verification.DriftThreshold ?? DriftCheck.DefaultThreshold,
                ct => context.ConnectAsync(record.Cluster, ct), context.Keyring, cancellationToken);
        }
        catch (Exception e)
        {
            Telemetry.StrataActivities.Fail(span, e);
            throw;
        }

        span?.SetTag(Telemetry.StrataActivities.StatusTag, verified.Status.ToString());
        if (verified.Verification is { Passed: false } report)
        {
            Telemetry.StrataActivities.Fail(span, $"{report.ErrorCount} problem(s), first: {report.Errors.FirstOrDefault()}");
        }

        return verified;
    }

    /// <summary>A failed verification pages (critical); drift warns.</summary>
    private static void FollowUp(Envelope request, BackupRecord record, DateTimeOffset now, FunctionResult result)
    {
        var report = record.Verification!;
        if (!report.Passed)
        {
            result.Send(request.FollowedBy($"alert-verification-failed-{record.Id}", now, new AlertRaised(
                AlertSeverity.Critical, "verification-failed",
                $"Backup {record.Id} of {record.Cluster} (policy {record.Policy}) failed verification: {report.ErrorCount} problem(s), first: {report.Errors.First()}",
                $"verification-failed/{record.Policy}/{record.Cluster}", record.Cluster, record.Policy, record.Id) with { FailedItems = Listed(report.Errors, report.ErrorCount, out var more), MoreFailedItems = more }));
        }

        var warnings = DriftCheck.Of(report).ToList();
        if (warnings.Count > 0)
        {
            result.Send(request.FollowedBy($"alert-backup-drift-{record.Id}", now, new AlertRaised(
                AlertSeverity.Warning, "backup-drift",
                $"Backup {record.Id} of {record.Cluster} (policy {record.Policy}) shrank against {report.BaselineBackupId}: {warnings[0].Message}",
                $"backup-drift/{record.Policy}/{record.Cluster}", record.Cluster, record.Policy, record.Id) with { FailedItems = Listed(warnings, warnings.Count, out var more), MoreFailedItems = more }));
        }
    }

    /// <summary>The findings as an alert lists failed items (<see cref="FailedItemList"/>: the first 20), and how many more of <paramref name="total"/>.</summary>
    private static IReadOnlyList<string> Listed(IEnumerable<VerificationFinding> findings, int total, out int? more)
    {
        var (items, _) = FailedItemList.Of(findings.Select(f => f.ToString()));
        more = total > items.Count ? total - items.Count : null;
        return items;
    }
}
