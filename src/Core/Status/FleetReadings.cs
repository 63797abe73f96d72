using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Freshness;
using Strata.Core.Results;
using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>
/// The numbers the metrics export, read from the run history — not from what one process happened to see — so a restarted
/// process reports the truth: per configured (cluster, policy), the RPO judgement the freshness timer alerts on and the status
/// page shows (<see cref="RecoveryPointObjectives.Judge"/>), the last backup's duration and object count, the last measured drill
/// RTO; per layer its newest backup holds, its last success, last verified backup and size.
/// </summary>
/// <param name="At">When it was read (the control plane's clock).</param>
/// <param name="Pairs">Every configured (cluster, policy), in configuration order.</param>
/// <param name="Layers">
/// Per configured pair, every layer its newest committed, unexpired backup holds or recorded an error in and that an unexpired
/// backup succeeded in or verified, in <see cref="BackupLayers.All"/>' order.
/// </param>
public sealed record FleetReadings(DateTimeOffset At, IReadOnlyList<PairReading> Pairs, IReadOnlyList<LayerReading> Layers)
{
    /// <summary>Reads the history of <paramref name="context"/> now, folding each record into its pair's reading as it is listed.</summary>
    public static async Task<FleetReadings> ReadAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var fold = new Fold();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            fold.Add(record);
        }

        await foreach (var drill in context.History.ListDrillsAsync(cancellationToken))
        {
            fold.Add(drill);
        }

        return fold.Read(context.Configuration, context.Time.GetUtcNow());
    }

    /// <summary>The readings of <paramref name="configuration"/>'s pairs from <paramref name="records"/> and <paramref name="drills"/> (any order) at <paramref name="now"/>.</summary>
    public static FleetReadings Of(StrataConfiguration configuration, IReadOnlyList<BackupRecord> records, IReadOnlyList<DrillRecord> drills, DateTimeOffset now)
    {
        var fold = new Fold();
        foreach (var record in records)
        {
            fold.Add(record);
        }

        foreach (var drill in drills)
        {
            fold.Add(drill);
        }

        return fold.Read(configuration, now);
    }

    /// <summary>
    /// <paramref name="record"/> is a success of <paramref name="layer"/>: committed, not found damaged by verification, its
    /// artifacts hold the layer and no error was recorded in it (a backup partial in another layer still counts for this one).
    /// </summary>
    public static bool Succeeded(BackupRecord record, string layer) =>
        record.IsCommitted && record.Status != BackupStatus.VerificationFailed && BackupLayers.Held(record).Contains(layer)
        && !record.Problems.Any(p => p.Severity == ProblemSeverity.Error && LayerOf(p) == layer);

    /// <summary>The layer a capture problem is in: the layers record theirs under their own name; everything else is about API objects.</summary>
    public static string LayerOf(Problem problem) => problem.Resource switch
    {
        Volumes.VolumeLayer.Resource => BackupLayers.Volumes,
        Databases.DatabaseLayer.Resource or Databases.CloudNativePg.CloudNativePgLayer.Resource or Databases.WalArchiverLayer.Resource
            or Applications.ApplicationLayer.Resource => BackupLayers.Databases,
        Etcd.EtcdLayer.Resource => BackupLayers.Etcd,
        _ => BackupLayers.Objects,
    };

    /// <summary>
    /// The readings taken one record at a time, in any order: the RPO judgement's own <see cref="RecoveryPointObjectives.Evidence"/>,
    /// and per pair a handful of records (the newest committed one, per layer the newest success and the newest verified, the
    /// newest measured drill) — a fixed amount per pair however long the history is.
    /// </summary>
    private sealed class Fold
    {
        private readonly RecoveryPointObjectives.Evidence _evidence = new();
        private readonly Dictionary<(string Cluster, string Policy), PairFold> _pairs = [];

        public void Add(BackupRecord record)
        {
            _evidence.Add(record);

            // Retention deleted its artifacts: nothing of it can be restored, so it is no layer's success and holds no series.
            if (record.IsCommitted && record.ExpiredAt is null)
            {
                Pair(record.Cluster, record.Policy).Add(record);
            }
        }

        public void Add(DrillRecord drill)
        {
            if (drill.RtoSeconds is not null)
            {
                var pair = Pair(drill.Cluster, drill.Policy);
                if (pair.Drill is null || drill.StartedAt > pair.Drill.StartedAt)
                {
                    pair.Drill = drill;
                }
            }
        }

        public FleetReadings Read(StrataConfiguration configuration, DateTimeOffset now)
        {
            var pairs = new List<PairReading>();
            var layers = new List<LayerReading>();
            foreach (var judgment in _evidence.Judge(configuration, now))
            {
                var pair = _pairs.GetValueOrDefault((judgment.Cluster, judgment.Policy)) ?? new PairFold();
                var newest = pair.Newest;
                pairs.Add(new PairReading(
                    judgment.Cluster, judgment.Policy, judgment.State == RecoveryPointState.Breached, judgment.Objective?.TotalSeconds,
                    newest?.CompletedAt is { } end ? (end - newest.StartedAt).TotalSeconds : null, pair.Success.GetValueOrDefault(BackupLayers.Objects)?.ObjectCount,
                    pair.Drill?.RtoSeconds, pair.Drill?.RtoObjectiveSeconds));

                // A layer the newest backup neither holds nor failed in was dropped from the policy: no series, so that its
                // per-layer alerts do not fire forever. One that failed in it stays on its previous success and ages.
                foreach (var layer in BackupLayers.All.Where(l => newest is not null && Attempted(newest, l)))
                {
                    var success = pair.Success.GetValueOrDefault(layer);
                    var verified = pair.Verified.GetValueOrDefault(layer);
                    if (success is not null || verified is not null)
                    {
                        layers.Add(new LayerReading(judgment.Cluster, judgment.Policy, layer,
                            success is null ? null : RecoveryPointObjectives.RecoveryPoint(success),
                            verified is null ? null : RecoveryPointObjectives.RecoveryPoint(verified),
                            success is null ? null : BackupLayers.Bytes(success).GetValueOrDefault(layer)));
                    }
                }
            }

            return new FleetReadings(now, pairs, layers);
        }

        private static bool Attempted(BackupRecord record, string layer) =>
            BackupLayers.Held(record).Contains(layer) || record.Problems.Any(p => p.Severity == ProblemSeverity.Error && LayerOf(p) == layer);

        private PairFold Pair(string cluster, string policy)
        {
            if (!_pairs.TryGetValue((cluster, policy), out var pair))
            {
                _pairs[(cluster, policy)] = pair = new PairFold();
            }

            return pair;
        }
    }

    /// <summary>One pair's records that its reading needs, each the newest by recovery point (the first seen of equals).</summary>
    private sealed class PairFold
    {
        public BackupRecord? Newest { get; private set; }

        public Dictionary<string, BackupRecord> Success { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, BackupRecord> Verified { get; } = new(StringComparer.Ordinal);

        public DrillRecord? Drill { get; set; }

        /// <summary>Takes a committed, unexpired backup.</summary>
        public void Add(BackupRecord record)
        {
            if (Newer(record, Newest))
            {
                Newest = record;
            }

            foreach (var layer in BackupLayers.Held(record))
            {
                if (Succeeded(record, layer) && Newer(record, Success.GetValueOrDefault(layer)))
                {
                    Success[layer] = record;
                }

                if (record.IsVerified && Newer(record, Verified.GetValueOrDefault(layer)))
                {
                    Verified[layer] = record;
                }
            }
        }

        private static bool Newer(BackupRecord record, BackupRecord? known) =>
            known is null || RecoveryPointObjectives.RecoveryPoint(record) > RecoveryPointObjectives.RecoveryPoint(known);
    }
}
