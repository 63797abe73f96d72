using Strata.Core.Alerts;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Telemetry;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>coverage</c> timer: surveys every configured cluster (<see cref="CoverageSurvey"/>), keeps the latest report of
/// each (<see cref="IControlState.SaveCoverageAsync"/>, for the status page), and raises one warning per cluster that has
/// unprotected stateful things — at most once per UTC day, however often the timer fires (a restarted <c>strata run</c>
/// runs its timers at once) — listing them; the incident resolves when a survey finds the cluster fully covered again.
/// A cluster that cannot be reached keeps its incident and its last good report as they are (the failure is recorded
/// beside the report): nothing was learnt. The incident of a cluster removed from strata.yaml is resolved.
/// </summary>
public static class CoverageSweep
{
    /// <summary>The alert's kind.</summary>
    public const string Kind = "coverage-unprotected";

    /// <summary>The incident of <paramref name="cluster"/>: one per cluster, whatever the policies.</summary>
    public static string DedupKey(string cluster) => $"{Kind}/{cluster}";

    /// <summary>Runs one pass.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var stored = await StoredAsync(context, result, cancellationToken);
        var saved = 0;
        Exception? saveFailure = null;

        // One cluster at a time: a survey holds one cluster's claims and workloads in memory, and a daily pass has time.
        foreach (var cluster in context.Configuration.Clusters)
        {
            var survey = await CoverageSurvey.RunAsync(context.Configuration, cluster, context.Clusters, context.Time, cancellationToken);
            try
            {
                if (Kept(survey, stored) is { } report)
                {
                    await context.State.SaveCoverageAsync(report, cancellationToken);
                    saved++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A store failure costs this cluster's page entry, not the pass: its alert still goes, the others are surveyed.
                saveFailure ??= e;
                result.Log($"coverage: {cluster.Name}: report not saved: {AddressRedaction.Redact(e.Message)}");
            }

            try
            {
                await AlertAsync(context, survey, result, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Log($"coverage: {cluster.Name}: incident not updated: {AddressRedaction.Redact(e.Message)}");
            }
        }

        await ResolveRemovedAsync(context, result, cancellationToken);

        // Not one report could be saved: the store is away, so the dispatcher could not record these alerts either and the
        // page would go on showing old reports as if nothing happened. Fail, so the host retries the pass (the alerts' ids
        // are the same on a retry the same day, so one that did get through is not repeated). Some saved: the pass did its
        // work, and the failures are in the log.
        if (saved == 0 && saveFailure is not null)
        {
            throw new InvalidOperationException($"coverage: no cluster's report could be saved: {AddressRedaction.Redact(saveFailure.Message)}", saveFailure);
        }

        return result;
    }

    /// <summary>The stored reports by cluster; null when they could not be read (a failed survey then saves nothing).</summary>
    private static async Task<Dictionary<string, CoverageReport>?> StoredAsync(ControlPlaneContext context, FunctionResult result, CancellationToken cancellationToken)
    {
        try
        {
            var all = await context.State.ListCoverageAsync(cancellationToken).ToListAsync(cancellationToken);
            return all.ToDictionary(r => r.Cluster, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Log($"coverage: the stored reports could not be read: {AddressRedaction.Redact(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// What to store of <paramref name="survey"/>: itself when it finished; when it failed, the last good report with the
    /// failure beside it (a failed survey learnt nothing, so it must not replace what is known with "0 unprotected"), or the
    /// failure alone when there is none; null when the stored reports could not be read and the survey failed.
    /// </summary>
    private static CoverageReport? Kept(CoverageReport survey, Dictionary<string, CoverageReport>? stored) => survey.Error is null
        ? survey
        : stored is null ? null
        : stored.TryGetValue(survey.Cluster, out var last) ? last.AfterFailedSurvey(survey) : survey;

    private static async Task AlertAsync(ControlPlaneContext context, CoverageReport report, FunctionResult result, CancellationToken cancellationToken)
    {
        var cluster = report.Cluster;
        if (report.Error is { } error)
        {
            result.Log($"coverage: {cluster}: not surveyed: {error}");
            return;
        }

        var unprotected = report.Unprotected.ToList();
        result.Log($"coverage: {cluster}: {report.Entries.Count} stateful thing(s), {unprotected.Count} unprotected");
        var key = DedupKey(cluster);
        if (unprotected.Count == 0)
        {
            await IncidentRecovery.ResolveIfOpenAsync(context, key, _ => Task.FromResult(true),
                open => Message(report.SurveyedAt, $"resolve-coverage-{cluster}-{open.LastRaisedAt.UtcTicks}",
                    new AlertResolved(key, $"Every stateful thing in {cluster} is protected or rebuildable again ({report.Entries.Count} surveyed)", cluster)),
                result, cancellationToken);
            return;
        }

        var incident = await context.State.FindAlertAsync(key, cancellationToken);
        if (incident is { Status: IncidentStatus.Open } open && open.LastRaisedAt.UtcDateTime.Date == report.SurveyedAt.UtcDateTime.Date)
        {
            return; // raised today already: once a day is enough for something that waits for a person
        }

        var lines = unprotected.Select(e => $"{Where(e)} ({e.Kind}): {e.Reason}").ToList();
        // The day and the incident's generation (when it last resolved; 0 while it never did) in the id: a second pass on
        // the same day against the same incident is the same message (duplicate detection, and one count), but a raise after
        // a resolve the same day is a new one — Service Bus would otherwise drop it as a duplicate for the rest of the day.
        var generation = incident is { Status: IncidentStatus.Resolved, ResolvedAt: { } resolvedAt } ? resolvedAt.UtcTicks : 0;
        result.Send(Message(report.SurveyedAt, $"alert-coverage-{cluster}-{report.SurveyedAt.UtcDateTime:yyyyMMdd}-{generation}", new AlertRaised(
            AlertSeverity.Warning, Kind,
            $"{unprotected.Count} stateful thing(s) in {cluster} are not protected by any policy: {string.Join(", ", unprotected.Take(3).Select(Where))}{(unprotected.Count > 3 ? ", …" : "")}",
            key, cluster,
            FailedItems: lines.Take(FailedItemList.Shown).ToList(), MoreFailedItems: Math.Max(0, lines.Count - FailedItemList.Shown))));
    }

    /// <summary>
    /// Resolves the open coverage incidents of clusters no longer in strata.yaml: no survey will ever find them covered, so
    /// nothing else would close them.
    /// </summary>
    private static async Task ResolveRemovedAsync(ControlPlaneContext context, FunctionResult result, CancellationToken cancellationToken)
    {
        var configured = context.Configuration.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            await foreach (var incident in context.State.ListAlertsAsync(cancellationToken))
            {
                if (incident is { Kind: Kind, Status: IncidentStatus.Open, Cluster: { } cluster } && !configured.Contains(cluster))
                {
                    result.Log($"coverage: {cluster}: no longer in strata.yaml; its incident is resolved");
                    result.Send(Message(context.Time.GetUtcNow(), $"resolve-coverage-{cluster}-{incident.LastRaisedAt.UtcTicks}",
                        new AlertResolved(incident.DedupKey, $"Cluster {cluster} is no longer in strata.yaml: its coverage is no longer surveyed", cluster)));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Log($"coverage: the incidents of removed clusters could not be listed: {AddressRedaction.Redact(e.Message)}");
        }
    }

    private static string Where(CoverageEntry entry) => entry.Namespace is { } ns ? $"{ns}/{entry.Name}" : entry.Name;

    private static Envelope Message(DateTimeOffset now, string id, MessagePayload payload) =>
        new(id.Length <= MessageCodec.MaxIdLength ? id : id[..MessageCodec.MaxIdLength], "coverage", now, payload);
}
