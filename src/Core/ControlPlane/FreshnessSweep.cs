using Strata.Core.Alerts;
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
/// <see cref="BackupStatus.Interrupted"/>, alerting once and freeing their (policy, cluster) lease, and
/// finishes the record of one that died after committing; warns when committed backups wait unverified
/// (the verification queue is not draining) and asks for their verification again; alerts when the
/// schedule's own heartbeat stops; reads the WAL archivers the policies watch and alerts on one that fails or is
/// stale (<see cref="WalArchivingWatch"/>); and re-drives incidents whose delivery is unfinished. What it sends
/// is derived from the state each pass, so a pass whose outputs were lost is made good by the next.
/// </summary>
public static class FreshnessSweep
{
    /// <summary>How long a committed backup may wait for verification before the queue counts as not draining.</summary>
    public static readonly TimeSpan VerificationGrace = TimeSpan.FromMinutes(30);

    /// <summary>Verifications asked for again in one pass, at most.</summary>
    public const int MaxVerificationsAskedAgain = 20;

    /// <summary>How long a resolve that did not reach every channel told of the incident is sent again.</summary>
    public static readonly TimeSpan ResolveRetryWindow = TimeSpan.FromDays(1);

    /// <summary>How late the schedule's heartbeat may be, beyond its period, before the schedule counts as stopped.</summary>
    public static readonly TimeSpan HeartbeatGrace = TimeSpan.FromMinutes(2);

