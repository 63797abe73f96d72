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
/// RTO; per layer its newest backup holds, its last success, last verified backup and size, the same RPO rule applied to the
/// layer's own last verified backup, and the RTO the newest drill that measured the layer measured.
/// </summary>
/// <param name="At">When it was read (the control plane's clock).</param>
/// <param name="Pairs">Every configured (cluster, policy), in configuration order.</param>
/// <param name="Layers">
/// Per configured pair, every layer its newest committed, unexpired backup holds or recorded an error in, in
/// <see cref="BackupLayers.All"/>' order.
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

    /// <summary>
    /// The recovery time <paramref name="drill"/> measured per layer, for a passed drill that measured one: the scratch restore
    /// brings back the API objects and, from their snapshots, the volumes' claims in one restore, so its RTO (to the last
    /// assertion, claims Bound included, or to the restore's end) is both layers'; each database drill measures its own
    /// (from its restore's start; the slowest counts); the etcd rebuild its own. A dry run measures nothing.
    /// </summary>
    public static IReadOnlyDictionary<string, double> DrillRtoByLayer(DrillRecord drill)
    {
        var rto = new Dictionary<string, double>(StringComparer.Ordinal);
        if (drill.RtoSeconds is null)
        {
            return rto;
        }

        if (drill.Mode == DrillMode.Scratch && (drill.Assertions.Max(a => a.Seconds) ?? drill.RestoreSeconds) is { } restore)
        {
            rto[BackupLayers.Objects] = rto[BackupLayers.Volumes] = restore;
        }

        if (drill.Databases.Max(d => d.RtoSeconds) is { } databases)
        {
            rto[BackupLayers.Databases] = databases;
        }

        if (drill.Etcd?.RtoSeconds is { } etcd)
        {
            rto[BackupLayers.Etcd] = etcd;
        }

        return rto;
    }

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
        private readonly Dictionary<(string Cluster, string Policy), DateTimeOffset> _oldestRun = [];

        public void Add(BackupRecord record)
        {
            _evidence.Add(record);
            var key = (record.Cluster, record.Policy);
            if (!_oldestRun.TryGetValue(key, out var oldest) || record.StartedAt < oldest)
            {
                _oldestRun[key] = record.StartedAt;
            }

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

                foreach (var (layer, rto) in DrillRtoByLayer(drill))
                {
                    if (!pair.DrillRto.TryGetValue(layer, out var known) || drill.StartedAt > known.StartedAt)
                    {
                        pair.DrillRto[layer] = (drill.StartedAt, rto);
                    }
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
                // per-layer alerts do not fire forever. One that failed in it stays on its previous success and ages; one that
                // never succeeded has only its RPO judgement, which breaches once its runs fail for longer than the objective.
                foreach (var layer in BackupLayers.All.Where(l => newest is not null && Attempted(newest, l)))
                {
                    var success = pair.Success.GetValueOrDefault(layer);
                    var verified = pair.Verified.GetValueOrDefault(layer) is { } v ? RecoveryPointObjectives.RecoveryPoint(v) : (DateTimeOffset?)null;
                    var awaiting = pair.Awaiting.GetValueOrDefault(layer) is { } a ? RecoveryPointObjectives.RecoveryPoint(a) : (DateTimeOffset?)null;
                    var state = RecoveryPointObjectives.StateOf(judgment.Objective, verified, awaiting,
                        _oldestRun.TryGetValue((judgment.Cluster, judgment.Policy), out var oldest) ? oldest : null, now);
                    layers.Add(new LayerReading(judgment.Cluster, judgment.Policy, layer,
                        success is null ? null : RecoveryPointObjectives.RecoveryPoint(success),
                        verified,
                        success is null ? null : BackupLayers.Bytes(success).GetValueOrDefault(layer),
                        state == RecoveryPointState.Breached,
                        pair.DrillRto.TryGetValue(layer, out var rto) ? rto.Seconds : null));
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

        /// <summary>Per layer the newest complete backup awaiting verification (status Succeeded): the RPO rule's "pending".</summary>
        public Dictionary<string, BackupRecord> Awaiting { get; } = new(StringComparer.Ordinal);

        public DrillRecord? Drill { get; set; }

        /// <summary>Per layer the RTO of the newest drill that measured it, and when that drill started.</summary>
        public Dictionary<string, (DateTimeOffset StartedAt, double Seconds)> DrillRto { get; } = new(StringComparer.Ordinal);

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

                if (record.Status == BackupStatus.Succeeded && Newer(record, Awaiting.GetValueOrDefault(layer)))
                {
                    Awaiting[layer] = record;
                }
            }
        }

        private static bool Newer(BackupRecord record, BackupRecord? known) =>
            known is null || RecoveryPointObjectives.RecoveryPoint(record) > RecoveryPointObjectives.RecoveryPoint(known);
    }
}
