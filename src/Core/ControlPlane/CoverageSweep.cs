using Strata.Core.Alerts;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>coverage</c> timer: surveys every configured cluster (<see cref="CoverageSurvey"/>), keeps the latest report of
/// each (<see cref="IControlState.SaveCoverageAsync"/>, for the status page), and raises one warning per cluster that has
/// unprotected stateful things — at most once per UTC day, however often the timer fires (a restarted <c>strata run</c>
/// runs its timers at once) — listing them; the incident resolves when a survey finds the cluster fully covered again.
/// A cluster that cannot be reached keeps its incident as it is: nothing was learnt.
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

        // One cluster at a time: a survey holds one cluster's claims and workloads in memory, and a daily pass has time.
        foreach (var cluster in context.Configuration.Clusters)
        {
            var report = await CoverageSurvey.RunAsync(context.Configuration, cluster, context.Clusters, context.Time, cancellationToken);
            await context.State.SaveCoverageAsync(report, cancellationToken);
            if (report.Error is { } error)
            {
                result.Log($"coverage: {cluster.Name}: not surveyed: {error}");
                continue;
            }

            var unprotected = report.Unprotected.ToList();
            result.Log($"coverage: {cluster.Name}: {report.Entries.Count} stateful thing(s), {unprotected.Count} unprotected");
            var key = DedupKey(cluster.Name);
            if (unprotected.Count == 0)
            {
                await IncidentRecovery.ResolveIfOpenAsync(context, key, _ => Task.FromResult(true),
                    open => Message(report.SurveyedAt, $"resolve-coverage-{cluster.Name}-{open.LastRaisedAt.UtcTicks}",
                        new AlertResolved(key, $"Every stateful thing in {cluster.Name} is protected or rebuildable again ({report.Entries.Count} surveyed)", cluster.Name)),
                    result, cancellationToken);
                continue;
            }

            if (await context.State.FindAlertAsync(key, cancellationToken) is { Status: IncidentStatus.Open } open && open.LastRaisedAt.UtcDateTime.Date == report.SurveyedAt.UtcDateTime.Date)
            {
                continue; // raised today already: once a day is enough for something that waits for a person
            }

            var lines = unprotected.Select(e => $"{Where(e)} ({e.Kind}): {e.Reason}").ToList();
            // The day in the id too: a second pass on the same day is the same message (duplicate detection, and one count).
            result.Send(Message(report.SurveyedAt, $"alert-coverage-{cluster.Name}-{report.SurveyedAt.UtcDateTime:yyyyMMdd}", new AlertRaised(
                AlertSeverity.Warning, Kind,
                $"{unprotected.Count} stateful thing(s) in {cluster.Name} are not protected by any policy: {string.Join(", ", unprotected.Take(3).Select(Where))}{(unprotected.Count > 3 ? ", …" : "")}",
                key, cluster.Name,
                FailedItems: lines.Take(FailedItemList.Shown).ToList(), MoreFailedItems: Math.Max(0, lines.Count - FailedItemList.Shown))));
        }

        return result;
    }

    private static string Where(CoverageEntry entry) => entry.Namespace is { } ns ? $"{ns}/{entry.Name}" : entry.Name;

    private static Envelope Message(DateTimeOffset now, string id, MessagePayload payload) =>
        new(id.Length <= MessageCodec.MaxIdLength ? id : id[..MessageCodec.MaxIdLength], "coverage", now, payload);
}
