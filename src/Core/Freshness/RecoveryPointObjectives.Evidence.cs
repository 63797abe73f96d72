using Strata.Core.Configuration;
using Strata.Core.Runs;

namespace Strata.Core.Freshness;

public static partial class RecoveryPointObjectives
{
    /// <summary>
    /// What the judgement needs of a run history, taken one record at a time in any order: per (policy, cluster) the newest
    /// verified backup, the recovery point of the newest complete backup awaiting verification and the start of the oldest
    /// run — a fixed amount per pair however long the history is. The freshness timer, the status page and the metrics all
    /// judge through it, so a record class the rule comes to consider reaches all three at once.
    /// </summary>
    public sealed class Evidence
    {
        private readonly Dictionary<(string Policy, string Cluster), PairEvidence> _pairs = [];

        /// <summary>Takes <paramref name="record"/> into account.</summary>
        public void Add(BackupRecord record)
        {
            var key = (record.Policy, record.Cluster);
            if (!_pairs.TryGetValue(key, out var pair))
            {
                _pairs[key] = pair = new PairEvidence { OldestRun = record.StartedAt };
            }

            // Strictly newer replaces: of two with the same recovery point the first seen stays.
            if (record.IsVerified && (pair.NewestVerified is not { } known || RecoveryPoint(record) > RecoveryPoint(known)))
            {
                pair.NewestVerified = record;
            }

            if (record.Status == BackupStatus.Succeeded && record.ExpiredAt is null && (pair.NewestAwaiting is not { } awaiting || RecoveryPoint(record) > awaiting))
            {
                pair.NewestAwaiting = RecoveryPoint(record);
            }

            if (record.StartedAt < pair.OldestRun)
            {
                pair.OldestRun = record.StartedAt;
            }
        }

        /// <summary>Judges every pair of <paramref name="configuration"/> at <paramref name="now"/>, in configuration order, on the records added so far.</summary>
        public IReadOnlyList<RecoveryPointJudgment> Judge(StrataConfiguration configuration, DateTimeOffset now)
        {
            var judgments = new List<RecoveryPointJudgment>();
            foreach (var policy in configuration.Policies)
            {
                foreach (var cluster in configuration.ClustersOf(policy))
                {
                    var pair = _pairs.GetValueOrDefault((policy.Name, cluster.Name));
                    var verified = pair?.NewestVerified;
                    var age = verified is null ? (TimeSpan?)null : now - RecoveryPoint(verified);
                    var state = StateOf(policy.RecoveryPointObjective, verified is null ? null : RecoveryPoint(verified), pair?.NewestAwaiting, pair?.OldestRun, now);
                    judgments.Add(new RecoveryPointJudgment(policy.Name, cluster.Name, state, policy.RecoveryPointObjective, verified, age));
                }
            }

            return judgments;
        }

        private sealed class PairEvidence
        {
            public BackupRecord? NewestVerified { get; set; }

            public DateTimeOffset? NewestAwaiting { get; set; }

            public DateTimeOffset OldestRun { get; set; }
        }
    }
}
