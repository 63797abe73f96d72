using CsCheck;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>
/// The member a snapshot is read from: of one cluster, voting, no CORRUPT alarm on it and a leader, the furthest along by
/// applied index then revision, ties to the configured order; the cluster's other alarms only warnings; every other
/// endpoint's reason.
/// </summary>
public sealed class EtcdMemberChoiceTests
{
    private static EtcdStatusReading Up(
        int n, ulong raftIndex, IReadOnlyList<string>? errors = null, bool learner = false, ulong? applied = null, long revision = 1000, ulong cluster = 0xc1) =>
        EtcdStatusReading.Answered(Endpoint(n), FakeEtcdMember.StatusOf((ulong)n, raftIndex, revision, errors, learner, applied, cluster));

    private static EtcdStatusReading Down(int n) => EtcdStatusReading.Failed(Endpoint(n), $"{Endpoint(n)}: connection refused");

    private static Uri Endpoint(int n) => new($"https://10.0.0.{10 + n}:2379");

    private static string Alarm(int member, string type) => FakeEtcdMember.Alarm((ulong)member, type);

    [Fact]
    public void Choose_MemberBehind_IsNotChosen_AndSaysByHowMuch()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 1200), Up(2, 1215), Up(3, 1215)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Null(choice.NoneBecause);
        Assert.Equal(["behind: applied index 1200 < 1215", null, null], choice.Readings.Select(r => r.Problem));
        Assert.Equal([false, true, false], choice.Readings.Select(r => r.Chosen));
        var chosen = choice.Readings[1];
        Assert.Equal(("https://10.0.0.12:2379", "0000000000000002", 1215UL, 1215UL, 1000L, "00000000000000c1"),
            (chosen.Endpoint, chosen.MemberId, chosen.RaftIndex, chosen.AppliedIndex, chosen.Revision, chosen.ClusterId));
    }

    [Fact]
    public void Choose_OrdersByTheAppliedIndex_NotTheCommittedOne()
    {
        // Member 1 has committed more of the log but applied less of it: its backend, which the snapshot holds, lags.
        var choice = EtcdMemberChoice.Choose([Up(1, 1300, applied: 1200), Up(2, 1250, applied: 1250)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Equal(["behind: applied index 1200 < 1250", null], choice.Readings.Select(r => r.Problem));
        Assert.Equal([1300UL, 1250UL], choice.Readings.Select(r => r.RaftIndex!.Value));
    }

    [Fact]
    public void Choose_NoAppliedIndex_Etcd33_FallsBackToTheCommittedIndex()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 1200, applied: 0), Up(2, 1215, applied: 0)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Equal(["behind: applied index 1200 < 1215", null], choice.Readings.Select(r => r.Problem));
        Assert.Equal([1200UL, 1215UL], choice.Readings.Select(r => r.AppliedIndex!.Value));
    }

    [Fact]
    public void Choose_SameAppliedIndex_TheHigherRevisionWins_ThenTheConfiguredOrder()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 500, revision: 998), Up(2, 500, revision: 1000), Up(3, 500, revision: 1000)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Equal(["behind: revision 998 < 1000 at applied index 500", null, null], choice.Readings.Select(r => r.Problem));
    }

    [Fact]
    public void Choose_NospaceAlarm_ReportedByEveryMember_StillChooses_WithTheAlarmAsAWarning()
    {
        // etcd lists the cluster's alarms on every member: one NOSPACE must not block the backup it calls for.
        string[] alarms = [Alarm(2, "NOSPACE")];
        var choice = EtcdMemberChoice.Choose([Up(1, 900, alarms), Up(2, 900, alarms), Up(3, 899, alarms)]);

        Assert.Equal(0, choice.Chosen);
        Assert.Equal([null, null, "behind: applied index 899 < 900"], choice.Readings.Select(r => r.Problem));
        Assert.All(choice.Readings, r => Assert.Equal(["alarm NOSPACE on member 0000000000000002"], r.Warnings));
    }

    [Fact]
    public void Choose_CorruptAlarm_PassesOverOnlyTheMemberItNames()
    {
        string[] alarms = [Alarm(1, "CORRUPT"), Alarm(3, "NOSPACE")];
        var choice = EtcdMemberChoice.Choose([Up(1, 950, alarms), Up(2, 900, alarms), Up(3, 900, alarms)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Equal(["alarm CORRUPT on this member", null, null], choice.Readings.Select(r => r.Problem));
        Assert.Equal(["alarm NOSPACE on member 0000000000000003"], choice.Readings[0].Warnings);
        Assert.Equal(["alarm CORRUPT on member 0000000000000001", "alarm NOSPACE on member 0000000000000003"], choice.Readings[1].Warnings);
    }

    [Fact]
    public void Choose_CorruptAlarmNamingNoMemberThatReads_PassesOverEveryone()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 10, ["memberID:zz-9 alarm:CORRUPT"]), Up(2, 10, ["alarm:CORRUPT"])]);

        Assert.Null(choice.Chosen);
        Assert.Equal("every etcd member that answered has a CORRUPT alarm on it or no leader", choice.NoneBecause);
        Assert.Equal("alarm CORRUPT on a member whose id does not read (memberID:zz-9 alarm:CORRUPT)", choice.Readings[0].Problem);
    }

    [Fact]
    public void Choose_NoLeader_IsPassedOver()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 2000, ["etcdserver: no leader"]), Up(2, 1000)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Equal(["no leader", null], choice.Readings.Select(r => r.Problem));
    }

    [Fact]
    public void Choose_EndpointsOfDifferentClusters_ChoosesNone_NamingEachEndpointsCluster()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 10), Down(2), Up(3, 5000, cluster: 0xdead), Up(4, 10)]);

        Assert.Null(choice.Chosen);
        Assert.True(choice.ClustersDisagree);
        Assert.Equal(
            "the etcd endpoints answer for 2 different clusters (cluster 00000000000000c1: https://10.0.0.11:2379, https://10.0.0.14:2379; "
            + "cluster 000000000000dead: https://10.0.0.13:2379); a stale etcd, or another system's etcd listed by mistake, is never snapshotted: "
            + "list only the members of the cluster's own etcd",
            choice.NoneBecause);
        Assert.Equal("cluster 000000000000dead, and the other endpoints answer for another", choice.Readings[2].Problem);
        Assert.StartsWith("did not answer: ", choice.Readings[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_DownCorruptAndLearner_ArePassedOver_WithTheirReasons()
    {
        var choice = EtcdMemberChoice.Choose([Down(1), Up(2, 9000, errors: [Alarm(2, "CORRUPT")]), Up(3, 9000, learner: true), Up(4, 100)]);

        Assert.Equal(3, choice.Chosen);
        Assert.Equal(["did not answer: https://10.0.0.11:2379/: connection refused", "alarm CORRUPT on this member", "learner", null], choice.Readings.Select(r => r.Problem));
        Assert.Equal((null, null, null), (choice.Readings[0].MemberId, choice.Readings[0].RaftIndex, choice.Readings[0].ClusterId));
    }

    [Fact]
    public void Choose_OnlyLearnersAnswer_ChoosesNone_AndSaysWhy()
    {
        var choice = EtcdMemberChoice.Choose([Down(1), Up(2, 50, learner: true)]);

        Assert.Null(choice.Chosen);
        Assert.Contains("only learners answered", choice.NoneBecause, StringComparison.Ordinal);
        Assert.Equal("https://10.0.0.11:2379: did not answer: https://10.0.0.11:2379/: connection refused; https://10.0.0.12:2379: learner", choice.Describe());
    }

    [Fact]
    public void Choose_NoneAnswers_ChoosesNone_CountingThem()
    {
        var choice = EtcdMemberChoice.Choose([Down(1), Down(2), Down(3)]);

        Assert.Null(choice.Chosen);
        Assert.Equal("none of the 3 etcd endpoints answered", choice.NoneBecause);
        Assert.All(choice.Readings, r => Assert.StartsWith("did not answer: ", r.Problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("memberID:15300616325842721311 alarm:NOSPACE ", "NOSPACE", 15300616325842721311UL, "alarm NOSPACE on member d456b57b7265da1f")]
    [InlineData("memberID:d456b57b7265da1f alarm:CORRUPT", "CORRUPT", 15300616325842721311UL, "alarm CORRUPT on member d456b57b7265da1f")]
    [InlineData("alarm:NOSPACE", "NOSPACE", null, "alarm NOSPACE on member (none named)")]
    [InlineData("etcdserver: no leader", null, null, "no leader")]
    [InlineData("something else went wrong ", null, null, "something else went wrong")]
    public void StatusErrorParse_ReadsEtcdsAlarmText(string text, string? alarm, ulong? member, string described)
    {
        var error = EtcdStatusError.Parse(text);

        Assert.Equal((alarm, member, described), (error.Alarm, error.AlarmMemberId, error.Describe()));
    }

    private static readonly Gen<string[]> Errors = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 6], (kind, member) => kind switch
    {
        0 => new[] { Alarm(member, "NOSPACE") },
        1 => [Alarm(member, "CORRUPT")],
        2 => ["etcdserver: no leader"],
        3 => [Alarm(member, "CORRUPT"), Alarm(member + 1, "NOSPACE")],
        _ => [],
    });

    private static readonly Gen<EtcdStatusReading[]> Readings =
        Gen.Select(Gen.Int[0, 3], Gen.Select(Gen.ULong[0, 6], Gen.ULong[0, 3], Gen.Long[998, 1000]), Errors).Array[1, 7].Select(items => items.Select((x, i) =>
        {
            var (kind, (applied, lag, revision), errors) = x;
            return kind switch
            {
                0 => Down(i),
                1 => Up(i, applied + lag, errors, learner: true, applied: applied, revision: revision),
                _ => Up(i, applied + lag, errors, applied: applied, revision: revision),
            };
        }).ToArray());

    /// <summary>What may be snapshotted, said independently of the code: voting, and no CORRUPT alarm naming it nor a missing leader.</summary>
    private static bool Eligible(EtcdStatusReading r) =>
        r.Status is { IsLearner: false } s
        && !s.Errors.Contains("etcdserver: no leader")
        && !s.Errors.Contains(FakeEtcdMember.Alarm(s.MemberId, "CORRUPT"));

    /// <summary>How far along: the applied index (the committed one where etcd before 3.4 reports none), then the revision.</summary>
    private static (ulong, long) Progress(EtcdStatusReading r) =>
        (r.Status!.RaftAppliedIndex != 0 ? r.Status.RaftAppliedIndex : r.Status.RaftIndex, r.Status.Revision);

    [Fact]
    public void Choose_Property_ChosenIsFurthestAlongOfTheEligible_AndIsNeverIneligible() =>
        Readings.Sample(readings =>
        {
            var choice = EtcdMemberChoice.Choose(readings);
            var eligible = readings.Where(Eligible).ToList();
            if (eligible.Count == 0)
            {
                return choice.Chosen is null && choice.NoneBecause is not null;
            }

            var chosen = readings[choice.Chosen!.Value];
            return Eligible(chosen) && Progress(chosen) == eligible.Max(Progress)
                && choice.Readings.Count(r => r.Chosen) == 1 && choice.Readings[choice.Chosen.Value].Problem is null;
        });

    [Fact]
    public void Choose_Property_NospaceAlarmsNeverChangeTheChoice_OnlyAddWarnings() =>
        Readings.Sample(readings =>
        {
            var quiet = EtcdMemberChoice.Choose(readings);
            var alarmed = readings.Select(r => r.Status is { } s ? r with { Status = s with { Errors = [.. s.Errors, Alarm(1, "NOSPACE")] } } : r).ToArray();
            var loud = EtcdMemberChoice.Choose(alarmed);
            return loud.Chosen == quiet.Chosen
                && loud.Readings.Select(r => r.Problem).SequenceEqual(quiet.Readings.Select(r => r.Problem))
                && loud.Readings.Where(r => r.MemberId is not null).All(r => r.Warnings.Contains("alarm NOSPACE on member 0000000000000001"));
        });

    [Fact]
    public void Choose_Property_TiesGoToTheConfiguredOrder_AndPermutingTheRestChangesNothing() =>
        Gen.Select(Readings, Gen.Int).Sample((readings, seed) =>
        {
            var choice = EtcdMemberChoice.Choose(readings);
            var again = EtcdMemberChoice.Choose(readings);
            var random = new Random(seed);
            var shuffled = readings.OrderBy(_ => random.Next()).ToArray();
            var other = EtcdMemberChoice.Choose(shuffled);
            if (choice.Chosen is not { } index)
            {
                return again.Chosen is null && other.Chosen is null;
            }

            var max = Progress(readings[index]);
            var first = Array.FindIndex(readings, r => Eligible(r) && Progress(r) == max);
            var firstShuffled = Array.FindIndex(shuffled, r => Eligible(r) && Progress(r) == max);
            return index == first && again.Chosen == index && again.Readings.SequenceEqual(choice.Readings) && other.Chosen == firstShuffled;
        });

    [Fact]
    public void Choose_Property_AnsweringEndpointsOfTwoClusters_NeverChoose() =>
        Gen.Select(Readings, Gen.Int[0, 6]).Sample((readings, stray) =>
        {
            var answered = readings.Select((r, i) => (r, i)).Where(x => x.r.Status is not null).ToList();
            if (answered.Count < 2)
            {
                return true;
            }

            var target = answered[stray % answered.Count].i;
            var mixed = readings.Select((r, i) => i == target ? r with { Status = r.Status! with { ClusterId = 0xbad } } : r).ToArray();
            var choice = EtcdMemberChoice.Choose(mixed);
            return choice.Chosen is null && choice.ClustersDisagree && choice.NoneBecause!.Contains("0000000000000bad", StringComparison.Ordinal);
        });
}
