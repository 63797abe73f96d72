using CsCheck;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>The member a snapshot is read from: healthy, voting, the highest raft index, ties to the configured order; every other endpoint's reason.</summary>
public sealed class EtcdMemberChoiceTests
{
    private static EtcdStatusReading Up(int n, ulong raftIndex, IReadOnlyList<string>? errors = null, bool learner = false) =>
        EtcdStatusReading.Answered(Endpoint(n), FakeEtcdMember.StatusOf((ulong)n, raftIndex, errors: errors, learner: learner));

    private static EtcdStatusReading Down(int n) => EtcdStatusReading.Failed(Endpoint(n), $"{Endpoint(n)}: connection refused");

    private static Uri Endpoint(int n) => new($"https://10.0.0.{10 + n}:2379");

    [Fact]
    public void Choose_MemberBehind_IsNotChosen_AndSaysByHowMuch()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 1200), Up(2, 1215), Up(3, 1215)]);

        Assert.Equal(1, choice.Chosen);
        Assert.Null(choice.NoneBecause);
        Assert.Equal(["behind: raft index 1200 < 1215", null, null], choice.Readings.Select(r => r.Problem));
        Assert.Equal([false, true, false], choice.Readings.Select(r => r.Chosen));
        Assert.Equal(("https://10.0.0.12:2379", "0000000000000002", 1215UL), (choice.Readings[1].Endpoint, choice.Readings[1].MemberId, choice.Readings[1].RaftIndex));
    }

    [Fact]
    public void Choose_DownAlarmedAndLearner_ArePassedOver_WithTheirReasons()
    {
        var choice = EtcdMemberChoice.Choose([Down(1), Up(2, 9000, errors: ["NOSPACE"]), Up(3, 9000, learner: true), Up(4, 100)]);

        Assert.Equal(3, choice.Chosen);
        Assert.Equal(["did not answer: https://10.0.0.11:2379/: connection refused", "alarms: NOSPACE", "learner", null], choice.Readings.Select(r => r.Problem));
        Assert.Equal((null, null), (choice.Readings[0].MemberId, choice.Readings[0].RaftIndex));
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

    [Fact]
    public void Choose_EveryAnswerAlarmed_ChoosesNone()
    {
        var choice = EtcdMemberChoice.Choose([Up(1, 10, errors: ["CORRUPT"]), Down(2)]);

        Assert.Null(choice.Chosen);
        Assert.Equal("every etcd member that answered reports alarms", choice.NoneBecause);
    }

    private static readonly Gen<EtcdStatusReading[]> Readings =
        Gen.Select(Gen.Int[0, 4], Gen.ULong[0, 6], Gen.Bool).Array[1, 7].Select(items => items.Select((x, i) => x.Item1 switch
        {
            0 => Down(i),
            1 => Up(i, x.Item2, errors: ["NOSPACE"]),
            2 => Up(i, x.Item2, learner: true),
            _ => Up(i, x.Item2),
        }).ToArray());

    private static bool Eligible(EtcdStatusReading r) => r.Status is { Errors.Count: 0, IsLearner: false };

    [Fact]
    public void Choose_Property_ChosenHasTheHighestRaftIndexOfTheHealthy_AndIsNeverUnhealthy() =>
        Readings.Sample(readings =>
        {
            var choice = EtcdMemberChoice.Choose(readings);
            var healthy = readings.Where(Eligible).ToList();
            if (healthy.Count == 0)
            {
                return choice.Chosen is null && choice.NoneBecause is not null;
            }

            var chosen = readings[choice.Chosen!.Value];
            return Eligible(chosen) && chosen.Status!.RaftIndex == healthy.Max(r => r.Status!.RaftIndex)
                && choice.Readings.Count(r => r.Chosen) == 1 && choice.Readings[choice.Chosen.Value].Problem is null;
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

            var max = readings[index].Status!.RaftIndex;
            var first = Array.FindIndex(readings, r => Eligible(r) && r.Status!.RaftIndex == max);
            var firstShuffled = Array.FindIndex(shuffled, r => Eligible(r) && r.Status!.RaftIndex == max);
            return index == first && again.Chosen == index && again.Readings.SequenceEqual(choice.Readings) && other.Chosen == firstShuffled;
        });
}
