using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Strata.Core.Telemetry;

namespace Strata.Adapters.Dashboard;

/// <summary>How the status page writes values: every one HTML-encoded, numbers and times in one invariant format, free text without URLs.</summary>
internal static partial class PageText
{
    /// <summary><paramref name="value"/> encoded for HTML text and attribute values (quotes included).</summary>
    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>
    /// Free text from the control plane (an alert's summary, a survey's reason), encoded, with any URL replaced: an API
    /// server's or a channel's address says nothing a reader needs, may carry a token in its query, and the page names
    /// no URL at all.
    /// </summary>
    public static string Prose(string? value) => Encode(AddressRedaction.Redact(value));

    /// <summary>A time as the page shows it (UTC, to the minute) inside a <c>time</c> element that carries the exact instant.</summary>
    public static string Time(DateTimeOffset? at) => at is { } value
        ? $"<time datetime=\"{value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">{Short(value)}</time>"
        : "never";

    /// <summary>A time in words (UTC, to the minute).</summary>
    public static string Short(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A number of seconds as people read a recovery time (<c>42.0 s</c>, <c>3m 20s</c>).</summary>
    public static string Seconds(double seconds) => seconds < 120
        ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : TimeSpan.FromSeconds(Math.Round(seconds)) is var span && span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : $"{span.Minutes}m {span.Seconds}s";

    /// <summary>A size in binary units (<c>1.5 MiB</c>).</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A coordinate in an SVG attribute.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>An enum's name as the page's data attributes spell it (<c>PersistentVolumeClaim</c> → <c>persistent-volume-claim</c>).</summary>
    public static string Kebab(string name) => Capital().Replace(name, "-$1").ToLowerInvariant();

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex Capital();
}
