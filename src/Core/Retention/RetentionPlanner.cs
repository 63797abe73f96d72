using System.Globalization;

namespace Strata.Core.Retention;

/// <summary>
/// Grandfather-father-son retention as a pure function of (backups, rules, as-of time, time zone).
/// Only good backups fill the keep rules; the newest <see cref="RetentionRules.MinVerifiedKept"/>
/// verified ones are kept whatever else says — also when every newer run failed, which is how other
/// tools have lost the last good backup — topped up with the newest good ones while fewer are verified
/// (verification has not caught up, or never ran), so nothing that may be the last restorable copy goes. A run that is not good expires once a newer good backup
/// exists. Nothing whose write-once lock is still running is expired: it is reported as locked.
/// Applying a plan and planning again at the same time expires nothing more.
/// </summary>
public static class RetentionPlanner
{
    /// <summary>The verdict on every backup of one policy on one cluster.</summary>
    public static IReadOnlyList<RetentionDecision> Plan(IReadOnlyList<RetentionCandidate> backups, RetentionRules rules, DateTimeOffset asOf, TimeZoneInfo zone)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        void Keep(RetentionCandidate backup, string reason) => reasons.TryAdd(backup.Id, reason);

        var good = backups.Where(b => b.Good && !b.InProgress)
            .OrderByDescending(b => b.StartedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
        var minimum = Math.Max(1, rules.MinVerifiedKept);
        var verified = good.Where(b => b.Verified).Take(minimum).ToList();
        foreach (var backup in verified)
        {
            Keep(backup, $"one of the newest {minimum} verified backups (minVerifiedKept)");
        }

        foreach (var backup in good.Where(b => !b.Verified).Take(minimum - verified.Count))
        {
            Keep(backup, $"fewer than {minimum} backups are verified: one of the newest good ones (minVerifiedKept)");
        }

        var young = good.Where(b => rules.MaxAge is not { } maxAge || asOf - b.StartedAt <= maxAge).ToList();
        foreach (var backup in young.Take(rules.KeepLast))
        {
            Keep(backup, $"one of the newest {rules.KeepLast} (keepLast)");
        }

        KeepNewestPer(young, rules.KeepDaily, b => Local(b, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "day", "keepDaily", Keep);
        KeepNewestPer(young, rules.KeepWeekly, b => $"{ISOWeek.GetYear(Local(b, zone))}-W{ISOWeek.GetWeekOfYear(Local(b, zone)):00}", "week", "keepWeekly", Keep);
        KeepNewestPer(young, rules.KeepMonthly, b => Local(b, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture), "month", "keepMonthly", Keep);

        var newestGood = good.FirstOrDefault()?.StartedAt;
        var decisions = new List<RetentionDecision>(backups.Count);
        foreach (var backup in backups.OrderByDescending(b => b.StartedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal))
        {
            if (backup.InProgress)
            {
                decisions.Add(new RetentionDecision(backup.Id, RetentionVerdict.Keep, "in progress"));
                continue;
            }

            if (reasons.TryGetValue(backup.Id, out var reason))
            {
                decisions.Add(new RetentionDecision(backup.Id, RetentionVerdict.Keep, reason));
                continue;
            }

            if (!backup.Good && (newestGood is null || newestGood < backup.StartedAt))
            {
                decisions.Add(new RetentionDecision(backup.Id, RetentionVerdict.Keep, "not good, and no good backup is newer"));
                continue;
            }

            var why = backup.Good
                ? rules.MaxAge is { } maxAge && asOf - backup.StartedAt > maxAge ? $"older than maxAge ({Configuration.DurationText.Format(maxAge)})" : "no rule keeps it"
                : "not good, and a newer good backup exists";
            decisions.Add(backup.RetainUntil is { } until && until > asOf
                ? new RetentionDecision(backup.Id, RetentionVerdict.Locked, $"{why}; write-once until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", until)
                : new RetentionDecision(backup.Id, RetentionVerdict.Expire, why));
        }

        return decisions;
    }

    private static DateTime Local(RetentionCandidate backup, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(backup.StartedAt, zone).DateTime;

    private static void KeepNewestPer(
        List<RetentionCandidate> newestFirst, int count, Func<RetentionCandidate, string> bucketOf, string unit, string rule, Action<RetentionCandidate, string> keep)
    {
        var buckets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backup in newestFirst)
        {
            if (buckets.Count >= count)
            {
                return;
            }

            if (buckets.Add(bucketOf(backup)))
            {
                keep(backup, $"newest of its {unit} ({rule})");
            }
        }
    }
}
