namespace Strata.Core.Etcd;

/// <summary>
/// Chooses the member a snapshot is read from, from every configured endpoint's status reading: one that answered,
/// reports no alarm and votes (a learner's log may lag), with the highest raft index — never a member that is behind,
/// since its database lacks writes the cluster committed. Ties go to the earliest endpoint in the configured order.
/// Every endpoint's reading says why it was passed over (<c>did not answer: …</c>, <c>alarms: NOSPACE</c>,
/// <c>learner</c>, <c>behind: raft index 1200 &lt; 1215</c>).
/// </summary>
public static class EtcdMemberChoice
{
    /// <summary>Chooses among <paramref name="readings"/> (in the configured order).</summary>
    public static EtcdChoice Choose(IReadOnlyList<EtcdStatusReading> readings)
    {
        var voting = readings.Select((r, i) => (Reading: r, Index: i))
            .Where(x => x.Reading.Status is { Errors.Count: 0, IsLearner: false })
            .ToList();
        int? chosen = null;
        ulong highest = 0;
        foreach (var (reading, index) in voting)
        {
            if (chosen is null || reading.Status!.RaftIndex > highest)
            {
                chosen = index;
                highest = reading.Status!.RaftIndex;
            }
        }

        var described = readings.Select((r, i) => Describe(r, i == chosen, chosen is null ? null : highest)).ToList();
        return new EtcdChoice(chosen, described, chosen is null ? WhyNone(readings) : null);
    }

    private static EtcdEndpointReading Describe(EtcdStatusReading reading, bool chosen, ulong? highest)
    {
        var status = reading.Status;
        var problem = status is null ? $"did not answer: {reading.Failure ?? "no reason given"}"
            : status.Errors.Count > 0 ? $"alarms: {string.Join(", ", status.Errors)}"
            : status.IsLearner ? "learner"
            : highest is { } max && status.RaftIndex < max ? $"behind: raft index {status.RaftIndex} < {max}"
            : null;
        return new EtcdEndpointReading(reading.Where, status?.MemberHex, status?.RaftIndex, chosen, problem);
    }

    private static string WhyNone(IReadOnlyList<EtcdStatusReading> readings)
    {
        if (readings.Count == 0)
        {
            return "no etcd endpoint is configured";
        }

        var answered = readings.Where(r => r.Status is not null).ToList();
        return answered.Count == 0 ? $"none of the {readings.Count} etcd endpoints answered"
            : answered.All(r => r.Status!.Errors.Count > 0) ? "every etcd member that answered reports alarms"
            : "only learners answered without alarms, and a learner's log may lag the cluster's: no voting member to snapshot";
    }
}
