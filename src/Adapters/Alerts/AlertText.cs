using System.Globalization;
using Strata.Core.Alerts;
using Strata.Core.Messages;

namespace Strata.Adapters.Alerts;

/// <summary>The words every channel shows, so that Slack, Teams and PagerDuty say the same thing.</summary>
internal static class AlertText
{
    /// <summary><c>Critical: backup failed — prod / nightly</c>, <c>Resolved: …</c>, <c>Still open: …</c>, <c>Test alert</c>.</summary>
    public static string Title(AlertNotification n)
    {
        if (n.Test)
        {
            return n.Action == AlertAction.Resolve ? "Strata test alert resolved" : "Strata test alert";
        }

        var what = n.Kind.Replace('-', ' ');
        what = char.ToUpperInvariant(what[0]) + what[1..];
        var where = string.Join(" / ", new[] { n.Cluster, n.Policy }.Where(s => s is not null));
        var headline = where.Length == 0 ? what : $"{what} — {where}";
        return n.Action == AlertAction.Resolve ? $"Resolved: {headline}"
            : n.Renotify ? $"Still open ({Severity(n.Severity)}): {headline}"
            : $"{char.ToUpperInvariant(Severity(n.Severity)[0])}{Severity(n.Severity)[1..]}: {headline}";
    }

    /// <summary><c>critical</c>, <c>warning</c>, <c>info</c>.</summary>
    public static string Severity(AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>The facts shown beside the summary, in order; absent ones left out.</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(AlertNotification n)
    {
        var facts = new List<(string, string)>();
        void Add(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                facts.Add((label, value));
            }
        }

        Add("Cluster", n.Cluster);
        Add("Policy", n.Policy);
        Add("Severity", Severity(n.Severity));
        Add("Run", n.RunId);
        Add("Opened", n.OpenedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Add("Occurrences", n.Occurrences > 1 ? n.Occurrences.ToString(CultureInfo.InvariantCulture) : null);
        foreach (var (key, value) in n.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Add(key, value);
        }

        Add("Incident", n.DedupKey);
        return facts;
    }

    /// <summary><c>Failed items (20 of 57)</c>, or null when none are listed.</summary>
    public static string? FailedItemsHeading(AlertNotification n) => n.FailedItems.Count == 0
        ? null
        : n.MoreFailedItems > 0
            ? $"Failed items (first {n.FailedItems.Count} of {n.FailedItems.Count + n.MoreFailedItems})"
            : $"Failed items ({n.FailedItems.Count})";

    /// <summary><c>…and 37 more</c>, or null.</summary>
    public static string? MoreLine(AlertNotification n) => n.MoreFailedItems > 0 ? $"…and {n.MoreFailedItems} more" : null;

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, with an ellipsis when cut.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
