using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Core.Volumes;

/// <summary>
/// Durations as Go's <c>time.ParseDuration</c> writes them — what Velero reads from its <c>…/timeout</c> annotations:
/// a sequence of decimal numbers with units <c>ns</c>, <c>us</c> (or <c>µs</c>), <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>
/// (<c>30s</c>, <c>1m30s</c>, <c>1.5h</c>, <c>300ms</c>).
/// </summary>
public static partial class GoDuration
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a Go duration, or is negative.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null || !Whole().IsMatch(text))
        {
            return text == "0";
        }

        double ticks = 0;
        foreach (Match part in Part().Matches(text))
        {
            if (!double.TryParse(part.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            ticks += amount * part.Groups["unit"].Value switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>
    /// <paramref name="duration"/> as Go prints it, whole units only (<c>1h30m</c>, <c>30s</c>, <c>250ms</c>): what
    /// <see cref="TryParse"/> reads back.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = "";
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text += $"{hours}h";
        }

        if (duration.Minutes > 0)
        {
            text += $"{duration.Minutes}m";
        }

        if (duration.Seconds > 0)
        {
            text += $"{duration.Seconds}s";
        }

        if (duration.Milliseconds > 0)
        {
            text += $"{duration.Milliseconds}ms";
        }

        return text.Length == 0 ? $"{duration.Ticks / 10}us" : text;
    }

    [GeneratedRegex(@"^\+?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?<n>\d+(\.\d*)?|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex Part();
}
