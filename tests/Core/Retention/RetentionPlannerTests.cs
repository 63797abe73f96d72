using Strata.Core.Retention;

namespace Strata.Core.Tests.Retention;

public class RetentionPlannerTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static RetentionCandidate Backup(int daysAgo, bool good = true, int hour = 2, DateTimeOffset? retainUntil = null) =>
        new($"{AsOf.AddDays(-daysAgo):yyyyMMdd}-{hour:00}0000-000000", AsOf.Date.AddDays(-daysAgo).AddHours(hour), good, RetainUntil: retainUntil);

    private static HashSet<string> Kept(IEnumerable<RetentionDecision> plan) => plan.Where(d => d.Verdict == RetentionVerdict.Keep).Select(d => d.Id).ToHashSet();

    [Fact]
    public void EveryNewerRunFailed_TheLastGoodBackupsAreKept()
    {
        // 30 daily backups; the newest 20 failed. keepLast 3 counts good backups only, and minVerifiedKept holds even without it.
        var backups = Enumerable.Range(0, 30).Select(d => Backup(d, good: d >= 20)).ToList();

        var plan = RetentionPlanner.Plan(backups, new RetentionRules { KeepLast = 0, MinVerifiedKept = 2, MaxAge = TimeSpan.FromDays(7) }, AsOf, TimeZoneInfo.Utc);

        Assert.Equal(new[] { Backup(20).Id, Backup(21).Id }.ToHashSet(), Kept(plan).Where(id => backups.Single(b => b.Id == id).Good).ToHashSet());
        Assert.Contains("minVerifiedKept", plan.Single(d => d.Id == Backup(20).Id).Reason);
        // Failed runs newer than the newest good backup are kept (nothing better exists); none is good, so none expires here.
        Assert.All(backups.Where(b => !b.Good), b => Assert.Equal(RetentionVerdict.Keep, plan.Single(d => d.Id == b.Id).Verdict));
    }

    [Fact]
    public void MinVerifiedKept_CountsOnlyVerifiedBackups_NewerUnverifiedOnesDoNotPushThemOut()
    {
        // The newest 5 committed but never verified (the verify worker was down); the 5 before them verified.
        var backups = Enumerable.Range(0, 10).Select(d => Backup(d) with { Verified = d >= 5 }).ToList();

        var plan = RetentionPlanner.Plan(backups, new RetentionRules { KeepLast = 0, MinVerifiedKept = 2, MaxAge = TimeSpan.FromDays(1) }, AsOf, TimeZoneInfo.Utc);

        Assert.Equal(new[] { Backup(5).Id, Backup(6).Id }.ToHashSet(), plan.Where(d => d.Reason.Contains("verified backups (minVerifiedKept)")).Select(d => d.Id).ToHashSet());
        Assert.Equal(RetentionVerdict.Expire, plan.Single(d => d.Id == Backup(7).Id).Verdict);
    }

    [Fact]
    public void MinVerifiedKept_FewerVerifiedThanTheMinimum_TopsUpWithTheNewestGood()
    {
        var backups = Enumerable.Range(0, 6).Select(d => Backup(d) with { Verified = d == 4 }).ToList();

        var plan = RetentionPlanner.Plan(backups, new RetentionRules { KeepLast = 0, MinVerifiedKept = 3, MaxAge = TimeSpan.FromDays(1) }, AsOf, TimeZoneInfo.Utc);

        Assert.Equal(new[] { Backup(0).Id, Backup(1).Id, Backup(4).Id }.ToHashSet(), Kept(plan));
    }

    [Fact]
    public void Gfs_KeepsTheNewestOfEachDayWeekAndMonth()
    {
        // Two backups a day for 90 days.
        var backups = Enumerable.Range(0, 90).SelectMany(d => new[] { Backup(d, hour: 2), Backup(d, hour: 14) }).ToList();
        var rules = new RetentionRules { KeepLast = 2, KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 3, MinVerifiedKept = 1 };

        var kept = Kept(RetentionPlanner.Plan(backups, rules, AsOf, TimeZoneInfo.Utc));

        Assert.Contains(Backup(0, hour: 14).Id, kept);
        Assert.Contains(Backup(0, hour: 2).Id, kept); // keepLast 2
        Assert.Contains(Backup(6, hour: 14).Id, kept); // 7th day
        Assert.DoesNotContain(Backup(6, hour: 2).Id, kept);
        Assert.DoesNotContain(Backup(10, hour: 14).Id, kept); // not the newest of its week (Sunday 15 Nov is)
        Assert.Contains(Backup(52, hour: 14).Id, kept); // 30 September: newest of the third month
        Assert.DoesNotContain(Backup(89, hour: 14).Id, kept); // August: a fourth month
        Assert.True(kept.Count <= 2 + 7 + 4 + 3);
    }

    [Fact]
    public void Locked_IsReportedNotExpired()
    {
        var until = AsOf.AddDays(3);
        var backups = new[] { Backup(0), Backup(40, retainUntil: until), Backup(41, retainUntil: AsOf.AddDays(-1)) };

        var plan = RetentionPlanner.Plan(backups, new RetentionRules { KeepLast = 1, MinVerifiedKept = 1 }, AsOf, TimeZoneInfo.Utc);

        var locked = plan.Single(d => d.Id == backups[1].Id);
        Assert.Equal(RetentionVerdict.Locked, locked.Verdict);
        Assert.Equal(until, locked.LockedUntil);
        Assert.Contains("write-once until 2026-11-24T12:00:00Z", locked.Reason);
        Assert.Equal(RetentionVerdict.Expire, plan.Single(d => d.Id == backups[2].Id).Verdict); // its lock expired yesterday
    }

    [Fact]
    public void InProgress_IsNeverTouched()
    {
        var running = Backup(100) with { InProgress = true, Good = false };

        var plan = RetentionPlanner.Plan([Backup(0), running], new RetentionRules { KeepLast = 1, MinVerifiedKept = 1, MaxAge = TimeSpan.FromDays(1) }, AsOf, TimeZoneInfo.Utc);

        Assert.Equal(RetentionVerdict.Keep, plan.Single(d => d.Id == running.Id).Verdict);
    }

    [Fact]
    public void Properties_HoldForRandomHistories()
    {
        var random = new Random(20261121);
        var zones = new[] { TimeZoneInfo.Utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"), TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland") };
        for (var i = 0; i < 500; i++)
        {
            var backups = Enumerable.Range(0, random.Next(0, 80)).Select(n =>
            {
                var started = AsOf.AddMinutes(-random.Next(0, 60 * 24 * 400));
                var locked = random.Next(5) == 0 ? started.AddDays(random.Next(1, 60)) : (DateTimeOffset?)null;
                var good = random.Next(4) != 0;
                return new RetentionCandidate($"b{n:000}", started, good, InProgress: random.Next(40) == 0, RetainUntil: locked, Verified: good && random.Next(3) != 0);
            }).ToList();
            var rules = new RetentionRules
            {
                KeepLast = random.Next(0, 5),
                KeepDaily = random.Next(0, 10),
                KeepWeekly = random.Next(0, 6),
                KeepMonthly = random.Next(0, 6),
                MaxAge = random.Next(2) == 0 ? TimeSpan.FromDays(random.Next(1, 200)) : null,
                MinVerifiedKept = random.Next(1, 5),
            };
            var zone = zones[random.Next(zones.Length)];

            var plan = RetentionPlanner.Plan(backups, rules, AsOf, zone);

            // Every backup has exactly one verdict.
            Assert.Equal(backups.Select(b => b.Id).Order(), plan.Select(d => d.Id).Order());

            // Never below minVerifiedKept: the newest verified backups are kept, and as many good ones as that
            // in all (topped up with unverified good ones while fewer are verified).
            var ordered = backups.Where(b => b.Good && !b.InProgress).OrderByDescending(b => b.StartedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
            Assert.All(ordered.Where(b => b.Verified).Take(rules.MinVerifiedKept), b => Assert.Equal(RetentionVerdict.Keep, plan.Single(d => d.Id == b.Id).Verdict));
            Assert.True(ordered.Count(b => plan.Single(d => d.Id == b.Id).Verdict == RetentionVerdict.Keep) >= Math.Min(rules.MinVerifiedKept, ordered.Count));

            // Never a locked blob, never a running backup.
            Assert.All(plan.Where(d => d.Verdict == RetentionVerdict.Expire), d =>
            {
                var backup = backups.Single(b => b.Id == d.Id);
                Assert.False(backup.RetainUntil > AsOf, $"{d.Id} is locked until {backup.RetainUntil}");
                Assert.False(backup.InProgress);
            });

            // Stable: applying the plan and planning again expires nothing more.
            var remaining = backups.Where(b => plan.Single(d => d.Id == b.Id).Verdict != RetentionVerdict.Expire).ToList();
            var again = RetentionPlanner.Plan(remaining, rules, AsOf, zone);
            Assert.DoesNotContain(again, d => d.Verdict == RetentionVerdict.Expire);
            Assert.Equal(plan.Where(d => d.Verdict != RetentionVerdict.Expire).Select(d => (d.Id, d.Verdict)).Order(), again.Select(d => (d.Id, d.Verdict)).Order());
        }
    }
}
