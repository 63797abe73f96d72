using CsCheck;
using Strata.Core.Freshness;

namespace Strata.Core.Tests.Freshness;

/// <summary>The WAL archiver judgment: examples for the words, properties for the rules.</summary>
public sealed class WalArchivingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Minutes before <see cref="Now"/>, or -1 for none.</summary>
    private static readonly Gen<int> MinutesAgo = Gen.Int[-1, 600];

    private static readonly Gen<string> Mode = Gen.Int[0, 2].Select(i => new[] { "on", "always", "off" }[i]);

    private static DateTimeOffset? Ago(int minutes) => minutes < 0 ? null : Now.AddMinutes(-minutes);

    private static TimeSpan? Rpo(int minutes) => minutes < 0 ? null : TimeSpan.FromMinutes(minutes + 1);

    private static WalArchiverReading Server(int archivedAgo, int failedAgo, string mode = "on") => new()
    {
        Source = WalArchiverSource.PgStatArchiver,
        ReadAt = Now,
        ArchiveMode = mode,
        LastArchivedAt = Ago(archivedAgo),
        LastArchivedWal = archivedAgo < 0 ? null : "00000001000000000000002A",
        LastFailedAt = Ago(failedAgo),
        LastFailedWal = failedAgo < 0 ? null : "00000001000000000000002B",
        FailedCount = failedAgo < 0 ? 0 : 3,
        StatsResetAt = Now.AddDays(-1),
    };

    private static WalArchiverReading Cluster(string? condition, int lastBackupAgo) => new()
    {
        Source = WalArchiverSource.CloudNativePg,
        ReadAt = Now,
        Condition = condition,
        ConditionReason = condition == "False" ? "ContinuousArchivingFailing" : "ContinuousArchivingSuccess",
        ConditionMessage = condition == "False" ? "unexpected failure invoking barman-cloud-wal-archive: exit status 1" : "Continuous archiving is working",
        ConditionSince = Now.AddMinutes(-7),
        LastSuccessfulBackupAt = Ago(lastBackupAgo),
    };

    [Fact]
    public void Judge_ServerFailingAfterItsLastSuccess_IsFailing_WithTheWalAndTimes()
    {
        var judgment = WalArchiving.Judge(Server(archivedAgo: 30, failedAgo: 2), TimeSpan.FromHours(2));

        Assert.Equal(WalArchivingState.Failing, judgment.State);
        Assert.Contains("00000001000000000000002B", judgment.Reason, StringComparison.Ordinal);
        Assert.Contains("2026-11-21 11:58:00Z", judgment.Reason, StringComparison.Ordinal);
        Assert.Contains("3 failure(s)", judgment.Reason, StringComparison.Ordinal);
        Assert.True(judgment.Alerts);
    }

    [Fact]
    public void Judge_ServerWhoseLastArchiveIsOlderThanTheRpo_IsStale_AndNamesArchiveTimeout()
    {
        var judgment = WalArchiving.Judge(Server(archivedAgo: 150, failedAgo: -1), TimeSpan.FromHours(2));

        Assert.Equal(WalArchivingState.Stale, judgment.State);
        Assert.Contains("2h30m ago, past the objective of 2h", judgment.Reason, StringComparison.Ordinal);
        Assert.Contains("archive_timeout", judgment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ServerWithArchiveModeOff_IsFailing()
    {
        Assert.Equal(WalArchivingState.Failing, WalArchiving.Judge(Server(5, -1, "off"), null).State);
    }

    [Fact]
    public void Judge_ServerThatNeverArchived_IsUnknownUntilTheStatisticsAreOlderThanTheRpo()
    {
        var young = Server(-1, -1) with { StatsResetAt = Now.AddMinutes(-30) };

        Assert.Equal(WalArchivingState.Unknown, WalArchiving.Judge(young, TimeSpan.FromHours(1)).State);
        Assert.Equal(WalArchivingState.Stale, WalArchiving.Judge(young with { ReadAt = Now.AddHours(1) }, TimeSpan.FromHours(1)).State);
    }

    [Fact]
    public void Judge_ClusterWithContinuousArchivingFalse_IsFailing_WithTheOperatorsMessage()
    {
        var judgment = WalArchiving.Judge(Cluster("False", 10), TimeSpan.FromHours(26));

        Assert.Equal(WalArchivingState.Failing, judgment.State);
        Assert.Contains("ContinuousArchivingFailing", judgment.Reason, StringComparison.Ordinal);
        Assert.Contains("barman-cloud-wal-archive: exit status 1", judgment.Reason, StringComparison.Ordinal);
        Assert.Contains("since 2026-11-21 11:53:00Z", judgment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ClusterArchivingButWithoutABaseBackupWithinTheRpo_IsStale()
    {
        var stale = WalArchiving.Judge(Cluster("True", 27 * 60), TimeSpan.FromHours(26));
        var fresh = WalArchiving.Judge(Cluster("True", 60), TimeSpan.FromHours(26));
        var none = WalArchiving.Judge(Cluster(null, 60), TimeSpan.FromHours(26));

        Assert.Equal((WalArchivingState.Stale, WalArchivingState.Healthy, WalArchivingState.Unknown), (stale.State, fresh.State, none.State));
        Assert.Contains("last successful base backup", stale.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_Server_FailingExactlyWhenTheLastFailureIsAfterTheLastSuccessOrArchivingIsOff_WhateverTheRpo()
    {
        Gen.Select(MinutesAgo, MinutesAgo, MinutesAgo, Mode).Sample((archived, failed, rpo, mode) =>
        {
            var reading = Server(archived, failed, mode);
            var failing = mode == "off" || (failed >= 0 && (archived < 0 || failed < archived));

            Assert.Equal(failing, WalArchiving.Judge(reading, Rpo(rpo)).State == WalArchivingState.Failing);
        });
    }

    [Fact]
    public void Judge_Server_NotFailing_StaleExactlyWhenTheLastArchiveIsOlderThanTheRpo()
    {
        Gen.Select(Gen.Int[0, 600], MinutesAgo).Sample((archived, rpo) =>
        {
            var state = WalArchiving.Judge(Server(archived, -1), Rpo(rpo)).State;
            var stale = rpo >= 0 && TimeSpan.FromMinutes(archived) > Rpo(rpo);

            Assert.Equal(stale ? WalArchivingState.Stale : WalArchivingState.Healthy, state);
        });
    }

    [Fact]
    public void Judge_WithoutAnRpo_NeverStale()
    {
        Gen.Select(MinutesAgo, MinutesAgo, Gen.Int[0, 2].Select(i => new[] { "True", "False", null }[i])).Sample((archived, failed, condition) =>
        {
            Assert.NotEqual(WalArchivingState.Stale, WalArchiving.Judge(Server(archived, failed), null).State);
            Assert.NotEqual(WalArchivingState.Stale, WalArchiving.Judge(Cluster(condition, archived), null).State);
        });
    }

    [Fact]
    public void Judge_AsTimePassesWithoutANewReading_NeverRecovers()
    {
        // A reading that does not change cannot get better with age: what alerted at t alerts at every later t.
        Gen.Select(MinutesAgo, MinutesAgo, MinutesAgo, Gen.Int[0, 600]).Sample((archived, failed, rpo, later) =>
        {
            foreach (var reading in new[] { Server(archived, failed), Cluster(failed < 0 ? "True" : "False", archived) })
            {
                var before = WalArchiving.Judge(reading, Rpo(rpo));
                var after = WalArchiving.Judge(reading with { ReadAt = Now.AddMinutes(later) }, Rpo(rpo));
                Assert.True(!before.Alerts || after.Alerts, $"{before.State} then {after.State}");
            }
        });
    }

    [Fact]
    public void DedupKey_IsPerPolicyClusterAndArchiver()
    {
        Assert.Equal("wal-archiving/nightly/prod/cnpg/shop/pg-main", WalArchiving.DedupKey("nightly", "prod", WalArchiving.CloudNativePgSubject("shop", "pg-main")));
        Assert.Equal("wal-archiving-unreadable/nightly/prod/databases/shop/shop-db", WalArchiving.UnreadableKey("nightly", "prod", WalArchiving.DatabaseSubject("shop", "shop-db")));
    }
}
