using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Scheduling;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The timer function: which (policy, cluster) pairs are due, by <see cref="DueOccurrence"/> on each
/// policy's mark (the last occurrence fired) — after downtime a schedule catches up once, and a double
/// fire finds the mark already moved (and the backup ids it would send are the same ones). A policy
/// seen for the first time starts from its latest occurrence and fires at its next one.
/// Each tick records its own heartbeat (for the freshness pass) and pings the dead man's switch, if one is configured.
/// </summary>
public static class ScheduleTick
{
    /// <summary>The mark each tick sets to its own time: the freshness pass tells a stopped schedule by it.</summary>
    public const string HeartbeatMark = "heartbeat/schedule-tick";

    /// <summary>Runs one tick: decides what is due, records the marks, returns the <see cref="BackupRequested"/> messages.</summary>
    public static async Task<FunctionResult> RunAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var now = context.Time.GetUtcNow();
        var marks = await context.State.GetScheduleMarksAsync(cancellationToken);
        var moved = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var decision in Decide(context.Configuration, marks, now))
        {
            moved[decision.Policy.Name] = decision.Occurrence;
            if (!decision.Fire)
            {
                result.Log($"policy {decision.Policy.Name}: first seen; its schedule starts after {decision.Occurrence:O}");
                continue;
            }

            foreach (var cluster in decision.Clusters)
            {
                result.Send(Request(decision.Policy, cluster, decision.Occurrence, now));
            }

            result.Log($"policy {decision.Policy.Name}: occurrence {decision.Occurrence:O} due on {decision.Clusters.Count} cluster(s)"
                + (decision.Missed > 0 ? $" (caught up; {decision.Missed} earlier occurrence(s) since the last tick were not run separately)" : ""));
        }

        moved[HeartbeatMark] = now;
        await context.State.SaveScheduleMarksAsync(moved, cancellationToken);
        if (context.Configuration.Heartbeat is { } heartbeat)
        {
            // A failed ping is the switch's business (it alerts when pings stop); it never holds up the schedule.
            var failure = await context.Heartbeat.PingAsync(heartbeat, cancellationToken);
            result.Log(failure is null ? "heartbeat: pinged" : $"heartbeat: ping failed: {failure}");
        }

        return result;
    }

    /// <summary>One policy's decision for a tick.</summary>
    /// <param name="Policy">The policy.</param>
    /// <param name="Occurrence">Its latest occurrence at or before now.</param>
    /// <param name="Fire">Whether to fire it (false the first time a policy is seen).</param>
    /// <param name="Clusters">The clusters it applies to.</param>
    /// <param name="Missed">Occurrences between the mark and this one that are folded into it (counted up to 1,000).</param>
    public sealed record Decision(PolicyDefinition Policy, DateTimeOffset Occurrence, bool Fire, IReadOnlyList<ClusterDefinition> Clusters, int Missed);

    /// <summary>The pure part: what is due at <paramref name="now"/> given the <paramref name="marks"/>.</summary>
    public static IEnumerable<Decision> Decide(StrataConfiguration configuration, IReadOnlyDictionary<string, DateTimeOffset> marks, DateTimeOffset now)
    {
        foreach (var policy in configuration.Policies)
        {
            var mark = marks.TryGetValue(policy.Name, out var last) ? last : (DateTimeOffset?)null;
            if (DueOccurrence.Find(policy.Schedule, policy.TimeZone, mark, now) is { } due)
            {
                yield return new Decision(policy, due.Occurrence, due.Fire, due.Fire ? configuration.ClustersOf(policy) : [], due.Missed);
            }
        }
    }

    /// <summary>The message asking for the scheduled backup of <paramref name="cluster"/> under <paramref name="policy"/> at <paramref name="occurrence"/>.</summary>
    public static Envelope Request(PolicyDefinition policy, ClusterDefinition cluster, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var id = "backup-" + ScheduledBackupId(policy.Name, cluster.Name, occurrence);
        return new Envelope(id, id, now, new BackupRequested(cluster.Name, policy.Name, occurrence, RequestedBy: "schedule-tick"));
    }

    /// <summary>The id of the backup for (policy, cluster, scheduled time): the same every time.</summary>
    public static string ScheduledBackupId(string policy, string cluster, DateTimeOffset scheduledFor) =>
        BackupId.Derive(scheduledFor, "scheduled", policy, cluster, scheduledFor.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
