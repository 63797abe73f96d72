using Strata.Core.Runs;

namespace Strata.Cli.Output;

/// <summary>The drills of one policy and cluster, for the RTO trend: counts, the latest, and the RTOs of passed drills oldest first.</summary>
internal sealed record DrillTrend(string Policy, string Cluster, int Drills, int Passed, int Failed, DrillRecord Last, IReadOnlyList<double> RtoOldestFirst)
{
    /// <summary>How many RTOs a trend shows.</summary>
    public const int Shown = 10;

    /// <summary>One trend per (policy, cluster), in the order of their latest drill, from <paramref name="newestFirst"/>.</summary>
    public static IEnumerable<DrillTrend> Of(IEnumerable<DrillRecord> newestFirst) =>
        newestFirst.GroupBy(d => (d.Policy, d.Cluster)).Select(g =>
        {
            var drills = g.ToList();
            return new DrillTrend(g.Key.Policy, g.Key.Cluster, drills.Count,
                drills.Count(d => d.Status == DrillStatus.Passed), drills.Count(d => d.Status == DrillStatus.Failed), drills[0],
                [.. drills.Where(d => d.RtoSeconds is not null).Take(Shown).Select(d => d.RtoSeconds!.Value).Reverse()]);
        });
}
