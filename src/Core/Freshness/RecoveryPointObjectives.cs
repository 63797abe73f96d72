using Strata.Core.Configuration;
using Strata.Core.Runs;

namespace Strata.Core.Freshness;

/// <summary>
/// Judges every (policy, cluster) on its <b>last verified</b> backup — not its last run, which may
/// have "succeeded" into a damaged artifact — against the policy's recovery-point objective. The
/// freshness timer alerts on it, the status page shows it and the metrics export it; all three read this one rule
/// (<see cref="Evidence"/>).
/// </summary>
public static partial class RecoveryPointObjectives
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
        var evidence = new Evidence();
        foreach (var record in records)
        {
            evidence.Add(record);
        }

        return evidence.Judge(configuration, now);
    }

    /// <summary>
    /// The one rule, for a pair or for one layer of it: <paramref name="verified"/> is the recovery point of the newest verified
    /// backup (holding the layer), <paramref name="awaiting"/> that of the newest complete backup awaiting verification,
    /// <paramref name="oldestRun"/> the start of the pair's oldest run (null: it never ran).
    /// </summary>
    public static RecoveryPointState StateOf(TimeSpan? objective, DateTimeOffset? verified, DateTimeOffset? awaiting, DateTimeOffset? oldestRun, DateTimeOffset now) =>
        objective switch
        {
            null => RecoveryPointState.NoObjective,
            { } o when verified is { } v => now - v > o ? RecoveryPointState.Breached
                : now - v > o * AtRiskFraction ? RecoveryPointState.AtRisk
                : RecoveryPointState.Ok,

            // Never verified: pending while a complete backup within the objective waits for its verification (a new pair,
            // or history from before verification existed), a breach once runs have been failing for longer than the
            // objective allows.
            { } o => awaiting is { } a && now - a <= o ? RecoveryPointState.Pending
                : oldestRun is { } oldest && now - oldest > o ? RecoveryPointState.Breached
                : RecoveryPointState.Pending,
        };

    /// <summary>When a backup's data was taken: the end of its capture.</summary>
    public static DateTimeOffset RecoveryPoint(BackupRecord record) => record.CompletedAt ?? record.StartedAt;
}
