using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Drills;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The restore drills of the <c>strata-verifications</c> worker (<see cref="VerificationKind.Drill"/>):
/// the verified backup named, restored by <see cref="DrillRun"/> as the policy's <c>verification.drill</c>
/// says, recorded, and alerted when it fails or is slower than the policy's RTO. Idempotent: the drill id
/// derives from the request (the drill schedule's occurrence, or the message id), so a redelivered request
/// finds its drill and only repeats its alerts. One drill per (policy, cluster) at a time: a lease.
/// </summary>
public static class DrillWorker
{
    /// <summary>How much longer than the drill's timeout its lease lasts: the restore before the wait, and clean-up after it.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(30);

    /// <summary>The <see cref="DrillRecord.Target"/> of an etcd rebuild drill: it restores into no cluster, but on the runner.</summary>
    public const string EtcdRebuildTarget = "runner";

    /// <summary>The id of the drill <paramref name="envelope"/> asks for.</summary>
    public static string DrillIdFor(Envelope envelope) => envelope.Payload is VerifyRequested { ScheduledFor: { } scheduledFor } request
        ? DrillTick.ScheduledDrillId(request.Policy, request.Cluster, scheduledFor)
        : BackupId.Derive(envelope.CreatedAt, "drill", envelope.Id);

    /// <summary>Who asked for the drill: the request says (an HTTP caller's identity), else the drill schedule, or the request's correlation id.</summary>
    public static string RequestedBy(Envelope envelope) => envelope.Payload is VerifyRequested { RequestedBy: { } requestedBy }
        ? requestedBy
        : envelope.Payload is VerifyRequested { ScheduledFor: not null } ? "drill-tick" : envelope.CorrelationId;

    /// <summary>Why the drill <paramref name="request"/> asks for can never run, or null.</summary>
    public static string? Refusal(StrataConfiguration configuration, VerifyRequested request, BackupRecord? backup)
    {
        var policy = configuration.FindPolicy(request.Policy);
        var settings = policy?.Verification.Drill;
        var target = settings?.Target ?? request.Cluster;

        // An etcd rebuild drill restores into no cluster: no target to find.
        return backup is null ? $"backup {request.BackupId} is not in the run history"
            : backup.Cluster != request.Cluster || backup.Policy != request.Policy
                ? $"backup {request.BackupId} belongs to cluster '{backup.Cluster}' and policy '{backup.Policy}', not '{request.Cluster}' and '{request.Policy}'"
            : policy is null ? $"policy '{request.Policy}' is not in {configuration.Source}"
            : settings is null ? $"policy '{request.Policy}' has no verification.drill in {configuration.Source}: nothing says how to drill it"
            : settings.Mode != DrillMode.EtcdRestore && configuration.FindCluster(target) is null ? $"cluster '{target}', the drill's target, is not in {configuration.Source}"
            : !backup.IsVerified ? $"backup {request.BackupId} is {backup.Status}{(backup.ExpiredAt is null ? "" : " and expired")}: only verified backups are drilled"
            : null;
    }

