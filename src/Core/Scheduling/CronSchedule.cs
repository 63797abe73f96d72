using System.Numerics;

namespace Strata.Core.Scheduling;

/// <summary>
/// A cron schedule: five fields (<c>minute hour day-of-month month day-of-week</c>) or six with
/// seconds first (<c>second minute hour …</c>, as Azure Functions' NCRONTAB), with <c>*</c>, <c>?</c>,
/// lists, ranges, steps, month and weekday names, and the macros <c>@yearly</c>, <c>@monthly</c>,
/// <c>@weekly</c>, <c>@daily</c>, <c>@hourly</c>. When both day fields are restricted a day matches
/// either, as in Vixie cron.
/// <para>
/// Occurrences are wall-clock times in a time zone. Across daylight-saving changes, as cron does:
/// a schedule with fixed hours runs once for each wall-clock time — occurrences in a skipped hour
/// run once, at the moment the clock jumps; in a repeated hour they run in the first pass only.
/// A schedule whose hour field is a wildcard (<c>*</c>, <c>*/n</c>) keeps its elapsed-time rhythm:
/// nothing falls in a skipped hour, and a repeated hour runs in both passes.
/// </para>
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly TimeSpan TransitionReach = TimeSpan.FromHours(3);

    private readonly ulong _seconds;
    private readonly ulong _minutes;
    private readonly uint _hours;
    private readonly uint _daysOfMonth;
    private readonly uint _months;
    private readonly uint _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;
    private readonly bool _hourWildcard;

    private CronSchedule(string text, ulong seconds, ulong minutes, uint hours, uint daysOfMonth, uint months, uint daysOfWeek,
        bool dayOfMonthRestricted, bool dayOfWeekRestricted, bool hourWildcard)
    {
        Text = text;
        _seconds = seconds;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        _daysOfWeek = daysOfWeek;
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
        _hourWildcard = hourWildcard;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Whether the expression has a seconds field.</summary>
    public bool HasSeconds { get; private init; }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/>; <see cref="CronFormatException"/> names the field and what is wrong.</summary>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expanded = text.Trim() switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            var other when other.StartsWith('@') => throw new CronFormatException(text, $"unknown macro '{other}' (use @yearly, @monthly, @weekly, @daily or @hourly)"),
            var other => other,
        };
        var fields = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            throw new CronFormatException(text, $"expected 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds first), found {fields.Length}");
        }

        var hasSeconds = fields.Length == 6;
        var offset = hasSeconds ? 1 : 0;
        var seconds = hasSeconds ? ParseField(text, fields[0], "second", 0, 59, null) : 1UL;
        var minutes = ParseField(text, fields[offset], "minute", 0, 59, null);
        var hours = (uint)ParseField(text, fields[offset + 1], "hour", 0, 23, null);
        var daysOfMonth = (uint)ParseField(text, fields[offset + 2], "day-of-month", 1, 31, null);
        var months = (uint)ParseField(text, fields[offset + 3], "month", 1, 12, MonthNames);
        var daysOfWeek = (uint)ParseField(text, fields[offset + 4], "day-of-week", 0, 7, DayNames);
        if ((daysOfWeek & (1u << 7)) != 0)
        {
            daysOfWeek = (daysOfWeek | 1u) & ~(1u << 7); // 7 is Sunday too
        }

        return new CronSchedule(text, seconds, minutes, hours, daysOfMonth, months, daysOfWeek,
            dayOfMonthRestricted: !IsWildcard(fields[offset + 2]),
            dayOfWeekRestricted: !IsWildcard(fields[offset + 4]),
            hourWildcard: fields[offset + 1].StartsWith('*'))
        {
            HasSeconds = hasSeconds,
        };
    }

    /// <summary>Parses <paramref name="text"/>, or says why it cannot.</summary>
    public static bool TryParse(string text, out CronSchedule? schedule, out string? error)
    {
        try
        {
            schedule = Parse(text);
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            schedule = null;
            error = e.Reason;
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null if there is none (e.g. 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localAfter = TimeZoneInfo.ConvertTime(after, zone).DateTime;

        // Fast path: no clock change near 'after' and the next wall-clock match is an ordinary time.
        var offset = zone.GetUtcOffset(after);
        if (zone.GetUtcOffset(after - TransitionReach) == offset && zone.GetUtcOffset(after + TransitionReach) == offset
            && NextLocal(localAfter) is { } candidate && !zone.IsInvalidTime(candidate) && !zone.IsAmbiguousTime(candidate))
        {
            var instant = new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
            if (instant > after)
            {
                return instant;
            }
        }

        // Near a clock change the wall clock is not monotonic: scan wall-clock matches from a little
        // earlier and keep the earliest instant after 'after'.
        DateTimeOffset? best = null;
        var local = localAfter - TransitionReach;
        while (NextLocal(local) is { } next)
        {
            if (best is { } found && next > TimeZoneInfo.ConvertTime(found, zone).DateTime + TransitionReach)
            {
                break;
            }

            foreach (var instant in Instants(next, zone))
            {
                if (instant > after && (best is null || instant < best))
                {
                    best = instant;
                }
            }

            local = next;
        }

        return best;
    }

    /// <summary>The last occurrence at or before <paramref name="atOrBefore"/>, or null if there is none within 30 years.</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore, TimeZoneInfo zone)
    {
        // Search windows that grow fourfold from two minutes (or two seconds) back, and take the
        // last occurrence in the first window that has one: Previous always agrees with Next.
        var window = HasSeconds ? TimeSpan.FromSeconds(2) : TimeSpan.FromMinutes(2);
        var limit = TimeSpan.FromDays(366 * 30);
        while (window <= limit * 4)
        {
            DateTimeOffset? last = null;
            var from = atOrBefore - window;
            while (Next(from, zone) is { } next && next <= atOrBefore)
            {
                last = next;
                from = next;
            }

            if (last is not null)
            {
                return last;
            }

            window *= 4;
        }

        return null;
    }

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="until"/>], in order.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset after, DateTimeOffset until, TimeZoneInfo zone)
    {
        var from = after;
        while (Next(from, zone) is { } next && next <= until)
        {
            yield return next;
            from = next;
        }
    }

    /// <summary>The instants at which wall-clock time <paramref name="local"/> runs (none, one or two).</summary>
    private IEnumerable<DateTimeOffset> Instants(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            if (!_hourWildcard)
            {
                yield return GapEnd(local, zone);
            }

            yield break;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            yield return new DateTimeOffset(local, first);
            if (_hourWildcard)
            {
                yield return new DateTimeOffset(local, offsets.Min());
            }

            yield break;
        }

        yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The moment the clock jumps over the gap holding <paramref name="local"/>.</summary>
    private static DateTimeOffset GapEnd(DateTime local, TimeZoneInfo zone)
    {
        var probe = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(probe))
        {
            probe = probe.AddMinutes(1);
        }

        return new DateTimeOffset(probe, zone.GetUtcOffset(probe));
    }

    /// <summary>The first wall-clock time strictly after <paramref name="after"/> that matches every field.</summary>
    private DateTime? NextLocal(DateTime after)
    {
        var t = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, after.Second, DateTimeKind.Unspecified).AddSeconds(1);
        var limit = t.AddYears(30);
        while (t <= limit)
        {
            if ((_months & (1u << t.Month)) == 0)
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }

            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }

            if (NextBit(_hours, t.Hour) is not { } hour)
            {
                t = t.Date.AddDays(1);
                continue;
            }

            if (hour != t.Hour)
            {
                t = t.Date.AddHours(hour);
                continue;
            }

            if (NextBit(_minutes, t.Minute) is not { } minute)
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }

            if (minute != t.Minute)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(minute);
                continue;
            }

            if (NextBit(_seconds, t.Second) is not { } second)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
                continue;
            }

            return t.Date.AddHours(t.Hour).AddMinutes(t.Minute).AddSeconds(second);
        }

        return null;
    }

    private bool DayMatches(DateTime day)
    {
        var dom = (_daysOfMonth & (1u << day.Day)) != 0;
        var dow = (_daysOfWeek & (1u << (int)day.DayOfWeek)) != 0;
        return (_dayOfMonthRestricted, _dayOfWeekRestricted) switch
        {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            _ => true,
        };
    }

    private static int? NextBit(ulong bits, int from)
    {
        var rest = from >= 64 ? 0 : bits >> from << from;
        return rest == 0 ? null : BitOperations.TrailingZeroCount(rest);
    }

    private static bool IsWildcard(string field) => field is "*" or "?";

    private static ulong ParseField(string text, string field, string name, int min, int max, string[]? names)
    {
        ulong bits = 0;
        foreach (var part in field.Split(','))
        {
            if (part.Length == 0)
            {
                throw new CronFormatException(text, $"{name} field '{field}' has an empty list item");
            }

            var slash = part.IndexOf('/');
            var rangeText = slash < 0 ? part : part[..slash];
            var step = 1;
            if (slash >= 0 && (!int.TryParse(part[(slash + 1)..], out step) || step < 1 || step > max - min + 1))
            {
                throw new CronFormatException(text, $"{name} field '{field}': step '{part[(slash + 1)..]}' must be a number from 1 to {max - min + 1}");
            }

            int low, high;
            if (rangeText is "*" or "?")
            {
                if (rangeText == "?" && name is not ("day-of-month" or "day-of-week"))
                {
                    throw new CronFormatException(text, $"{name} field '{field}': '?' is only allowed in the day fields");
                }

                (low, high) = (min, max);
            }
            else if (rangeText.IndexOf('-') is var dash and > 0)
            {
                low = Value(text, rangeText[..dash], field, name, min, max, names);
                high = Value(text, rangeText[(dash + 1)..], field, name, min, max, names);
                if (high < low)
                {
                    throw new CronFormatException(text, $"{name} field '{field}': range {rangeText} runs backwards");
                }
            }
            else
            {
                low = Value(text, rangeText, field, name, min, max, names);
                high = slash >= 0 ? max : low;
            }

            for (var value = low; value <= high; value += step)
            {
                bits |= 1UL << value;
            }
        }

        return bits;
    }

    private static int Value(string text, string token, string field, string name, int min, int max, string[]? names)
    {
        if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number >= min && number <= max
                ? number
                : throw new CronFormatException(text, $"{name} field '{field}': {number} is outside {min}-{max}");
        }

        if (names is not null && Array.FindIndex(names, n => n.Equals(token, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            return index + min;
        }

        throw new CronFormatException(text, $"{name} field '{field}': '{token}' is not a number" + (names is null ? "" : $" or a name ({string.Join(", ", names)})"));
    }
}

/// <summary>A cron expression could not be parsed; <see cref="Reason"/> says which field and why.</summary>
public sealed class CronFormatException(string expression, string reason)
    : FormatException($"invalid cron expression '{expression}': {reason}")
{
    /// <summary>The expression.</summary>
    public string Expression { get; } = expression;

    /// <summary>What is wrong, naming the field.</summary>
    public string Reason { get; } = reason;
}
