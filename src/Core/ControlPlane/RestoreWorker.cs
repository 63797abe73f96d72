using Strata.Core.Kubernetes;
using Strata.Core.Messages;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>strata-restores</c> worker: runs the ordered restore a <see cref="RestoreRequested"/> asks
/// for. The restore id derives from the message id, so a redelivered request finds its run.
/// </summary>
public static class RestoreWorker
{
    /// <summary>The id of the restore <paramref name="envelope"/> asks for, derived from the message id.</summary>
    public static string RestoreIdFor(Envelope envelope) => BackupId.Derive(envelope.CreatedAt, "restore", envelope.Id);

    /// <summary>Who asked for the restore <paramref name="envelope"/> requests: what the request says, else its correlation id.</summary>
    public static string RequestedBy(Envelope envelope) =>
        envelope.Payload is RestoreRequested { RequestedBy: { Length: > 0 } requestedBy } ? requestedBy : envelope.CorrelationId;

    /// <summary>Why <paramref name="request"/> can never run under <paramref name="configuration"/>, or null.</summary>
    public static string? Refusal(Configuration.StrataConfiguration configuration, RestoreRequested request) =>
        configuration.FindCluster(request.TargetCluster) is null ? $"cluster '{request.TargetCluster}' is not in {configuration.Source}" : null;

    /// <summary>Handles one <c>strata-restores</c> message.</summary>
    public static async Task<FunctionResult> HandleAsync(ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        if (await MessageIntake.ReadAsync<RestoreRequested>(context, message, result, cancellationToken) is not { } envelope)
        {
            return result;
        }

        var request = (RestoreRequested)envelope.Payload;
        if (Refusal(context.Configuration, request) is { } refusal)
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type, refusal, result, cancellationToken);
            return result;
        }

        var cluster = context.Configuration.FindCluster(request.TargetCluster)!;

        var restoreId = RestoreIdFor(envelope);
        if (await context.History.FindRestoreAsync(restoreId, cancellationToken) is { } existing)
        {
            result.Log($"restore {restoreId} already {(existing.Status == RestoreStatus.InProgress ? "started" : "ran")} ({existing.Status}); nothing to do");
            if (existing.Status != RestoreStatus.InProgress)
            {
                Alert(envelope, existing, context.Time.GetUtcNow(), result);
            }

            return result;
        }

        // Checked here as well as by the HTTP function: a message put on the queue directly must not restore where the policy forbids.
        if (await RestoreTargets.RefusalAsync(context, request, cancellationToken) is { } forbidden)
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type, forbidden, result, cancellationToken);
            return result;
        }

        NamespaceMapping.TryParse((request.NamespaceMappings ?? new Dictionary<string, string>()).Select(p => $"{p.Key}:{p.Value}"), out var mapping, out _);
        var restoreRequest = new RestoreRequest
        {
            RestoreId = restoreId,
            BackupId = request.BackupId,
            TargetCluster = cluster.Name,
            IncludeNamespaces = request.IncludeNamespaces ?? [],
            Selector = LabelSelector.Parse(request.Selector),
            NamespaceMapping = mapping,
            ExistingResourcePolicy = request.ExistingObjects,
            DryRun = request.DryRun,
            RequestedBy = RequestedBy(envelope),
        };
        RestoreRecord record;
        try
        {
            var client = await context.Clusters.ConnectAsync(cluster, cancellationToken);
            record = await new BackupRestore(client, context.Stores.Default, context.History, context.Time, context.RestoreOptions)
                .RunAsync(restoreRequest, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            record = await context.History.FindRestoreAsync(restoreId, CancellationToken.None) is { Status: not RestoreStatus.InProgress } recorded
                ? recorded
                : new RestoreRecord
                {
                    Id = restoreId,
                    BackupId = request.BackupId,
                    TargetCluster = cluster.Name,
                    Status = RestoreStatus.Failed,
                    DryRun = request.DryRun,
                    StartedAt = context.Time.GetUtcNow(),
                    CompletedAt = context.Time.GetUtcNow(),
                    Options = restoreRequest.ToSummary(),
                    Error = $"cluster {cluster.Name}: {e.Message}",
                    RequestedBy = restoreRequest.RequestedBy,
                };
            await context.History.SaveRestoreAsync(record, CancellationToken.None);
        }

        result.Log($"restore {record.Id} of backup {record.BackupId} into {record.TargetCluster}: {record.Status}" + (record.Error is null ? "" : $"; {record.Error}"));
        Alert(envelope, record, context.Time.GetUtcNow(), result);
        return result;
    }

    private static void Alert(Envelope request, RestoreRecord record, DateTimeOffset now, FunctionResult result)
    {
        var (severity, kind) = record.Status switch
        {
            RestoreStatus.Failed => (AlertSeverity.Critical, "restore-failed"),
            RestoreStatus.PartiallyFailed => (AlertSeverity.Warning, "restore-partial"),
            _ => (AlertSeverity.Info, ""),
        };
        if (kind.Length > 0)
        {
            // The objects that were not restored, then the run's other errors: what on-call looks at first.
            var (failedItems, more) = Alerts.FailedItemList.Of(record.Items
                .Where(i => i.Outcome == RestoreItemOutcome.Failed)
                .Select(i => $"{i.Resource}{(i.Namespace is null ? "" : $" in {i.Namespace}")}: {i.Name}" + (i.Message is null ? "" : $": {i.Message}"))
                .Concat(record.Problems.Where(p => p.Severity == Results.ProblemSeverity.Error).Select(p => $"{p.Location}: {p.Message}")));
            result.Send(request.FollowedBy($"alert-{kind}-{record.Id}", now, new AlertRaised(
                severity, kind, $"Restore {record.Id} of backup {record.BackupId} into {record.TargetCluster}: {record.Status}" + (record.Error is null ? "" : $": {record.Error}"),
                $"{kind}/{record.TargetCluster}/{record.Id}", record.TargetCluster, RunId: record.Id,
                FailedItems: failedItems.Count > 0 ? failedItems : null, MoreFailedItems: more > 0 ? more : null)));
        }
    }
}
