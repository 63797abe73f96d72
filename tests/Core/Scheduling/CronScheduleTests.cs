using Strata.Core.Scheduling;

namespace Strata.Core.Tests.Scheduling;

public class CronScheduleTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> Between(string cron, TimeZoneInfo zone, string fromUtc, string untilUtc) =>
        CronSchedule.Parse(cron).Occurrences(Utc(fromUtc), Utc(untilUtc), zone).ToList();

    [Theory]
    [InlineData("0 2 * * *", "2026-01-10T00:00:00", "2026-01-10T02:00:00")]
    [InlineData("*/15 * * * *", "2026-01-10T00:07:00", "2026-01-10T00:15:00")]
    [InlineData("30 1 1,15 * *", "2026-01-02T00:00:00", "2026-01-15T01:30:00")]
    [InlineData("0 0 * * MON-FRI", "2026-01-10T12:00:00", "2026-01-12T00:00:00")] // Saturday → Monday
    [InlineData("0 0 1 JAN *", "2026-01-01T00:00:00", "2027-01-01T00:00:00")]
    [InlineData("0 0 29 2 *", "2026-03-01T00:00:00", "2028-02-29T00:00:00")]
    [InlineData("0 0 13 * 5", "2026-02-01T00:00:00", "2026-02-06T00:00:00")] // 13th OR Friday, as cron
    [InlineData("0 0 * * 7", "2026-01-10T00:00:00", "2026-01-11T00:00:00")] // 7 is Sunday
    [InlineData("*/20 * * * * *", "2026-01-10T00:00:05", "2026-01-10T00:00:20")] // six fields: seconds
    [InlineData("5/20 * * * *", "2026-01-10T00:06:00", "2026-01-10T00:25:00")]
    [InlineData("@hourly", "2026-01-10T00:00:00", "2026-01-10T01:00:00")]
    [InlineData("@weekly", "2026-01-10T00:00:00", "2026-01-11T00:00:00")]
    public void Next_InUtc(string cron, string after, string expected)
    {
        Assert.Equal(Utc(expected), CronSchedule.Parse(cron).Next(Utc(after), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Next_NeverMatchingDate_IsNull()
    {
        Assert.Null(CronSchedule.Parse("0 0 30 2 *").Next(Utc("2026-01-01T00:00:00"), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("", "expected 5 fields")]
    [InlineData("* * * *", "found 4")]
    [InlineData("60 * * * *", "minute field '60': Value must be a number between 0 and 59")]
    [InlineData("* 24 * * *", "hour field '24'")]
    [InlineData("* * 0 * *", "day-of-month field '0'")]
    [InlineData("* * * 13 *", "month field '13'")]
    [InlineData("* * * FOO *", "month field 'FOO'")]
    [InlineData("* * * * 8", "day-of-week field '8'")]
    [InlineData("0 0 13 * 9", "day-of-week field '9'")] // both day fields restricted: still names the field
    [InlineData("*/0 * * * *", "minute field '*/0'")]
    [InlineData("1,,2 * * * *", "minute field '1,,2'")]
    [InlineData("61 * * * * *", "second field '61'")]
    [InlineData("H 2 * * *", "'H' (a hashed value) is not supported")]
    [InlineData("@often", "unknown macro '@often'")]
    public void Parse_Invalid_NamesTheFieldAndTheReason(string cron, string reason)
    {
        var error = Assert.Throws<CronFormatException>(() => CronSchedule.Parse(cron));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void SkippedHour_FixedTimeRunsOnceAtTheJump()
    {
        // Amsterdam, 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 never happens.
        var runs = Between("30 2 * * *", Amsterdam, "2026-03-28T00:00:00", "2026-03-31T00:00:00");

        Assert.Equal([Utc("2026-03-28T01:30:00"), Utc("2026-03-29T01:00:00"), Utc("2026-03-30T00:30:00")], runs);
    }

    [Fact]
    public void SkippedHour_SeveralTimesInTheGapStillRunOnce()
    {
        var runs = Between("0,20,40 2 * * *", Amsterdam, "2026-03-29T00:00:00", "2026-03-29T06:00:00");

        Assert.Equal([Utc("2026-03-29T01:00:00")], runs);
    }

    [Fact]
    public void SkippedHour_IntervalScheduleRunsAtTheJumpToo()
    {
        // Hourly at :30: 01:30 CET; 02:30 never happens, so it runs when the clock jumps (03:00 CEST);
        // then 03:30 CEST. Nothing is lost to the gap.
        var runs = Between("30 * * * *", Amsterdam, "2026-03-29T00:00:00", "2026-03-29T02:00:00");

        Assert.Equal([Utc("2026-03-29T00:30:00"), Utc("2026-03-29T01:00:00"), Utc("2026-03-29T01:30:00")], runs);
    }

    [Fact]
    public void BothDayFields_EitherMatches_AndTheUnionKeepsDaylightSavingRules()
    {
        // The 29th or a Sunday, at 02:30 Amsterdam: Sunday 29 March 2026 is both, and 02:30 is in the gap.
        var runs = Between("30 2 29 * SUN", Amsterdam, "2026-03-21T00:00:00", "2026-04-06T00:00:00");

        Assert.Equal([Utc("2026-03-22T01:30:00"), Utc("2026-03-29T01:00:00"), Utc("2026-04-05T00:30:00")], runs);
    }

    [Fact]
    public void Next_ReturnsTheInstantInTheScheduleZone()
    {
        var next = CronSchedule.Parse("0 9 * * *").Next(Utc("2026-07-01T00:00:00"), Amsterdam);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.FromHours(2)), next);
        Assert.Equal(TimeSpan.FromHours(2), next!.Value.Offset);
    }

    [Fact]
    public void RepeatedHour_FixedTimeRunsOnce()
    {
        // Amsterdam, 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        var runs = Between("30 2 * * *", Amsterdam, "2026-10-24T12:00:00", "2026-10-26T12:00:00");

        Assert.Equal([Utc("2026-10-25T00:30:00"), Utc("2026-10-26T01:30:00")], runs);
    }

    [Fact]
    public void RepeatedHour_IntervalScheduleRunsInBothPasses()
    {
        var runs = Between("0 * * * *", NewYork, "2026-11-01T04:30:00", "2026-11-01T07:30:00");

        // New York, 1 November 2026: 02:00 EDT falls back to 01:00 EST. 01:00 EDT (05:00Z), 01:00 EST (06:00Z), 02:00 EST (07:00Z).
        Assert.Equal([Utc("2026-11-01T05:00:00"), Utc("2026-11-01T06:00:00"), Utc("2026-11-01T07:00:00")], runs);
    }

    [Fact]
    public void RepeatedHour_NextFromInsideTheSecondPass_DoesNotGoBack()
    {
        var schedule = CronSchedule.Parse("30 1 * * *");

        // 06:10Z is 01:10 EST, the second pass: today's 01:30 ran in the first pass (05:30Z).
        Assert.Equal(Utc("2026-11-02T06:30:00"), schedule.Next(Utc("2026-11-01T06:10:00"), NewYork));
        Assert.Equal(Utc("2026-11-01T05:30:00"), schedule.Previous(Utc("2026-11-01T06:45:00"), NewYork));
    }

    [Fact]
    public void Previous_IsTheLastOccurrenceAtOrBefore()
    {
        var schedule = CronSchedule.Parse("0 2 * * *");

        Assert.Equal(Utc("2026-01-10T02:00:00"), schedule.Previous(Utc("2026-01-10T02:00:00"), TimeZoneInfo.Utc));
        Assert.Equal(Utc("2026-01-09T02:00:00"), schedule.Previous(Utc("2026-01-10T01:59:59"), TimeZoneInfo.Utc));
        Assert.Equal(Utc("2024-02-29T00:00:00"), CronSchedule.Parse("0 0 29 2 *").Previous(Utc("2026-01-01T00:00:00"), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("30 2 * * *")]
    [InlineData("0,20,40 2 * * *")]
    [InlineData("30 * * * *")]
    [InlineData("*/15 1-3 * * *")]
    [InlineData("0 2 * * SUN")]
    public void PreviousAndNext_Agree_AcrossBothClockChanges(string cron)
    {
        var schedule = CronSchedule.Parse(cron);
        foreach (var (from, until) in new[] { ("2026-03-28T20:00:00", "2026-03-29T04:00:00"), ("2026-10-24T20:00:00", "2026-10-25T04:00:00") })
        {
            foreach (var occurrence in schedule.Occurrences(Utc(from), Utc(until), Amsterdam))
            {
                Assert.Equal(occurrence, schedule.Previous(occurrence, Amsterdam));
                Assert.Equal(occurrence, schedule.Previous(occurrence.AddSeconds(30), Amsterdam));
                var before = schedule.Previous(occurrence.AddSeconds(-1), Amsterdam);
                Assert.True(before < occurrence, $"{cron}: Previous({occurrence.AddSeconds(-1):o}) = {before:o}");
                Assert.Equal(occurrence, schedule.Next(before!.Value, Amsterdam));
            }
        }
    }

    public static TheoryData<string> Zones => new() { "UTC", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo" };

    [Theory]
    [MemberData(nameof(Zones))]
    public void Properties_HoldForRandomSchedulesAndTimes(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var random = new Random(zoneId.GetHashCode(StringComparison.Ordinal) ^ 20261121);
        string[] minutes = ["0", "*/15", "5,35", "*", "10-20/5", "45"];
        string[] hours = ["*", "2", "1-3", "*/2", "0,12", "3"];
        string[] days = ["*", "1", "15", "*/10"];
        int[] changeMonths = [3, 4, 10, 11];
        string[] weekdays = ["*", "0", "1-5", "SAT"];
        for (var i = 0; i < 80; i++)
        {
            var dayField = days[random.Next(days.Length)];
            var cron = $"{minutes[random.Next(minutes.Length)]} {hours[random.Next(hours.Length)]} {dayField} * {weekdays[random.Next(weekdays.Length)]}";
            var schedule = CronSchedule.Parse(cron);
            // Start anywhere in 2026, biased towards clock changes (March, April, October, November).
            var start = new DateTimeOffset(2026, random.Next(2) == 0 ? random.Next(1, 13) : changeMonths[random.Next(changeMonths.Length)], random.Next(1, 29), random.Next(24), random.Next(60), 0, TimeSpan.Zero);

            var end = start.AddDays(2);
            var occurrences = schedule.Occurrences(start, end, zone).ToList();

            // Strictly increasing and never more than once per wall-clock minute for fixed hours.
            for (var k = 1; k < occurrences.Count; k++)
            {
                Assert.True(occurrences[k] > occurrences[k - 1], $"{cron} in {zoneId}: {occurrences[k - 1]:o} then {occurrences[k]:o}");
            }

            foreach (var occurrence in occurrences)
            {
                // Every occurrence is a matching wall-clock time, or the moment a skipped hour ended.
                var local = TimeZoneInfo.ConvertTime(occurrence, zone);
                var justBefore = TimeZoneInfo.ConvertTime(occurrence.AddSeconds(-1), zone);
                var atJump = local.Offset != justBefore.Offset && local.Offset > justBefore.Offset;
                Assert.True(atJump || Matches(cron, local.DateTime), $"{cron} in {zoneId}: {occurrence:o} ({local:o}) does not match");

                // Previous and Next agree.
                Assert.Equal(occurrence, schedule.Previous(occurrence, zone));
                Assert.Equal(occurrence, schedule.Next(occurrence.AddSeconds(-1), zone));
            }

            // Every matching minute is an occurrence, found by a naive minute-by-minute scan —
            // except a fixed-time schedule's second pass through a repeated hour. A schedule is an
            // interval schedule when its minute or hour field has a '*', a range or a step.
            var fixedTime = !cron.Split(' ').Take(2).Any(f => f.IndexOfAny(['*', '-', '/']) >= 0);
            for (var t = start.AddMinutes(1); t <= end; t = t.AddMinutes(1))
            {
                var local = TimeZoneInfo.ConvertTime(t, zone);
                var secondPass = zone.IsAmbiguousTime(local.DateTime) && local.Offset == zone.GetAmbiguousTimeOffsets(local.DateTime).Min();
                if (Matches(cron, local.DateTime) && !(fixedTime && secondPass))
                {
                    Assert.Contains(t, occurrences);
                }
            }

        }
    }

    private static bool Matches(string cron, DateTime local)
    {
        var fields = cron.Split(' ');
        return Field(fields[0], local.Minute, 0, 59) && Field(fields[1], local.Hour, 0, 23)
            && DayMatches(fields[2], fields[4], local);
    }

    private static bool DayMatches(string dom, string dow, DateTime local)
    {
        var domMatch = Field(dom, local.Day, 1, 31);
        var dowMatch = Field(dow.Replace("SAT", "6", StringComparison.Ordinal), (int)local.DayOfWeek, 0, 7);
        return (dom == "*", dow == "*") switch
        {
            (false, false) => domMatch || dowMatch,
            (false, true) => domMatch,
            (true, false) => dowMatch,
            _ => true,
        };
    }

    // An independent, naive reading of one field, for checking.
    private static bool Field(string field, int value, int min, int max) => field.Split(',').Any(part =>
    {
        var pieces = part.Split('/');
        var step = pieces.Length > 1 ? int.Parse(pieces[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var (low, high) = pieces[0] == "*" ? (min, max)
            : pieces[0].Contains('-') ? (int.Parse(pieces[0].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(pieces[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
            : (int.Parse(pieces[0], System.Globalization.CultureInfo.InvariantCulture), pieces.Length > 1 ? max : int.Parse(pieces[0], System.Globalization.CultureInfo.InvariantCulture));
        return value >= low && value <= high && (value - low) % step == 0;
    });
}
