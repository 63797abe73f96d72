using Strata.Core.Configuration;
using Strata.Core.Runs;

namespace Strata.Core.Freshness;

/// <summary>
/// Judges every (policy, cluster) on its <b>last verified</b> backup — not its last run, which may
/// have "succeeded" into a damaged artifact — against the policy's recovery-point objective. The
/// freshness timer alerts on it and the status page shows it; both read this one rule.
/// </summary>
public static class RecoveryPointObjectives
{
    /// <summary>Past this share of the objective a pair is at risk. 0.75: a daily backup with a 26 h objective is at risk from 19.5 h.</summary>
    public const double AtRiskFraction = 0.75;

    /// <summary>The alert kind of a breach.</summary>
    public const string BreachedKind = "rpo-breached";

    /// <summary>The dedup key of the RPO alert of (policy, cluster).</summary>
    public static string DedupKey(string policy, string cluster) => $"{BreachedKind}/{policy}/{cluster}";

    /// <summary>Judges every pair of <paramref name="configuration"/> at <paramref name="now"/> from <paramref name="records"/> (any order).</summary>
    public static IReadOnlyList<RecoveryPointJudgment> Judge(StrataConfiguration configuration, IEnumerable<BackupRecord> records, DateTimeOffset now)
    {
        var newestVerified = new Dictionary<(string, string), BackupRecord>();
        var oldestRun = new Dictionary<(string, string), DateTimeOffset>();
        var newestAwaiting = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var record in records)
        {
            var key = (record.Policy, record.Cluster);
            if (record.IsVerified && (!newestVerified.TryGetValue(key, out var known) || RecoveryPoint(record) > RecoveryPoint(known)))
            {
                newestVerified[key] = record;
            }

            if (record.Status == BackupStatus.Succeeded && record.ExpiredAt is null
                && (!newestAwaiting.TryGetValue(key, out var awaiting) || RecoveryPoint(record) > awaiting))
            {
                newestAwaiting[key] = RecoveryPoint(record);
            }

            if (!oldestRun.TryGetValue(key, out var oldest) || record.StartedAt < oldest)
            {
                oldestRun[key] = record.StartedAt;
            }
        }

        var judgments = new List<RecoveryPointJudgment>();
        foreach (var policy in configuration.Policies)
        {
            foreach (var cluster in configuration.ClustersOf(policy))
            {
                var key = (policy.Name, cluster.Name);
                var verified = newestVerified.GetValueOrDefault(key);
                var age = verified is null ? (TimeSpan?)null : now - RecoveryPoint(verified);
                var state = policy.RecoveryPointObjective switch
                {
                    null => RecoveryPointState.NoObjective,
                    { } objective when age is { } a => a > objective ? RecoveryPointState.Breached
                        : a > objective * AtRiskFraction ? RecoveryPointState.AtRisk
                        : RecoveryPointState.Ok,

                    // Never verified: pending while a complete backup within the objective waits for its verification (a
                    // new pair, or history from before verification existed), a breach once runs have been failing
                    // for longer than the objective allows.
                    { } objective => newestAwaiting.TryGetValue(key, out var awaiting) && now - awaiting <= objective ? RecoveryPointState.Pending
                        : oldestRun.TryGetValue(key, out var first) && now - first > objective ? RecoveryPointState.Breached
                        : RecoveryPointState.Pending,
                };
                judgments.Add(new RecoveryPointJudgment(policy.Name, cluster.Name, state, policy.RecoveryPointObjective, verified, age));
            }
        }

        return judgments;
    }

    /// <summary>When a backup's data was taken: the end of its capture.</summary>
    public static DateTimeOffset RecoveryPoint(BackupRecord record) => record.CompletedAt ?? record.StartedAt;
}
