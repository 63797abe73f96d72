using System.Security.Cryptography;
using System.Text;
using Strata.Core.Freshness;
using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The freshness timer's watch over WAL archivers (<see cref="WalArchiverSurvey"/>): an archiver that fails or is
/// stale (<see cref="WalArchiving.Judge"/>) raises a critical <see cref="WalArchiving.Kind"/> alert, one incident per
/// (policy, cluster, archiver), like a missed backup; a healthy reading resolves it. One that cannot be read is logged
/// and raises a warning (<see cref="WalArchiving.UnreadableKind"/>) that the next reading resolves, and the pass goes on.
/// </summary>
public static class WalArchivingWatch
{
    /// <summary>Reads and judges every watched archiver; adds the dedup keys it raised to <paramref name="sent"/>.</summary>
    public static async Task RunAsync(ControlPlaneContext context, DateTimeOffset now, FunctionResult result, ISet<string> sent, CancellationToken cancellationToken = default)
    {
        foreach (var policy in context.Configuration.Policies.Where(WalArchiverSurvey.Watches))
        {
            foreach (var cluster in context.Configuration.ClustersOf(policy))
            {
                foreach (var finding in await WalArchiverSurvey.ReadAsync(context, policy, cluster, now, cancellationToken))
                {
                    await JudgeAsync(context, now, policy.Name, cluster.Name, finding, result, sent, cancellationToken);
                }
            }
        }
    }

    private static async Task JudgeAsync(
        ControlPlaneContext context, DateTimeOffset now, string policy, string cluster, WalArchiverSurvey.Finding finding, FunctionResult result, ISet<string> sent, CancellationToken cancellationToken)
    {
        var key = WalArchiving.DedupKey(policy, cluster, finding.Subject);
        var unreadableKey = WalArchiving.UnreadableKey(policy, cluster, finding.Subject);
        var what = $"WAL archiving of {finding.Subject} on {cluster} (policy {policy})";
        if (finding.Status is not { } status)
        {
            result.Log($"{what} could not be read: {finding.Unreadable}");
            sent.Add(unreadableKey);
            result.Send(Alert(now, unreadableKey, new AlertRaised(AlertSeverity.Warning, WalArchiving.UnreadableKind, $"{what} could not be read: {finding.Unreadable}", unreadableKey, cluster, policy)));
            return;
        }

        await ResolveAsync(context, now, unreadableKey, $"{what} can be read again", policy, cluster, result, cancellationToken);
        switch (status.State)
        {
            case WalArchivingState.Failing or WalArchivingState.Stale:
                sent.Add(key);
                result.Send(Alert(now, key, new AlertRaised(
                    AlertSeverity.Critical, WalArchiving.Kind, $"{what} is {(status.State == WalArchivingState.Failing ? "failing" : "stale")}: {status.Reason}", key, cluster, policy)));
                break;
            case WalArchivingState.Healthy:
                await ResolveAsync(context, now, key, $"{what} is healthy again: {status.Reason}", policy, cluster, result, cancellationToken);
                break;
            default:
                result.Log($"{what}: {status.Reason}");
                break;
        }
    }

    private static Task<bool> ResolveAsync(ControlPlaneContext context, DateTimeOffset now, string key, string summary, string policy, string cluster, FunctionResult result, CancellationToken cancellationToken) =>
        IncidentRecovery.ResolveIfOpenAsync(context, key, _ => Task.FromResult(true),
            open => new Envelope($"resolve-{Short(key)}-{open.LastRaisedAt.UtcTicks}", "freshness", now, new AlertResolved(key, summary, cluster, policy)), result, cancellationToken);

    /// <summary>One message per pass while it lasts (the dispatcher keeps it one incident and re-notifies by its routes).</summary>
    private static Envelope Alert(DateTimeOffset now, string key, AlertRaised alert) => new($"alert-{Short(key)}-{now.UtcTicks}", "freshness", now, alert);

    /// <summary>The key's kind and a hash of the whole: message ids stay short and distinct however long the names.</summary>
    private static string Short(string key) =>
        $"{key[..key.IndexOf('/', StringComparison.Ordinal)]}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}";
}