    /// <summary>Handles a <see cref="VerificationKind.Drill"/> request that the verify worker has read.</summary>
    public static async Task<FunctionResult> HandleAsync(
        ControlPlaneContext context, InboundMessage message, Envelope envelope, FunctionResult result, CancellationToken cancellationToken = default)
    {
        var request = (VerifyRequested)envelope.Payload;
        var backup = await context.History.FindBackupAsync(request.BackupId, cancellationToken);
        if (Refusal(context.Configuration, request, backup) is { } refusal)
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type, refusal, result, cancellationToken);
            return result;
        }

        var settings = context.Configuration.FindPolicy(request.Policy)!.Verification.Drill!;
        var targetName = settings.Mode == DrillMode.EtcdRestore ? EtcdRebuildTarget : settings.Target ?? request.Cluster;
        var drillId = DrillIdFor(envelope);
        var existing = await context.History.FindDrillAsync(drillId, cancellationToken);
        if (existing is { Status: not DrillStatus.InProgress })
        {
            result.Log($"drill {drillId} already ran ({existing.Status}); repeating its alerts only");
            await FollowUpAsync(context, envelope, existing, result, cancellationToken);
            return result;
        }

        var leaseKey = $"drill/{request.Policy}/{request.Cluster}";
        var now = context.Time.GetUtcNow();
        var lease = await context.State.TryAcquireLeaseAsync(leaseKey, drillId, now, settings.BoundedTimeout + LeaseMargin, cancellationToken);
        if (!lease.Acquired)
        {
            var skipped = await SkipAsync(context, backup!, settings, targetName, drillId, RequestedBy(envelope),
                $"drill {lease.Holder} of policy {request.Policy} on {request.Cluster} is running (lease until {lease.ExpiresAt:O})", cancellationToken);
            result.Log($"drill {drillId} not run: {skipped.Error}");
            return result;
        }

        if (lease.Renewed && !(existing is not null && now - existing.StartedAt > settings.BoundedTimeout + LeaseMargin))
        {
            result.Log($"drill {drillId} is running in another invocation (lease until {lease.ExpiresAt:O}); nothing to do");
            return result;
        }

        // From here the lease is this drill's. One that started longer ago than any drill lasts has a dead worker (its
        // redelivery renewed the lease): RunAsync abandons it rather than waiting for it.
        DrillRecord drill;
        using var span = Telemetry.StrataActivities.Start("drill", request.Cluster, request.Policy, request.BackupId)?.SetTag(Telemetry.StrataActivities.DrillIdTag, drillId);
        try
        {
            if (lease.TakenOverFrom is { } previous && previous != drillId)
            {
                await AbandonPreviousAsync(context, envelope, previous, settings, result, cancellationToken);
            }

            drill = settings.Mode == DrillMode.EtcdRestore
                ? await RunEtcdAsync(context, envelope, backup!, settings, drillId, existing, cancellationToken)
                : await RunAsync(context, envelope, backup!, settings, context.Configuration.FindCluster(targetName)!, drillId, existing, cancellationToken);
        }
        catch (Exception e)
        {
            Telemetry.StrataActivities.Fail(span, e);
            throw;
        }
        finally
        {
            await context.State.ReleaseLeaseAsync(leaseKey, drillId, CancellationToken.None);
        }

        span?.SetTag(Telemetry.StrataActivities.StatusTag, drill.Status.ToString());
        if (drill.Status == DrillStatus.Failed)
        {
            Telemetry.StrataActivities.Fail(span, drill.Error ?? "the drill failed");
        }

        result.Log($"drill {drill.Id} of backup {drill.BackupId} ({drill.Policy}/{drill.Cluster}) into {drill.Target}, {drill.Mode}: {drill.Status}"
            + (drill.RtoSeconds is { } rto ? $", RTO {rto:0.0} s" : "") + (drill.Error is null ? "" : $"; {drill.Error}"));
        await FollowUpAsync(context, envelope, drill, result, cancellationToken);
        return result;
    }

    /// <summary>Records a drill refused because another drill of the pair holds the lease: the history shows it was asked for.</summary>
    private static async Task<DrillRecord> SkipAsync(
        ControlPlaneContext context, BackupRecord backup, DrillSettings settings, string target, string drillId, string requestedBy, string reason,
        CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var skipped = new DrillRecord
        {
            Id = drillId,
            BackupId = backup.Id,
            Policy = backup.Policy,
            Cluster = backup.Cluster,
            Target = target,
            Mode = settings.Mode,
            Status = DrillStatus.Skipped,
            StartedAt = now,
            CompletedAt = now,
            RtoObjectiveSeconds = settings.RecoveryTimeObjective?.TotalSeconds,
            Error = reason,
            RequestedBy = requestedBy,
        };
        await context.History.SaveDrillAsync(skipped, cancellationToken);
        return skipped;
    }

    /// <summary>
    /// The lease was taken over from drill <paramref name="previousId"/>: its worker died. It is recorded as abandoned
    /// (and pages), and its scratch namespaces are deleted, as its own redelivery would have done.
    /// </summary>
    private static async Task AbandonPreviousAsync(
        ControlPlaneContext context, Envelope envelope, string previousId, DrillSettings settings, FunctionResult result, CancellationToken cancellationToken)
    {
        if (await context.History.FindDrillAsync(previousId, cancellationToken) is not { Status: DrillStatus.InProgress } previous)
        {
            return;
        }

        DrillRecord abandoned;
        if (previous.Mode == DrillMode.EtcdRestore)
        {
            // Its throwaway etcd ran on its worker, gone with it: nothing in a cluster to clean up.
            abandoned = await RecordAbandonedAsync(context, previous, "");
        }
        else if (context.Configuration.FindCluster(previous.Target) is { } target)
        {
            try
            {
                var cluster = await context.Clusters.ConnectAsync(target, cancellationToken);
                var run = new DrillRun(cluster, context.Stores.Default, context.History, context.Time, context.Options.Drill with { Restore = context.RestoreOptions });
                abandoned = await run.AbandonAsync(previous, settings, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                abandoned = await RecordAbandonedAsync(context, previous, $"; its scratch namespaces could not be deleted: cluster {target.Name}: {e.Message}");
            }
        }
        else
        {
            abandoned = await RecordAbandonedAsync(context, previous, $"; its target '{previous.Target}' is no longer in {context.Configuration.Source}");
        }

        result.Log($"drill {abandoned.Id} abandoned: its lease expired and was taken over by {DrillIdFor(envelope)}");
        await FollowUpAsync(context, envelope, abandoned, result, cancellationToken);
    }

    private static async Task<DrillRecord> RecordAbandonedAsync(ControlPlaneContext context, DrillRecord previous, string why)
    {
        var abandoned = previous with
        {
            Status = DrillStatus.Failed,
            CompletedAt = context.Time.GetUtcNow(),
            KeptNamespaces = [.. previous.Namespaces.Values],
            Error = "abandoned: its worker stopped before the drill finished, and its lease expired" + why,
        };
        await context.History.SaveDrillAsync(abandoned, CancellationToken.None);
        return abandoned;
    }

    private static async Task<DrillRecord> RunAsync(
        ControlPlaneContext context, Envelope envelope, BackupRecord backup, DrillSettings settings, ClusterDefinition targetCluster, string drillId,
        DrillRecord? stale, CancellationToken cancellationToken)
    {
        var startedAt = context.Time.GetUtcNow();
        try
        {
            var target = await context.Clusters.ConnectAsync(targetCluster, cancellationToken);
            var run = new DrillRun(target, context.Stores.Default, context.History, context.Time, context.Options.Drill with { Restore = context.RestoreOptions });
            if (stale is not null)
            {
                // Its worker died and its lease ran out: its scratch namespaces are named after its id, so it is
                // recorded as abandoned (and cleaned up) rather than run again.
                return await run.AbandonAsync(stale, settings, cancellationToken);
            }

            var drillRequest = new DrillRequest
            {
                DrillId = drillId,
                Backup = backup,
                Target = targetCluster.Name,
                Settings = settings,
                RequestedBy = RequestedBy(envelope),
            };
            var drill = await run.RunAsync(drillRequest, context.Options.DrillProgress, cancellationToken);
            return await DrillDatabasesAsync(context, backup, drill, drillRequest.ShortId, settings, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A target that cannot be reached is a failed drill (recorded, alerted), not a reason to redeliver.
            if (await context.History.FindDrillAsync(drillId, CancellationToken.None) is { Status: not DrillStatus.InProgress } recorded)
            {
                return recorded;
            }

            var failed = new DrillRecord
            {
                Id = drillId,
                BackupId = backup.Id,
                Policy = backup.Policy,
                Cluster = backup.Cluster,
                Target = targetCluster.Name,
                Mode = settings.Mode,
                Status = DrillStatus.Failed,
                StartedAt = stale?.StartedAt ?? startedAt,
                CompletedAt = context.Time.GetUtcNow(),
                RtoObjectiveSeconds = settings.RecoveryTimeObjective?.TotalSeconds,
                Namespaces = stale?.Namespaces ?? new Dictionary<string, string>(),
                KeptNamespaces = stale is null ? [] : [.. stale.Namespaces.Values],
                Error = $"cluster {targetCluster.Name}: {e.Message}",
                RequestedBy = RequestedBy(envelope),
            };
            await context.History.SaveDrillAsync(failed, CancellationToken.None);
            return failed;
        }
    }

    /// <summary>
    /// An etcd rebuild drill (<see cref="DrillMode.EtcdRestore"/>): the backup's snapshot rebuilt on this host by
    /// <see cref="Etcd.EtcdRebuildDrill"/> within the drill's timeout — or only its integrity checked where the host has no
    /// etcd tools — and recorded. No cluster is touched; its RTO is the rebuild's (download, restore, start, check).
    /// </summary>
    private static async Task<DrillRecord> RunEtcdAsync(
        ControlPlaneContext context, Envelope envelope, BackupRecord backup, DrillSettings settings, string drillId, DrillRecord? stale,
        CancellationToken cancellationToken)
    {
        if (stale is not null)
        {
            // Its worker died with its throwaway etcd: recorded as abandoned rather than run again.
            return await RecordAbandonedAsync(context, stale, "");
        }

        var drill = new DrillRecord
        {
            Id = drillId,
            BackupId = backup.Id,
            Policy = backup.Policy,
            Cluster = backup.Cluster,
            Target = EtcdRebuildTarget,
            Mode = DrillMode.EtcdRestore,
            Status = DrillStatus.InProgress,
            StartedAt = context.Time.GetUtcNow(),
            RtoObjectiveSeconds = settings.RecoveryTimeObjective?.TotalSeconds,
            RequestedBy = RequestedBy(envelope),
        };
        await context.History.SaveDrillAsync(drill, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.BoundedTimeout);
        DrillRecord finished;
        try
        {
            using var opened = await Artifacts.BackupOpening.OpenAsync(context.Stores.Default, backup.Location, context.Keyring, context.RestoreOptions.SignatureRequiredFor(backup), deadline.Token);
            drill = drill with { Signature = opened?.Signature };
            var result = opened is not null
                ? await new Etcd.EtcdRebuildDrill(opened.Artifacts, context.EtcdRehearsals, context.Etcd, context.Time)
                    .RunAsync(opened.Manifest, backup.Location, $"strata-drill-{(drillId.Length > 6 ? drillId[^6..] : drillId)}", deadline.Token)
                : null;
            finished = result is null
                ? drill with { Status = DrillStatus.Failed, Error = $"backup {backup.Id} has no manifest at {backup.Location}" }
                : drill with
                {
                    Etcd = result,
                    Status = result.Passed ? DrillStatus.Passed : DrillStatus.Failed,
                    RtoSeconds = result.RtoSeconds,
                    Error = result.Problems.Count == 0 ? null : result.Problems[0] + (result.Problems.Count > 1 ? $" (and {result.Problems.Count - 1} more)" : ""),
                    Warnings = result.IntegrityOnlyBecause is { } why ? [$"only the snapshot's integrity was checked: {why}"] : [],
                };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"the etcd rebuild took longer than the drill's timeout ({settings.BoundedTimeout})" : e.Message;
            finished = drill with { Status = DrillStatus.Failed, Error = why };
        }

        finished = finished with { CompletedAt = context.Time.GetUtcNow() };
        await context.History.SaveDrillAsync(finished, CancellationToken.None);
        return finished;
    }

    /// <summary>
    /// The database part of a drill, for a policy that dumps databases: each dump restored into a scratch database on its
    /// own server (reached through the backup's cluster) or on the drill server its target names (through that server's
    /// cluster, else the drill's target cluster; a direct one without a passwordSecret through none), the queries run,
    /// the RTO measured. A failed database drill fails the drill; the drill's RTO is the slowest of its parts (they would
    /// run side by side in a recovery).
    /// </summary>
    private static async Task<DrillRecord> DrillDatabasesAsync(
        ControlPlaneContext context, BackupRecord backup, DrillRecord drill, string shortId, DrillSettings settings, CancellationToken cancellationToken)
    {
        var targets = context.Configuration.FindPolicy(backup.Policy)?.Databases ?? [];
        if (targets.Count == 0 || drill.Status == DrillStatus.Skipped || settings.Mode == DrillMode.DryRun
            || await Artifacts.ManifestFile.ReadAsync(context.Stores.Default, backup.Location, cancellationToken) is not { Databases.Count: > 0 })
        {
            // A dry run persists nothing, so it restores no database either.
            return drill;
        }

        // Until its databases are drilled the drill is not over: a worker that dies meanwhile leaves it InProgress.
        var finished = drill;
        await context.History.SaveDrillAsync(drill with { Status = DrillStatus.InProgress, CompletedAt = null }, cancellationToken);
        IReadOnlyList<Databases.DatabaseDrillResult> results;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.BoundedTimeout);
        try
        {
            // Opened (its signature checked, its dumps decrypted as they are read) like the objects the drill restored.
            using var opened = await Artifacts.BackupOpening.OpenAsync(context.Stores.Default, backup.Location, context.Keyring, context.RestoreOptions.SignatureRequiredFor(backup), deadline.Token)
                ?? throw new InvalidDataException($"backup {backup.Id} has no manifest at {backup.Location}");
            async Task<Databases.DatabaseConnector> ConnectorFor(Databases.DatabaseDrillServer? server, CancellationToken ct)
            {
                // A direct drill server (the tools run on this host) needs a cluster only to read its passwordSecret:
                // without one, its cluster is not connected to, so an unreachable one does not fail its drill.
                if (server is { Executor: Databases.DatabaseExecutor.Direct, PasswordSecret: null })
                {
                    return new Databases.DatabaseConnector(null, null, context.HostCommands, context.Secrets);
                }

                // A target's own server is on the backup's cluster; a drill server on the cluster it names, else the drill's target.
                var name = server?.ClusterFor(backup.Cluster, settings.Target) ?? backup.Cluster;
                try
                {
                    var client = await context.Clusters.ConnectAsync(context.Configuration.FindCluster(name)!, ct);
                    return new Databases.DatabaseConnector(client, client, context.HostCommands, context.Secrets);
                }
                catch (Exception e) when (server is not null && e is not OperationCanceledException)
                {
                    throw new Databases.DatabaseTargetException($"the drill server's cluster {name} cannot be reached: {e.Message}", e);
                }
            }

            results = await new Databases.DatabaseDrill(ConnectorFor, opened.Artifacts, context.Time)
                .RunAsync(opened.Manifest, backup.Location, targets, drill.Id, shortId, settings.KeepOnFailure, deadline.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"the database drill took longer than the drill's timeout ({settings.BoundedTimeout})" : e.Message;
            var failedDrill = finished with { Status = DrillStatus.Failed, RtoSeconds = null, Error = finished.Error ?? why, CompletedAt = context.Time.GetUtcNow() };
            await context.History.SaveDrillAsync(failedDrill, CancellationToken.None);
            return failedDrill;
        }

        var failed = results.Where(r => !r.Passed).ToList();
        var passed = drill.Status == DrillStatus.Passed && failed.Count == 0;
        var withDatabases = finished with
        {
            Databases = results,
            Status = passed ? drill.Status : DrillStatus.Failed,
            RtoSeconds = passed ? results.Select(r => r.RtoSeconds ?? 0).Append(drill.RtoSeconds ?? 0).Max() : null,
            Error = drill.Error ?? (failed.Count == 0 ? null
                : $"database drill of {string.Join(", ", failed.Select(f => $"{f.Target}/{f.Database}"))} failed: {failed[0].Error}"),
            CompletedAt = context.Time.GetUtcNow(),
        };
        await context.History.SaveDrillAsync(withDatabases, CancellationToken.None);
        return withDatabases;
    }

    /// <summary>
    /// A failed drill pages (critical): the backup could not be shown to restore; a drill slower than the RTO warns. A
    /// passed drill ends the pair's open drill incidents raised before it ended (the RTO one only when it was fast enough),
    /// so a replayed older drill never ends a newer failure.
    /// </summary>
    private static async Task FollowUpAsync(ControlPlaneContext context, Envelope request, DrillRecord drill, FunctionResult result, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var what = drill.Mode == DrillMode.EtcdRestore
            ? $"Rebuild drill {drill.Id} of the etcd snapshot of backup {drill.BackupId} ({drill.Cluster}, policy {drill.Policy})"
            : $"Restore drill {drill.Id} of backup {drill.BackupId} ({drill.Cluster}, policy {drill.Policy}) into {drill.Target}";
        var (failedItems, more) = FailedItemList.Of(drill.Refused.Select(r => $"refused: {r.Object}: {r.Reason}")
            .Concat(drill.Assertions.Where(a => !a.Passed).Select(a => $"unmet: {a.What} (last seen: {a.LastSeen})"))
            .Concat(drill.Databases.Where(d => !d.Passed).Select(d => $"database {d.Target}/{d.Database}: {d.Error}"))
            .Concat((drill.Etcd?.Problems ?? []).Select(p => $"etcd: {p}")));
        if (drill.Status == DrillStatus.Failed)
        {
            result.Send(request.FollowedBy($"alert-drill-failed-{drill.Id}", now, new AlertRaised(
                AlertSeverity.Critical, "drill-failed", $"{what} failed: {drill.Error}", DedupKey("drill-failed", drill), drill.Cluster, drill.Policy, drill.Id,
                Details(drill), failedItems.Count > 0 ? failedItems : null, more > 0 ? more : null)));
            return;
        }

        if (drill.Status != DrillStatus.Passed)
        {
            return;
        }

        if (drill.ExceededObjective)
        {
            result.Send(request.FollowedBy($"alert-drill-rto-exceeded-{drill.Id}", now, new AlertRaised(
                AlertSeverity.Warning, "drill-rto-exceeded",
                $"{what} recovered in {drill.RtoSeconds:0.0} s, over the RTO objective of {DurationText.Format(TimeSpan.FromSeconds(drill.RtoObjectiveSeconds!.Value))}",
                DedupKey("drill-rto-exceeded", drill), drill.Cluster, drill.Policy, drill.Id, Details(drill))));
        }

        foreach (var kind in drill.ExceededObjective ? ["drill-failed"] : new[] { "drill-failed", "drill-rto-exceeded" })
        {
            var key = DedupKey(kind, drill);
            if (await context.State.FindAlertAsync(key, cancellationToken) is { Status: IncidentStatus.Open } open && open.LastRaisedAt <= (drill.CompletedAt ?? now))
            {
                result.Send(request.FollowedBy($"resolve-{kind}-{drill.Id}", now, new AlertResolved(
                    key, $"{what} passed" + (drill.RtoSeconds is { } rto ? $", recovering in {rto:0.0} s" : ""), drill.Cluster, drill.Policy, drill.Id)));
            }
        }
    }

    private static string DedupKey(string kind, DrillRecord drill) => $"{kind}/{drill.Policy}/{drill.Cluster}";

    /// <summary>The drill's facts: target, mode, backup, RTO, kept namespaces (what failed goes in the alert's failed items).</summary>
    private static Dictionary<string, string> Details(DrillRecord drill)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["target"] = drill.Target,
            ["mode"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(drill.Mode.ToString()),
            ["backupId"] = drill.BackupId,
        };
        if (drill.RtoSeconds is { } rto)
        {
            details["rtoSeconds"] = rto.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (drill.KeptNamespaces.Count > 0)
        {
            details["keptNamespaces"] = string.Join(", ", drill.KeptNamespaces);
        }

        return details;
    }
}
