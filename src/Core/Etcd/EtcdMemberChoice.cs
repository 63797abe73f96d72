namespace Strata.Core.Etcd;

/// <summary>
/// Chooses the member a snapshot is read from, from every configured endpoint's status reading. All the members that
/// answered must be of one etcd cluster (one cluster id): endpoints that answer for different clusters — a stale
/// etcd, another system's etcd listed by mistake — are never snapshotted, and nothing is chosen. Of the members that
/// answered, one is passed over when a <c>CORRUPT</c> alarm names it (or names no member that reads, which may be it),
/// when it has no leader, or when it is a learner (its log may lag); the cluster's other alarms, which etcd reports alike
/// on every member (<c>NOSPACE</c>: the cluster refuses writes, a snapshot still works), are the reading's warnings.
/// The member chosen is the one furthest along by its <b>applied</b> index — a snapshot holds the backend state, which
/// follows the applied index (the committed index where etcd before 3.4 reports none) — then by its revision; never a
/// member that is behind, whose database lacks writes the cluster committed. Ties go to the earliest endpoint in the
/// configured order. Every endpoint's reading says why it was passed over (<c>did not answer: …</c>,
/// <c>alarm CORRUPT on this member</c>, <c>no leader</c>, <c>learner</c>, <c>behind: applied index 1200 &lt; 1215</c>).
/// </summary>
public static class EtcdMemberChoice
{
    /// <summary>Chooses among <paramref name="readings"/> (in the configured order).</summary>
    public static EtcdChoice Choose(IReadOnlyList<EtcdStatusReading> readings)
    {
        var clusters = Clusters(readings);
        if (clusters.Count > 1)
        {
            return new EtcdChoice(null, [.. readings.Select(r => Describe(r, false, null, disagree: true))], Disagreement(clusters)) { ClustersDisagree = true };
        }

        int? chosen = null;
        for (var i = 0; i < readings.Count; i++)
        {
            if (Eligible(readings[i]) && (chosen is not { } best || Compare(readings[i].Status!, readings[best].Status!) > 0))
            {
                chosen = i;
            }
        }

        var furthest = chosen is { } c ? readings[c].Status : null;
        var described = readings.Select((r, i) => Describe(r, i == chosen, furthest, disagree: false)).ToList();
        return new EtcdChoice(chosen, described, chosen is null ? WhyNone(readings) : null);
    }

    /// <summary>How far along <paramref name="a"/> is against <paramref name="b"/>: by applied index, then by revision.</summary>
    public static int Compare(EtcdMemberStatus a, EtcdMemberStatus b) =>
        a.AppliedIndex != b.AppliedIndex ? a.AppliedIndex.CompareTo(b.AppliedIndex) : a.Revision.CompareTo(b.Revision);

    /// <summary>How far <paramref name="behind"/> is behind <paramref name="ahead"/>: <c>applied index 1200 &lt; 1215</c>, or <c>revision 998 &lt; 1000 at applied index 1215</c>.</summary>
    public static string Behind(EtcdMemberStatus behind, EtcdMemberStatus ahead) =>
        behind.AppliedIndex != ahead.AppliedIndex
            ? $"applied index {behind.AppliedIndex} < {ahead.AppliedIndex}"
            : $"revision {behind.Revision} < {ahead.Revision} at applied index {ahead.AppliedIndex}";

    /// <summary>Whether the member may be snapshotted at all: it answered, votes, has a leader and no <c>CORRUPT</c> alarm on it.</summary>
    public static bool Eligible(EtcdStatusReading reading) =>
        reading.Status is { IsLearner: false } status && PassedOverFor(status).Count == 0;

    /// <summary>The errors that rule the member out (a <c>CORRUPT</c> alarm on it, no leader).</summary>
    private static List<EtcdStatusError> PassedOverFor(EtcdMemberStatus status) =>
        [.. status.ReadErrors().Where(e => e.PassesOver(status.MemberId))];

    private static EtcdEndpointReading Describe(EtcdStatusReading reading, bool chosen, EtcdMemberStatus? furthest, bool disagree)
    {
        if (reading.Status is not { } status)
        {
            return new EtcdEndpointReading(reading.Where, null, null, chosen, $"did not answer: {reading.Failure ?? "no reason given"}");
        }

        var errors = status.ReadErrors();
        var passedOver = errors.Where(e => e.PassesOver(status.MemberId)).ToList();
        var problem = disagree ? $"cluster {EtcdIds.Hex(status.ClusterId)}, and the other endpoints answer for another"
            : passedOver.Count > 0 ? string.Join(", ", passedOver.Select(e => e.NoLeader ? "no leader"
                : e.AlarmMemberId == status.MemberId ? $"alarm {e.Alarm} on this member"
                : $"alarm {e.Alarm} on a member whose id does not read ({e.Text.Trim()})"))
            : status.IsLearner ? "learner"
            : furthest is not null && Compare(status, furthest) < 0 ? $"behind: {Behind(status, furthest)}"
            : null;
        return new EtcdEndpointReading(reading.Where, status.MemberHex, status.RaftIndex, chosen, problem)
        {
            AppliedIndex = status.AppliedIndex,
            Revision = status.Revision,
            ClusterId = EtcdIds.Hex(status.ClusterId),
            Warnings = [.. errors.Where(e => !e.PassesOver(status.MemberId)).Select(e => e.Describe())],
        };
    }

    /// <summary>The endpoints that answered, by the cluster they answered for, in the order the clusters first appear.</summary>
    private static List<IGrouping<ulong, EtcdStatusReading>> Clusters(IReadOnlyList<EtcdStatusReading> readings) =>
        [.. readings.Where(r => r.Status is not null).GroupBy(r => r.Status!.ClusterId)];

    private static string Disagreement(List<IGrouping<ulong, EtcdStatusReading>> clusters) =>
        $"the etcd endpoints answer for {clusters.Count} different clusters ("
        + string.Join("; ", clusters.Select(g => $"cluster {EtcdIds.Hex(g.Key)}: {string.Join(", ", g.Select(r => r.Where))}"))
        + "); a stale etcd, or another system's etcd listed by mistake, is never snapshotted: list only the members of the cluster's own etcd";

    private static string WhyNone(IReadOnlyList<EtcdStatusReading> readings)
    {
        if (readings.Count == 0)
        {
            return "no etcd endpoint is configured";
        }

        var answered = readings.Where(r => r.Status is not null).ToList();
        return answered.Count == 0 ? $"none of the {readings.Count} etcd endpoints answered"
            : answered.All(r => PassedOverFor(r.Status!).Count > 0) ? "every etcd member that answered has a CORRUPT alarm on it or no leader"
            : "only learners answered without a CORRUPT alarm on them or a missing leader, and a learner's log may lag the cluster's: no voting member to snapshot";
    }
}
