using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Core.Configuration;

/// <summary>Durations as people write them in configuration: <c>30m</c>, <c>26h</c>, <c>1h30m</c>, <c>90d</c>, <c>2w</c>.</summary>
public static partial class DurationText
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a positive duration in w/d/h/m/s units.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || !Pattern().IsMatch(text.Trim()))
        {
            return false;
        }

        foreach (Match part in Part().Matches(text.Trim()))
        {
            var amount = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "w" => TimeSpan.FromDays(7 * amount),
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>The shortest text that <see cref="TryParse"/> reads back as <paramref name="duration"/>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = "";
        if (duration.Days > 0)
        {
            text += $"{duration.Days}d";
        }

        if (duration.Hours > 0)
        {
            text += $"{duration.Hours}h";
        }

        if (duration.Minutes > 0)
        {
            text += $"{duration.Minutes}m";
        }

        if (duration.Seconds > 0)
        {
            text += $"{duration.Seconds}s";
        }

        return text;
    }

    [GeneratedRegex(@"^(\d{1,6}[wdhms])+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(\d{1,6})([wdhms])")]
    private static partial Regex Part();
}
