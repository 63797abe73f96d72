using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Volumes;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>strata-backups</c> worker. Idempotent: the backup id derives from the request (scheduled
/// time or message id), so a replay finds the existing run and only repeats its follow-up messages
/// (whose ids are derived too). One backup per (policy, cluster) at a time: a lease in the state
/// store; a request arriving while another backup holds it is recorded as skipped. A cluster that
/// cannot be reached is a failed backup (recorded, alerted), not a reason to redeliver.
/// </summary>
public static class BackupWorker
{
    /// <summary>The policy name for backups asked for without a policy: default scope, no retention.</summary>
    public const string AdHocPolicy = "adhoc";

    /// <summary>The id of the backup <paramref name="envelope"/> asks for: from (policy, cluster, scheduled time), or from the message id.</summary>
    public static string BackupIdFor(Envelope envelope) => envelope.Payload is BackupRequested { ScheduledFor: { } scheduledFor } request
        ? ScheduleTick.ScheduledBackupId(request.Policy, request.Cluster, scheduledFor)
        : BackupId.Derive(envelope.CreatedAt, "requested", envelope.Id);

    /// <summary>The lease that lets one backup of (policy, cluster) run at a time.</summary>
    public static string LeaseKey(string policy, string cluster) => $"backup/{policy}/{cluster}";

    /// <summary>Why <paramref name="request"/> can never run under <paramref name="configuration"/>, or null.</summary>
    public static string? Refusal(StrataConfiguration configuration, BackupRequested request)
    {
        var policy = request.Policy == AdHocPolicy ? null : configuration.FindPolicy(request.Policy);
        return configuration.FindCluster(request.Cluster) is not { } cluster ? $"cluster '{request.Cluster}' is not in {configuration.Source}"
            : request.Policy != AdHocPolicy && policy is null ? $"policy '{request.Policy}' is not in {configuration.Source}"
            : policy is not null && !configuration.ClustersOf(policy).Contains(cluster) ? $"policy '{policy.Name}' does not protect cluster '{cluster.Name}'"
            : null;
    }

    /// <summary>Handles one <c>strata-backups</c> message.</summary>
    public static async Task<FunctionResult> HandleAsync(ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        if (await MessageIntake.ReadAsync<BackupRequested>(context, message, result, cancellationToken) is not { } envelope)
        {
            return result;
        }

        var request = (BackupRequested)envelope.Payload;
        var configuration = context.Configuration;
        var cluster = configuration.FindCluster(request.Cluster);
        var policy = request.Policy == AdHocPolicy ? null : configuration.FindPolicy(request.Policy);
        if (Refusal(configuration, request) is { } refusal)
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type, refusal, result, cancellationToken);
            return result;
        }

        var backupId = BackupIdFor(envelope);
        var existing = await context.History.FindBackupAsync(backupId, cancellationToken);
        if (existing is { Status: not BackupStatus.InProgress })
        {
            result.Log($"backup {backupId} already ran ({existing.Status}); repeating its follow-up messages only");
            FollowUp(envelope, existing, context.Time.GetUtcNow(), result);
            return result;
        }

        var leaseKey = LeaseKey(request.Policy, request.Cluster);
        var now = context.Time.GetUtcNow();
        var lease = await context.State.TryAcquireLeaseAsync(leaseKey, backupId, now, context.Options.LeaseDuration, cancellationToken);
        if (!lease.Acquired)
        {
            var skipped = Ended(backupId, request, BackupStatus.Skipped, now, now,
                $"backup {lease.Holder} of the same policy and cluster was running (lease until {lease.ExpiresAt:O})", request.RequestedBy);
            await context.History.SaveBackupAsync(skipped, cancellationToken);
            result.Log($"backup {backupId} skipped: {skipped.Error}");
            FollowUp(envelope, skipped, now, result);
            return result;
        }

        // A redelivery that finds its own run still leased: running elsewhere — unless that run's own lease ran out
        // (its process died), in which case it is recorded as abandoned below, and the lease freed.
        if (lease.Renewed && existing?.AsSeenAt(now).Status != BackupStatus.Interrupted)
        {
            result.Log($"backup {backupId} is running in another invocation (lease until {lease.ExpiresAt:O}); nothing to do");
            return result;
        }

        try
        {
            if (lease.TakenOverFrom is { } previous && previous != backupId)
            {
                await AbandonAsync(context, envelope, previous, result, cancellationToken);
            }

            if (existing is not null)
            {
                // This backup started before, its worker died, and the lease ran out: its artifacts
                // are partial and write-once, so it is recorded as abandoned rather than run again.
                await AbandonAsync(context, envelope, existing.Id, result, cancellationToken);
                return result;
            }

            var record = await RunAsync(context, envelope, cluster!, policy, backupId, cancellationToken);
            result.Log($"backup {record.Id} of {record.Cluster} (policy {record.Policy}): {record.Status}, {record.ObjectCount} objects"
                + (record.Error is null ? "" : $"; {record.Error}"));
            FollowUp(envelope, record, context.Time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            await context.State.ReleaseLeaseAsync(leaseKey, backupId, CancellationToken.None);
        }
    }

    private static async Task<BackupRecord> RunAsync(
        ControlPlaneContext context, Envelope envelope, ClusterDefinition cluster, PolicyDefinition? policy, string backupId, CancellationToken cancellationToken)
    {
        var request = (BackupRequested)envelope.Payload;
        var retainFor = policy is { WriteOnceDays: > 0 } ? TimeSpan.FromDays(policy.WriteOnceDays) : (TimeSpan?)null;
        var store = retainFor is { } days ? context.Stores.WriteOnce(days) : context.Stores.Default;
        var backupRequest = new BackupRequest(cluster.Name, policy?.Scope ?? new BackupScope(), request.Policy, backupId,
            context.Stores.Locks ? retainFor : null, request.RequestedBy ?? envelope.CorrelationId)
        {
            // An ad-hoc backup has no 'encrypt:' of its own: it encrypts Secret values whenever keys are configured.
            Encrypt = policy is not null ? context.Configuration.Encryption.ModeFor(policy)
                : context.Configuration.Encryption.Keys.Count > 0 ? Encryption.EncryptionMode.Secrets : Encryption.EncryptionMode.None,
        };
        var startedAt = context.Time.GetUtcNow();
        try
        {
            var client = await context.Clusters.ConnectAsync(cluster, cancellationToken);
            var layers = Layers(context, policy, cluster, client);
            var outcome = await new BackupCapture(client, store, context.History, context.Time, context.Options.Capture with { Keyring = context.Keyring }, layers)
                .RunAsync(backupRequest, context.Options.BackupProgress, cancellationToken);
            return outcome.Record;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Capture records its own failures; a cluster that could not even be reached has no
            // record yet. Either way the run is failed, recorded, and alerted — not redelivered.
            var recorded = await context.History.FindBackupAsync(backupId, CancellationToken.None);
            if (recorded is { Status: not BackupStatus.InProgress })
            {
                return recorded;
            }

            var failed = Ended(backupId, request, BackupStatus.Failed, recorded?.StartedAt ?? startedAt, context.Time.GetUtcNow(),
                $"{Describe(cluster)}: {e.Message}", backupRequest.RequestedBy) with { Scope = backupRequest.Scope.ToSummary() };
            await context.History.SaveBackupAsync(failed, CancellationToken.None);
            return failed;
        }
    }

    /// <summary>
    /// The layers <paramref name="policy"/> adds to the API objects: volume snapshots (beside the objects), then in the
    /// order they run database dumps, CloudNativePG backups, WAL archiver readings, application dumps, and last the etcd
    /// snapshot with the control-plane files (DESIGN's order: objects → dumps → etcd).
    /// </summary>
    private static List<IBackupLayer> Layers(ControlPlaneContext context, PolicyDefinition? policy, ClusterDefinition cluster, Ports.IClusterWriter client)
    {
        var layers = new List<IBackupLayer>();
        if (policy is null)
        {
            return layers;
        }

        var connector = new DatabaseConnector(client, client, context.HostCommands, context.Secrets);
        if (policy.Volumes.Snapshots || policy.Databases.Any(d => d.Consistency is not null))
        {
            // Online-backup sessions (pg_backup_start … pg_backup_stop) only where a target asks for application consistency.
            var online = policy.Databases.Any(d => d.Consistency == VolumeConsistency.Application) ? new PostgresOnlineBackups(_ => connector, context.Time) : null;
            layers.Add(new VolumeLayer(policy.Volumes, policy.Scope, policy.Databases, client, online));
        }

        if (policy.Databases.Count > 0)
        {
            layers.Add(new DatabaseLayer(policy.Databases, connector));
        }

        if (policy.CloudNativePG.Count > 0)
        {
            layers.Add(new CloudNativePgLayer(policy.CloudNativePG, client, context.Options.CloudNativePg, policy.RecoveryPointObjective));
        }

        if (policy.Databases.Any(d => d.Archiving))
        {
            layers.Add(new WalArchiverLayer(policy.Databases, connector, policy.RecoveryPointObjective));
        }

        if (policy.Applications.Count > 0)
        {
            layers.Add(new Applications.ApplicationLayer(policy.Applications, client, client));
        }

        if (policy.Etcd is { } etcd)
        {
            layers.Add(new Etcd.EtcdLayer(etcd, cluster, context.Etcd, client));
        }

        return layers;
    }

    /// <summary>The record of a run that ended without a capture of its own (skipped, or failed before capture recorded it).</summary>
    private static BackupRecord Ended(
        string backupId, BackupRequested request, BackupStatus status, DateTimeOffset startedAt, DateTimeOffset completedAt, string error, string? requestedBy) => new()
    {
        Id = backupId,
        Cluster = request.Cluster,
        Policy = request.Policy,
        Status = status,
        StartedAt = startedAt,
        CompletedAt = completedAt,
        Location = Artifacts.ArtifactLayout.BackupPrefix(request.Cluster, request.Policy, backupId),
        Error = error,
        RequestedBy = requestedBy,
    };

    private static string Describe(ClusterDefinition cluster) =>
        cluster.Server is { } server ? $"cluster {cluster.Name} ({server})" : $"cluster {cluster.Name} (context {cluster.Context})";

    private static async Task AbandonAsync(ControlPlaneContext context, Envelope envelope, string backupId, FunctionResult result, CancellationToken cancellationToken)
    {
        if (await context.History.FindBackupAsync(backupId, cancellationToken) is not { Status: BackupStatus.InProgress } stale)
        {
            return;
        }

        var abandoned = stale with
        {
            Status = BackupStatus.Failed,
            CompletedAt = context.Time.GetUtcNow(),
            Error = "abandoned: the worker stopped before the backup finished and its lease expired",
        };
        await context.History.SaveBackupAsync(abandoned, cancellationToken);
        result.Log($"backup {backupId} recorded as abandoned");
        result.Send(envelope.FollowedBy($"alert-backup-abandoned-{backupId}", context.Time.GetUtcNow(), new AlertRaised(
            AlertSeverity.Warning, "backup-abandoned", $"Backup {backupId} of {stale.Cluster} (policy {stale.Policy}) was abandoned: its worker stopped",
            $"backup-abandoned/{stale.Policy}/{stale.Cluster}", stale.Cluster, stale.Policy, backupId)));
    }

    /// <summary>
    /// What follows a finished backup: BackupCompleted always; VerifyRequested when something was committed; an alert
    /// when not all went well (a partial one lists the items that failed). Incidents are resolved by the verification
    /// that proves the next backup (<see cref="IncidentRecovery"/>), not here.
    /// </summary>
    private static void FollowUp(Envelope request, BackupRecord record, DateTimeOffset now, FunctionResult result)
    {
        result.Send(request.FollowedBy($"completed-{record.Id}", now, new BackupCompleted(
            record.Id, record.Cluster, record.Policy, record.Status, record.StartedAt, record.CompletedAt, record.ObjectCount, record.Location, record.Error)));
        if (record.Status is BackupStatus.Succeeded or BackupStatus.PartiallyFailed)
        {
            result.Send(request.FollowedBy($"verify-{record.Id}", now, new VerifyRequested(record.Id, record.Cluster, record.Policy)));
        }

        var (severity, kind, summary) = record.Status switch
        {
            BackupStatus.Failed => (AlertSeverity.Critical, "backup-failed", $"Backup of {record.Cluster} (policy {record.Policy}) failed: {record.Error}"),
            BackupStatus.PartiallyFailed => (AlertSeverity.Warning, "backup-partial", $"Backup of {record.Cluster} (policy {record.Policy}) missed {record.Problems.Count(p => p.Severity == Results.ProblemSeverity.Error)} item(s)"),
            BackupStatus.Skipped => (AlertSeverity.Warning, "backup-skipped", $"Backup of {record.Cluster} (policy {record.Policy}) was skipped: {record.Error}"),
            _ => (AlertSeverity.Info, "", ""),
        };
        if (kind.Length > 0)
        {
            var (failedItems, more) = Alerts.FailedItemList.From(record.Problems);
            result.Send(request.FollowedBy($"alert-{kind}-{record.Id}", now, new AlertRaised(
                severity, kind, summary, $"{kind}/{record.Policy}/{record.Cluster}", record.Cluster, record.Policy, record.Id,
                FailedItems: failedItems.Count > 0 ? failedItems : null, MoreFailedItems: more > 0 ? more : null)));
        }
    }
}
