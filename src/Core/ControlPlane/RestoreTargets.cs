using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Where the control plane may restore a backup when it is asked (HTTP, queue message, <c>strata restore create --remote</c>):
/// into the clusters its policy's <c>restoreTargets</c> selects, by default the policy's own clusters. An ad-hoc backup, or
/// one whose policy is no longer configured, goes back only into the cluster it came from. The HTTP function checks it
/// before sending; the restore worker checks it again, so a message put on the queue directly cannot get round it.
/// </summary>
public static class RestoreTargets
{
    /// <summary>The configured clusters <paramref name="backup"/> may be restored into, in configuration order.</summary>
    public static IReadOnlyList<ClusterDefinition> AllowedFor(StrataConfiguration configuration, BackupRecord backup)
    {
        var policy = backup.Policy == BackupWorker.AdHocPolicy ? null : configuration.FindPolicy(backup.Policy);
        return policy switch
        {
            null => configuration.Clusters.Where(c => c.Name == backup.Cluster).ToList(),
            { RestoreTargets: null } => configuration.ClustersOf(policy),
            { RestoreTargets: { } selectors } => configuration.Clusters.Where(c => selectors.Any(s => s.Matches(c))).ToList(),
        };
    }

    /// <summary>
    /// Why <paramref name="request"/> may not restore <paramref name="backup"/> (null: it is not in the run history, so
    /// its policy is unknown) into its target cluster, or null when it may.
    /// </summary>
    public static string? Refusal(StrataConfiguration configuration, RestoreRequested request, BackupRecord? backup)
    {
        if (backup is null)
        {
            return $"backup {request.BackupId} is not in the run history: its policy, which says where it may be restored, is unknown";
        }

        var allowed = AllowedFor(configuration, backup);
        if (allowed.Any(c => c.Name == request.TargetCluster))
        {
            return null;
        }

        var where = allowed.Count == 0 ? "into no cluster" : "only into " + string.Join(", ", allowed.Select(c => c.Name));
        var rule = backup.Policy == BackupWorker.AdHocPolicy ? "an ad-hoc backup goes back only into the cluster it came from"
            : configuration.FindPolicy(backup.Policy) is not { } policy ? $"policy '{backup.Policy}' is no longer in {configuration.Source}, so its backups go back only into the cluster they came from"
            : policy.RestoreTargets is null ? $"policy '{policy.Name}' has no restoreTargets, so its own clusters; add the cluster to its restoreTargets in {configuration.Source} to allow it"
            : $"policy '{policy.Name}' restoreTargets: [{string.Join(", ", policy.RestoreTargets)}] in {configuration.Source}";
        return $"backup {backup.Id} (policy {backup.Policy}, cluster {backup.Cluster}) may be restored {where}, not into '{request.TargetCluster}': {rule}";
    }

    /// <summary><see cref="Refusal(StrataConfiguration, RestoreRequested, BackupRecord?)"/> with the backup looked up in the run history.</summary>
    public static async Task<string?> RefusalAsync(ControlPlaneContext context, RestoreRequested request, CancellationToken cancellationToken = default) =>
        Refusal(context.Configuration, request, await context.History.FindBackupAsync(request.BackupId, cancellationToken));
}
