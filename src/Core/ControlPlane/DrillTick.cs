using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Scheduling;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The drill timer: for each policy whose <c>verification.drill</c> has a schedule, when an occurrence is
/// due (<see cref="DueOccurrence"/> on the mark <c>drill/{policy}</c>, beside the backup schedule's marks),
/// one <see cref="VerifyRequested"/> of kind <see cref="VerificationKind.Drill"/> per cluster of the policy,
/// for its latest verified backup. A cluster with no verified backup yet has nothing to drill, and says so.
/// </summary>
public static class DrillTick
{
    /// <summary>What a drill schedule's mark key starts with (policy names have no '/', so marks never meet).</summary>
    public const string MarkPrefix = "drill/";

    /// <summary>Runs one tick.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var now = context.Time.GetUtcNow();
        var marks = await context.State.GetScheduleMarksAsync(cancellationToken);
        var moved = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var due = new List<(PolicyDefinition Policy, DateTimeOffset Occurrence)>();
        foreach (var policy in context.Configuration.Policies)
        {
            if (policy.Verification.Drill is not { Schedule: { } schedule } drill)
            {
                continue;
            }

            var key = MarkPrefix + policy.Name;
            var mark = marks.TryGetValue(key, out var last) ? last : (DateTimeOffset?)null;
            if (DueOccurrence.Find(schedule, drill.TimeZone, mark, now) is not { } occurrence)
            {
                continue;
            }

            moved[key] = occurrence.Occurrence;
            if (occurrence.Fire)
            {
                due.Add((policy, occurrence.Occurrence));
            }
            else
            {
                result.Log($"policy {policy.Name}: drill schedule first seen; it starts after {occurrence.Occurrence:O}");
            }
        }

        var pairs = due.SelectMany(d => context.Configuration.ClustersOf(d.Policy).Select(c => (d.Policy.Name, c.Name))).ToHashSet();
        var latest = await VerifiedBackups.LatestAsync(context.History, pairs, cancellationToken);
        foreach (var (policy, occurrence) in due)
        {
            foreach (var cluster in context.Configuration.ClustersOf(policy))
            {
                if (latest.TryGetValue((policy.Name, cluster.Name), out var backup))
                {
                    result.Send(Request(policy, cluster, backup.Id, occurrence, now));
                    result.Log($"policy {policy.Name}: drill of {cluster.Name} due ({occurrence:O}), backup {backup.Id}");
                }
                else
                {
                    result.Log($"policy {policy.Name}: drill of {cluster.Name} due ({occurrence:O}), but it has no verified backup to drill");
                }
            }
        }

        if (moved.Count > 0)
        {
            await context.State.SaveScheduleMarksAsync(moved, cancellationToken);
        }

        return result;
    }

    /// <summary>The message asking for the scheduled drill of <paramref name="backupId"/>, for <paramref name="occurrence"/>.</summary>
    public static Envelope Request(PolicyDefinition policy, ClusterDefinition cluster, string backupId, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var id = "drill-" + ScheduledDrillId(policy.Name, cluster.Name, occurrence);
        return new Envelope(id, id, now, new VerifyRequested(backupId, cluster.Name, policy.Name, VerificationKind.Drill, occurrence));
    }

    /// <summary>The id of the drill for (policy, cluster, scheduled time): the same every time.</summary>
    public static string ScheduledDrillId(string policy, string cluster, DateTimeOffset scheduledFor) =>
        BackupId.Derive(scheduledFor, "drill", policy, cluster, scheduledFor.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
