using Strata.Core.Artifacts;
using Strata.Core.Freshness;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>freshness</c> timer: watches the pipeline from outside the workers, so that a worker that
/// silently stops is still noticed. Each pass judges every (policy, cluster) on its last verified
/// backup against the recovery-point objective (<see cref="RecoveryPointObjectives"/>) and raises a
/// critical alert on a breach; records runs whose process died (lease out, no manifest) as
/// <see cref="BackupStatus.Interrupted"/>, alerting once, and finishes the record of one that died
/// after committing; warns when committed backups wait unverified (the verification queue is not
/// draining); and alerts when the schedule's own heartbeat stops.
/// </summary>
public static class FreshnessSweep
{
    /// <summary>How long a committed backup may wait for verification before the queue counts as not draining.</summary>
    public static readonly TimeSpan VerificationGrace = TimeSpan.FromMinutes(30);

    /// <summary>How late the schedule's heartbeat may be, beyond its period, before the schedule counts as stopped.</summary>
    public static readonly TimeSpan HeartbeatGrace = TimeSpan.FromMinutes(2);

    /// <summary>Runs one pass.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var now = context.Time.GetUtcNow();
        var records = new List<BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            records.Add(record);
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Status == BackupStatus.InProgress && LeaseExpiry(context, records[i]) < now)
            {
                records[i] = await SettleDeadRunAsync(context, records[i], now, result, cancellationToken);
            }
        }

        foreach (var judgment in RecoveryPointObjectives.Judge(context.Configuration, records, now))
        {
            if (judgment.State == RecoveryPointState.Breached)
            {
                var since = judgment.LastVerified is { } last ? $"its last verified backup ({last.Id}) is {Age(judgment.Age!.Value)} old" : "it has no verified backup";
                result.Send(Alert(now, $"alert-rpo-breached-{judgment.Policy}-{judgment.Cluster}-{judgment.LastVerified?.Id ?? "none"}", new AlertRaised(
                    AlertSeverity.Critical, RecoveryPointObjectives.BreachedKind,
                    $"{judgment.Cluster} (policy {judgment.Policy}) is past its recovery-point objective of {Age(judgment.Objective!.Value)}: {since}",
                    judgment.DedupKey, judgment.Cluster, judgment.Policy, judgment.LastVerified?.Id)));
            }
            else if (judgment.State is RecoveryPointState.Ok or RecoveryPointState.AtRisk or RecoveryPointState.NoObjective)
            {
                await ResolveAsync(context, now, judgment.DedupKey, $"{judgment.Cluster} (policy {judgment.Policy}) is within its recovery-point objective again"
                    + (judgment.LastVerified is { } last ? $": verified backup {last.Id}" : ""), result, cancellationToken, judgment.Cluster, judgment.Policy);
            }
        }

        if (!Stalled(records, now, result))
        {
            await ResolveAsync(context, now, StalledKey, "No committed backup waits for verification any more", result, cancellationToken);
        }

        await HeartbeatAsync(context, now, result, cancellationToken);
        result.Log($"freshness: {records.Count} run(s) looked at; {result.Messages.Count} message(s)");
        return result;
    }

    /// <summary>When a running backup's lease ends: its own, or (records written before runs held one) the control plane's lease.</summary>
    private static DateTimeOffset LeaseExpiry(ControlPlaneContext context, BackupRecord record) =>
        record.LeaseExpiresAt ?? record.StartedAt + context.Options.LeaseDuration;

    /// <summary>A run whose process died: interrupted when nothing was committed; finished from its manifest when it was.</summary>
    private static async Task<BackupRecord> SettleDeadRunAsync(ControlPlaneContext context, BackupRecord record, DateTimeOffset now, FunctionResult result, CancellationToken cancellationToken)
    {
        var manifest = await ManifestFile.ReadAsync(context.Stores.Default, record.Location, cancellationToken);
        if (manifest is not null)
        {
            // It died between committing and recording: the manifest says what it committed, so the run is finished, then verified.
            var finished = record with
            {
                Status = manifest.Status,
                CompletedAt = manifest.CompletedAt,
                ServerVersion = manifest.ServerVersion,
                ObjectCount = manifest.Counts.Total,
                CountsByResource = manifest.Counts.ByResource,
                Artifacts = manifest.Artifacts,
                Problems = manifest.Problems,
                LeaseExpiresAt = null,
            };
            await context.History.SaveBackupAsync(finished, cancellationToken);
            result.Log($"backup {record.Id}: its process died after committing; recorded {finished.Status} from its manifest");
            result.Send(new Envelope($"verify-{record.Id}", $"freshness-{record.Id}", now, new VerifyRequested(record.Id, record.Cluster, record.Policy)));
            return finished;
        }

        var expiredAt = LeaseExpiry(context, record);
        var interrupted = record with
        {
            Status = BackupStatus.Interrupted,
            CompletedAt = expiredAt,
            Error = $"interrupted: its process stopped renewing the run's lease (expired {expiredAt:u}) and no manifest was written",
        };
        await context.History.SaveBackupAsync(interrupted, cancellationToken);
        result.Log($"backup {record.Id}: {interrupted.Error}");
        result.Send(Alert(now, $"alert-backup-interrupted-{record.Id}", new AlertRaised(
            AlertSeverity.Warning, "backup-interrupted", $"Backup {record.Id} of {record.Cluster} (policy {record.Policy}) was interrupted: its process died mid-run",
            $"backup-interrupted/{record.Policy}/{record.Cluster}", record.Cluster, record.Policy, record.Id)));
        return interrupted;
    }

    private const string StalledKey = "verification-stalled";

    private const string StoppedKey = "schedule-stopped";

    /// <summary>Committed backups left unverified past the grace: the verification queue is not draining. True when it alerted.</summary>
    private static bool Stalled(List<BackupRecord> records, DateTimeOffset now, FunctionResult result)
    {
        var waiting = records.Where(r => r.Status == BackupStatus.Succeeded || (r.Status == BackupStatus.PartiallyFailed && r.Verification is null))
            .Where(r => now - RecoveryPointObjectives.RecoveryPoint(r) > VerificationGrace)
            .OrderBy(RecoveryPointObjectives.RecoveryPoint)
            .ToList();
        if (waiting.Count == 0)
        {
            return false;
        }

        var oldest = waiting[0];
        result.Send(Alert(now, $"alert-verification-stalled-{oldest.Id}", new AlertRaised(
            AlertSeverity.Warning, "verification-stalled",
            $"{waiting.Count} committed backup(s) wait unverified; the oldest, {oldest.Id} of {oldest.Cluster} (policy {oldest.Policy}), for {Age(now - RecoveryPointObjectives.RecoveryPoint(oldest))}: is the verification queue draining?",
            StalledKey, RunId: oldest.Id)));
        return true;
    }

    /// <summary>The schedule's own heartbeat: older than its period and the grace, the schedule has stopped firing.</summary>
    private static async Task HeartbeatAsync(ControlPlaneContext context, DateTimeOffset now, FunctionResult result, CancellationToken cancellationToken)
    {
        var marks = await context.State.GetScheduleMarksAsync(cancellationToken);
        if (!marks.TryGetValue(ScheduleTick.HeartbeatMark, out var beat))
        {
            return; // never ticked yet: a new deployment
        }

        var period = ControlPlaneFunctions.Timer.Single(t => t.Name == "schedule-tick").Period;
        if (now - beat > period + HeartbeatGrace)
        {
            result.Send(Alert(now, $"alert-schedule-stopped-{beat.UtcTicks}", new AlertRaised(
                AlertSeverity.Critical, "schedule-stopped", $"The schedule has not fired since {beat:u} ({Age(now - beat)} ago): no backup will start on time",
                StoppedKey)));
        }
        else
        {
            await ResolveAsync(context, now, StoppedKey, $"The schedule fires again (last at {beat:u})", result, cancellationToken);
        }
    }

    /// <summary>Resolves the incident <paramref name="key"/> when it is open; most passes resolve nothing and send nothing.</summary>
    private static async Task ResolveAsync(
        ControlPlaneContext context, DateTimeOffset now, string key, string summary, FunctionResult result, CancellationToken cancellationToken, string? cluster = null, string? policy = null)
    {
        if (await context.State.FindAlertAsync(key, cancellationToken) is { Status: Alerts.IncidentStatus.Open } open)
        {
            result.Send(Alert(now, $"resolve-{key.Replace('/', '-')}-{open.LastRaisedAt.UtcTicks}", new AlertResolved(key, summary, cluster, policy)));
        }
    }

    private static Envelope Alert(DateTimeOffset now, string id, MessagePayload alert) =>
        new(id.Length <= MessageCodec.MaxIdLength ? id : id[..MessageCodec.MaxIdLength], "freshness", now, alert);

    private static string Age(TimeSpan age) => Configuration.DurationText.Format(age.TotalMinutes < 1 ? age : TimeSpan.FromMinutes(Math.Round(age.TotalMinutes)));
}
