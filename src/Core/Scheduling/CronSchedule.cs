using Cronos;

namespace Strata.Core.Scheduling;

/// <summary>
/// A policy's cron schedule, on <see cref="CronExpression"/> (Cronos): five fields
/// (<c>minute hour day-of-month month day-of-week</c>) or six with seconds first (as Azure
/// Functions' NCRONTAB), with lists, ranges, steps, names, <c>L</c>, <c>W</c>, <c>#</c> and the
/// macros (<c>@daily</c>, <c>@weekly</c>, …).
/// <para>
/// Strata's one rule on top of Cronos: when both day fields are restricted, a day matches
/// <em>either</em> (Vixie cron, and Kubernetes CronJobs, which is what people write these from);
/// Cronos alone would require both. The schedule is then the union of two Cronos expressions, one
/// per day field.
/// </para>
/// <para>
/// Occurrences are wall-clock times in a time zone; across daylight-saving changes they follow
/// Cronos (and cron): an occurrence in a skipped hour runs once, at the moment the clock jumps; in
/// a repeated hour a fixed-time schedule runs in the first pass only, while an interval schedule
/// (a <c>*</c>, range or step in the second, minute or hour field) runs in both passes.
/// </para>
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day-of-month", "month", "day-of-week"];

    // Cronos names its fields in its messages; Strata's names follow crontab(5).
    private static readonly Dictionary<string, string> CronosFieldNames = new(StringComparer.Ordinal)
    {
        ["Seconds"] = "second",
        ["Minutes"] = "minute",
        ["Hours"] = "hour",
        ["Days of month"] = "day-of-month",
        ["Months"] = "month",
        ["Days of week"] = "day-of-week",
    };

    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second"];

    private readonly CronExpression[] _expressions;

    private CronSchedule(string text, bool hasSeconds, CronExpression[] expressions)
    {
        Text = text;
        HasSeconds = hasSeconds;
        _expressions = expressions;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Whether the expression has a seconds field.</summary>
    public bool HasSeconds { get; }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/>; <see cref="CronFormatException"/> names the field and what is wrong.</summary>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('@'))
        {
            return Macros.Contains(trimmed.ToLowerInvariant())
                ? new CronSchedule(text, trimmed.Equals("@every_second", StringComparison.OrdinalIgnoreCase), [CronosParse(text, trimmed, CronFormat.Standard, [])])
                : throw new CronFormatException(text, $"unknown macro '{trimmed}' (use {string.Join(", ", Macros)})");
        }

        var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            throw new CronFormatException(text, $"expected 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds first), found {fields.Length}");
        }

        var hasSeconds = fields.Length == 6;
        var format = hasSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard;
        var names = hasSeconds ? FieldNames : FieldNames[1..];
        var (dayOfMonth, dayOfWeek) = (fields.Length - 3, fields.Length - 1);
        if (IsWildcard(fields[dayOfMonth]) || IsWildcard(fields[dayOfWeek]))
        {
            return new CronSchedule(text, hasSeconds, [CronosParse(text, string.Join(' ', fields), format, fields, names)]);
        }

        // Either day field may match: one expression per day field, each with the other left open.
        var byDayOfMonth = (string[])fields.Clone();
        byDayOfMonth[dayOfWeek] = "*";
        var byDayOfWeek = (string[])fields.Clone();
        byDayOfWeek[dayOfMonth] = "*";
        return new CronSchedule(text, hasSeconds,
        [
            CronosParse(text, string.Join(' ', byDayOfMonth), format, fields, names),
            CronosParse(text, string.Join(' ', byDayOfWeek), format, fields, names),
        ]);
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
        DateTimeOffset? earliest = null;
        foreach (var expression in _expressions)
        {
            if (expression.GetNextOccurrence(after, zone) is { } next && (earliest is null || next < earliest))
            {
                earliest = next;
            }
        }

        return earliest;
    }

    /// <summary>The last occurrence at or before <paramref name="atOrBefore"/>, or null if there is none; always one that <see cref="Next"/> gives.</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);

        // Cronos places the previous occurrence of a time in a skipped hour at the last second before the
        // jump, while its next occurrence is the jump itself. Take Cronos's answer as where to look, and let
        // Next say which occurrence it is, so that Previous and Next always agree.
        var from = atOrBefore;
        while (Latest(from, zone) is { } hint)
        {
            if (Next(hint - TimeSpan.FromSeconds(1), zone) is { } occurrence && occurrence <= atOrBefore)
            {
                return occurrence;
            }

            from = hint - TimeSpan.FromSeconds(1);
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

    private DateTimeOffset? Latest(DateTimeOffset atOrBefore, TimeZoneInfo zone)
    {
        DateTimeOffset? latest = null;
        foreach (var expression in _expressions)
        {
            if (expression.GetPreviousOccurrence(atOrBefore, zone, inclusive: true) is { } previous && (latest is null || previous > latest))
            {
                latest = previous;
            }
        }

        return latest;
    }

    private static bool IsWildcard(string field) => field is "*" or "?";

    private static CronExpression CronosParse(string text, string expression, CronFormat format, string[] fields, string[]? names = null)
    {
        try
        {
            return CronExpression.Parse(expression, format);
        }
        catch (MissingSeedException)
        {
            throw new CronFormatException(text, "'H' (a hashed value) is not supported: write the time out");
        }
        catch (Cronos.CronFormatException e)
        {
            throw new CronFormatException(text, Reason(e.Message, fields, names));
        }
    }

    /// <summary>Cronos says "The given cron expression has an invalid format. Minutes: …": name the field as crontab does, with its text.</summary>
    private static string Reason(string message, string[] fields, string[]? names)
    {
        var detail = message.IndexOf(". ", StringComparison.Ordinal) is var dot and >= 0 ? message[(dot + 2)..] : message;
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && names is not null && CronosFieldNames.TryGetValue(detail[..colon], out var name) && Array.IndexOf(names, name) is var index and >= 0)
        {
            return $"{name} field '{fields[index]}': {detail[(colon + 2)..].TrimEnd('.')}";
        }

        return detail.TrimEnd('.');
    }
}
