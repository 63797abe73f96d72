namespace Strata.Core.Scheduling;

/// <summary>
/// The rule every schedule timer shares (backups, drills): the latest occurrence at or before now is
/// due when it is later than the mark (the last occurrence fired) — so after downtime a schedule
/// catches up once, not once per missed occurrence, and a double fire finds the mark already moved. A
/// schedule seen for the first time (no mark) starts from its latest occurrence and fires at its next.
/// </summary>
/// <param name="Occurrence">The latest occurrence at or before now: the new mark.</param>
/// <param name="Fire">Whether to fire it (false the first time a schedule is seen).</param>
/// <param name="Missed">Occurrences between the mark and this one that are folded into it (counted up to 1,000).</param>
public sealed record DueOccurrence(DateTimeOffset Occurrence, bool Fire, int Missed)
{
    /// <summary>What <paramref name="schedule"/> asks for at <paramref name="now"/> given its <paramref name="mark"/>; null when nothing moves.</summary>
    public static DueOccurrence? Find(CronSchedule schedule, TimeZoneInfo zone, DateTimeOffset? mark, DateTimeOffset now)
    {
        if (schedule.Previous(now, zone) is not { } latest)
        {
            return null;
        }

        if (mark is not { } last)
        {
            return new DueOccurrence(latest, Fire: false, 0);
        }

        return latest > last
            ? new DueOccurrence(latest, Fire: true, schedule.Occurrences(last, latest, zone).Take(1000).Count() - 1)
            : null;
    }
}
