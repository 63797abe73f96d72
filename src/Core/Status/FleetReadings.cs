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
/// RTO; per layer the pair's backups hold, its last success, last verified backup and size.
/// </summary>
/// <param name="At">When it was read (the control plane's clock).</param>
/// <param name="Pairs">Every configured (cluster, policy), in configuration order.</param>
/// <param name="Layers">Every layer a configured pair's backups hold or held, in <see cref="BackupLayers.All"/>' order per pair.</param>
public sealed record FleetReadings(DateTimeOffset At, IReadOnlyList<PairReading> Pairs, IReadOnlyList<LayerReading> Layers)
{
    /// <summary>Reads the history of <paramref name="context"/> now.</summary>
    public static async Task<FleetReadings> ReadAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var records = new List<BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            records.Add(record);
        }

        var drills = new List<DrillRecord>();
        await foreach (var drill in context.History.ListDrillsAsync(cancellationToken))
        {
            drills.Add(drill);
        }

        return Of(context.Configuration, records, drills, context.Time.GetUtcNow());
    }

    /// <summary>The readings of <paramref name="configuration"/>'s pairs from <paramref name="records"/> and <paramref name="drills"/> (any order) at <paramref name="now"/>.</summary>
    public static FleetReadings Of(StrataConfiguration configuration, IReadOnlyList<BackupRecord> records, IReadOnlyList<DrillRecord> drills, DateTimeOffset now)
    {
        var byPair = records.ToLookup(r => (r.Cluster, r.Policy));
        var drillsByPair = drills.ToLookup(d => (d.Cluster, d.Policy));
        var pairs = new List<PairReading>();
        var layers = new List<LayerReading>();
        foreach (var judgment in RecoveryPointObjectives.Judge(configuration, records, now))
        {
            var key = (judgment.Cluster, judgment.Policy);
            var committed = byPair[key].Where(r => r.IsCommitted).OrderByDescending(RecoveryPointObjectives.RecoveryPoint).ToList();
            var newest = committed.FirstOrDefault();
            var objects = committed.FirstOrDefault(r => Succeeded(r, BackupLayers.Objects));
            var drill = drillsByPair[key].Where(d => d.RtoSeconds is not null).MaxBy(d => d.StartedAt);
            pairs.Add(new PairReading(
                judgment.Cluster, judgment.Policy, judgment.State == RecoveryPointState.Breached, judgment.Objective?.TotalSeconds,
                newest?.CompletedAt is { } end ? (end - newest.StartedAt).TotalSeconds : null, objects?.ObjectCount,
                drill?.RtoSeconds, drill?.RtoObjectiveSeconds));

            foreach (var layer in BackupLayers.All)
            {
                var success = committed.FirstOrDefault(r => Succeeded(r, layer));
                var verified = committed.FirstOrDefault(r => r.IsVerified && BackupLayers.Held(r).Contains(layer));
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
}
