using Strata.Core.ControlPlane;
using Strata.Core.Freshness;
using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>
/// Builds the status page's data (<see cref="DashboardView"/>): the status report, and per (cluster, policy) its
/// <see cref="Recoverability"/> and its recent drills and committed backups — read in the same single pass over the
/// history as the report, keeping at most <see cref="DashboardLimits"/> points per pair.
/// </summary>
public static class DashboardReport
{
    /// <summary>
    /// Builds the view of the fleet, or of <paramref name="cluster"/> alone; a cluster strata.yaml does not name throws
    /// <see cref="UnknownClusterException"/> before anything is read.
    /// </summary>
    public static async Task<DashboardView> BuildAsync(
        ControlPlaneContext context, string? cluster = null, DashboardLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var configuration = context.Configuration;
        if (cluster is not null && configuration.FindCluster(cluster) is null)
        {
            throw new UnknownClusterException(cluster, ConfigurationName(configuration.Source));
        }

        var pairCount = configuration.Policies.Sum(p => configuration.ClustersOf(p).Count(c => cluster is null || c.Name == cluster));
        limits = (limits ?? DashboardLimits.Default).For(pairCount);
        var drills = new Dictionary<(string, string), NewestPoints<DrillPoint>>();
        var backups = new Dictionary<(string, string), NewestPoints<BackupPoint>>();
        var verifiedLayers = new Dictionary<(string, string), IReadOnlyList<string>>();
        bool Wanted(string recordCluster) => cluster is null || recordCluster == cluster;

        void OnBackup(BackupRecord record)
        {
            if (!Wanted(record.Cluster))
            {
                return;
            }

            var key = (record.Cluster, record.Policy);
            if (record.IsCommitted)
            {
                Points(backups, key, limits.MaxBackups, p => p.At).Add(BackupPoint.Of(record));
            }
        }

        void OnDrill(DrillRecord drill)
        {
            if (Wanted(drill.Cluster) && drill.RtoSeconds is { } rto)
            {
                Points(drills, (drill.Cluster, drill.Policy), limits.MaxDrills, p => p.At)
                    .Add(new DrillPoint(drill.Id, drill.StartedAt, rto, drill.RtoObjectiveSeconds, drill.ExceededObjective));
            }
        }

        // The layers of the backup the row's judgment rests on: the very record, not one picked again by a rule of our own.
        void OnJudgment(RecoveryPointJudgment judgment)
        {
            if (judgment.LastVerified is { } verified)
            {
                verifiedLayers[(judgment.Cluster, judgment.Policy)] = BackupLayers.Held(verified);
            }
        }

        // Rows and incidents come filtered from the report (the incidents before its cut to the newest MaxAlerts).
        var status = await StatusReport.BuildAsync(context, cluster, OnBackup, OnDrill, OnJudgment, cancellationToken);
        if (cluster is not null)
        {
            status = status with
            {
                Coverage = [.. status.Coverage.Where(c => c.Cluster == cluster)],
            };
        }

        var pairs = status.Protection.Select(row =>
        {
            var key = (row.Cluster, row.Policy);
            var policy = configuration.FindPolicy(row.Policy);
            return new ProtectionHistory
            {
                Status = row,
                Recoverability = RecoverabilityRules.For(row),
                VerifiedLayers = verifiedLayers.GetValueOrDefault(key) ?? [],
                RtoObjectiveSeconds = policy?.Verification.Drill?.RecoveryTimeObjective?.TotalSeconds,
                Drills = drills.GetValueOrDefault(key)?.OldestFirst() ?? [],
                Backups = backups.GetValueOrDefault(key)?.OldestFirst() ?? [],
            };
        }).ToList();

        return new DashboardView
        {
            Status = status,
            Cluster = cluster,
            Clusters = [.. configuration.Clusters.Select(c => c.Name).Where(Wanted)],
            Policies = [.. configuration.Policies.Select(p => p.Name)],
            Pairs = pairs,
            Limits = limits,
        };
    }

    /// <summary>What the page calls the configuration: its file name (<c>strata.yaml</c>), never a folder path or a blob URL.</summary>
    public static string ConfigurationName(string source)
    {
        var name = source.Split('?', 2)[0].TrimEnd('/');
        var slash = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\'));
        name = slash >= 0 ? name[(slash + 1)..] : name;
        return name.Length > 0 ? name : "strata.yaml";
    }

    private static NewestPoints<T> Points<T>(Dictionary<(string, string), NewestPoints<T>> series, (string, string) key, int capacity, Func<T, DateTimeOffset> at)
    {
        if (!series.TryGetValue(key, out var points))
        {
            series[key] = points = new NewestPoints<T>(capacity, at);
        }

        return points;
    }
}
