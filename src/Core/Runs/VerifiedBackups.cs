using Strata.Core.Ports;

namespace Strata.Core.Runs;

/// <summary>The latest verified backup of a policy on a cluster: what drills restore.</summary>
public static class VerifiedBackups
{
    /// <summary>The newest verified (and not expired) backup of <paramref name="policy"/> on <paramref name="cluster"/>, or null.</summary>
    public static async Task<BackupRecord?> LatestAsync(IRunHistory history, string policy, string cluster, CancellationToken cancellationToken = default) =>
        (await LatestAsync(history, [(policy, cluster)], cancellationToken)).GetValueOrDefault((policy, cluster));

    /// <summary>The newest verified backup of each (policy, cluster) of <paramref name="pairs"/> that has one, in one pass over the history.</summary>
    public static async Task<Dictionary<(string Policy, string Cluster), BackupRecord>> LatestAsync(
        IRunHistory history, IReadOnlyCollection<(string Policy, string Cluster)> pairs, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<(string, string), BackupRecord>();
        if (pairs.Count == 0)
        {
            return found;
        }

        await foreach (var record in history.ListBackupsAsync(cancellationToken))
        {
            var key = (record.Policy, record.Cluster);
            if (record.IsVerified && pairs.Contains(key))
            {
                found.TryAdd(key, record);
                if (found.Count == pairs.Count)
                {
                    break;
                }
            }
        }

        return found;
    }
}