    /// <summary>Runs one pass.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var now = context.Time.GetUtcNow();
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            records.Add(record);
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Status == BackupStatus.InProgress && LeaseExpiry(context, records[i]) < now)
            {
                try
                {
                    records[i] = await SettleDeadRunAsync(context, records[i], now, result, cancellationToken);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    // One dead run whose manifest cannot be read must not stop the pass: RPO and schedule watching go on.
                    result.Log($"backup {records[i].Id}: its process died and its manifest cannot be read ({e.Message}); left InProgress for a person");
                }
            }
        }

        foreach (var judgment in RecoveryPointObjectives.Judge(context.Configuration, records, now))
        {
            if (judgment.State == RecoveryPointState.Breached)
            {
                var since = judgment.LastVerified is { } last ? $"its last verified backup ({last.Id}) is {Age(judgment.Age!.Value)} old" : "it has no verified backup";
                // One message per pass: the same incident while it lasts (the dispatcher re-notifies by its routes'
                // interval), and a new incident after a resolve, even when the breach rests on the same backup.
                sent.Add(judgment.DedupKey);
                result.Send(Alert(now, $"alert-rpo-breached-{judgment.Policy}-{judgment.Cluster}-{now.UtcTicks}", new AlertRaised(
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
        await WalArchivingWatch.RunAsync(context, now, result, sent, cancellationToken);
        sent.UnionWith(result.Messages.Select(m => m.Payload).OfType<AlertResolved>().Select(r => r.DedupKey));
        await RedriveAsync(context, now, sent, result, cancellationToken);
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
            await context.State.ReleaseLeaseAsync(BackupWorker.LeaseKey(record.Policy, record.Cluster), record.Id, cancellationToken);
            result.Log($"backup {record.Id}: its process died after committing; recorded {finished.Status} from its manifest");
            result.Send(new Envelope($"verify-{record.Id}", $"freshness-{record.Id}", now, new VerifyRequested(record.Id, record.Cluster, record.Policy)));
            return finished;
        }

        // Its worker will never release the (policy, cluster) lease: free it, or every scheduled backup is skipped until it runs out.
        await context.State.ReleaseLeaseAsync(BackupWorker.LeaseKey(record.Policy, record.Cluster), record.Id, cancellationToken);
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

    /// <summary>
    /// Committed backups left unverified past the grace: the verification queue is not draining. Their verification is
    /// asked for again (the same message id as the backup worker's, so a queue with duplicate detection takes it once),
    /// at most <see cref="MaxVerificationsAskedAgain"/> a pass. True when it alerted.
    /// </summary>
    private static bool Stalled(List<BackupRecord> records, DateTimeOffset now, FunctionResult result)
    {
        var waiting = records.Where(r => r.ExpiredAt is null && (r.Status == BackupStatus.Succeeded || (r.Status == BackupStatus.PartiallyFailed && r.Verification is null)))
            .Where(r => now - RecoveryPointObjectives.RecoveryPoint(r) > VerificationGrace)
            .OrderBy(RecoveryPointObjectives.RecoveryPoint)
            .ToList();
        if (waiting.Count == 0)
        {
            return false;
        }

        foreach (var record in waiting.Take(MaxVerificationsAskedAgain))
        {
            result.Send(new Envelope($"verify-{record.Id}", $"freshness-{record.Id}", now, new VerifyRequested(record.Id, record.Cluster, record.Policy)));
        }

        var oldest = waiting[0];
        result.Send(Alert(now, $"alert-verification-stalled-{oldest.Id}", new AlertRaised(
            AlertSeverity.Warning, "verification-stalled",
            $"{waiting.Count} committed backup(s) wait unverified; the oldest, {oldest.Id} of {oldest.Cluster} (policy {oldest.Policy}), for {Age(now - RecoveryPointObjectives.RecoveryPoint(oldest))}: is the verification queue draining?",
            StalledKey, RunId: oldest.Id)));
        return true;
    }

    /// <summary>
    /// Incidents whose delivery is unfinished: an open one that a routed channel has not been told of (its delivery
    /// failed every attempt) or is due to be told again (the route's <c>renotify</c>) is raised again; a resolved one
    /// that a channel was told of but not of its end (the resolve failed) has its resolve sent again, for a day.
    /// The dispatcher decides per channel, so a pass with nothing unfinished sends nothing.
    /// </summary>
    private static async Task RedriveAsync(ControlPlaneContext context, DateTimeOffset now, HashSet<string> sent, FunctionResult result, CancellationToken cancellationToken)
    {
        var configuration = context.Configuration;
        await foreach (var incident in context.State.ListAlertsAsync(cancellationToken))
        {
            if (sent.Contains(incident.DedupKey))
            {
                continue;
            }

            var stamp = $"{incident.DedupKey.Replace('/', '-')}-{now.UtcTicks}";
            if (incident.Status == IncidentStatus.Open)
            {
                var routed = AlertRouting.ChannelsFor(configuration, incident.Severity, incident.Cluster, incident.Policy);
                if (AlertDeliveryPlan.ForRaised(incident, routed, now).Any(p => p.Send))
                {
                    result.Send(Alert(now, $"alert-again-{stamp}", new AlertRaised(
                        incident.Severity, incident.Kind, incident.Summary, incident.DedupKey, incident.Cluster, incident.Policy, incident.RunId)));
                }
            }
            else if (now - incident.ResolvedAt < ResolveRetryWindow && AlertDeliveryPlan.ForResolved(incident, configuration.Alerts).Count > 0)
            {
                result.Send(Alert(now, $"resolve-again-{stamp}", new AlertResolved(
                    incident.DedupKey, incident.ResolvedSummary ?? "resolved", incident.Cluster, incident.Policy, incident.RunId)));
            }
        }
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
    private static Task<bool> ResolveAsync(
        ControlPlaneContext context, DateTimeOffset now, string key, string summary, FunctionResult result, CancellationToken cancellationToken, string? cluster = null, string? policy = null) =>
        IncidentRecovery.ResolveIfOpenAsync(context, key, _ => Task.FromResult(true),
            open => Alert(now, $"resolve-{key.Replace('/', '-')}-{open.LastRaisedAt.UtcTicks}", new AlertResolved(key, summary, cluster, policy)), result, cancellationToken);

    private static Envelope Alert(DateTimeOffset now, string id, MessagePayload alert) =>
        new(id.Length <= MessageCodec.MaxIdLength ? id : id[..MessageCodec.MaxIdLength], "freshness", now, alert);

    private static string Age(TimeSpan age) => Configuration.DurationText.Format(age.TotalMinutes < 1 ? age : TimeSpan.FromMinutes(Math.Round(age.TotalMinutes)));
}
